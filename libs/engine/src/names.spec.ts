import { describe, expect, it } from 'vitest';
import {
  environmentNetworkName,
  InvalidNameError,
  MAX_NAME_LENGTH,
  secretName,
  serviceName,
  stackNetworkName,
  tenantKey,
  volumeName,
} from './names.js';

const T1 = '0b6f2a4e-8d1c-4f5a-9b7e-3c2d1e0f9a8b';
const T2 = '0b6f2a4e-8d1c-4f5a-9b7e-3c2d1e0f9a8c';
const env = { tenantId: T1, app: 'shop', environment: 'production' };
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

describe('names', () => {
  it('are readable, stable and DNS-safe when short enough', () => {
    const name = serviceName(env, 'web');
    expect(name).toBe(`${tenantKey(T1)}--shop--production--web`);
    expect(serviceName({ ...env }, 'web')).toBe(name);
    expect(name).toMatch(DNS_LABEL);
    expect(tenantKey(T1)).toHaveLength(25);
    expect(tenantKey(T1.toUpperCase())).toBe(tenantKey(T1));
  });

  it('stay within 63 characters with a stable hash suffix when too long', () => {
    const long = { tenantId: T1, app: 'a'.repeat(40), environment: 'e'.repeat(40) };
    const name = serviceName(long, 's'.repeat(63));
    expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(name).toMatch(DNS_LABEL);
    expect(name).toMatch(/--[0-9a-f]{20}$/);
    expect(serviceName(long, 's'.repeat(63))).toBe(name);
    expect(serviceName(long, `${'s'.repeat(62)}t`)).not.toBe(name);
    expect(serviceName({ ...long, tenantId: T2 }, 's'.repeat(63))).not.toBe(name);
  });

  it('are distinct for distinct inputs, including ones that would read the same if joined naively', () => {
    const inputs: [string, string, string, string][] = [];
    for (const tenantId of [T1, T2]) {
      for (const [app, environment, service] of [
        ['a-b', 'c', 'd'],
        ['a', 'b-c', 'd'],
        ['a', 'b', 'c-d'],
        ['shop', 'production', 'web'],
        ['shop', 'production', 'api'],
        ['shop', 'staging', 'web'],
        ['x'.repeat(40), 'y'.repeat(40), 'web'],
        ['x'.repeat(40), 'y'.repeat(40), 'api'],
        ['x'.repeat(40), 'y'.repeat(39), 'web'],
      ] as const) {
        inputs.push([tenantId, app, environment, service]);
      }
    }
    const names = inputs.map(([tenantId, app, environment, service]) => serviceName({ tenantId, app, environment }, service));
    expect(new Set(names).size).toBe(inputs.length);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      expect(n).toMatch(DNS_LABEL);
    }
  });

  it('give each tenant environment its own network and volumes', () => {
    const nets = [
      environmentNetworkName(env),
      environmentNetworkName({ ...env, environment: 'staging' }),
      environmentNetworkName({ ...env, tenantId: T2 }),
      stackNetworkName(env, 'back'),
    ];
    expect(new Set(nets).size).toBe(nets.length);
    expect(volumeName(env, 'data')).not.toBe(volumeName({ ...env, environment: 'staging' }, 'data'));
  });

  it('put a content hash in secret names: a new value is a new secret', () => {
    const a = secretName(env, 'db_password', 'one');
    expect(secretName(env, 'db_password', 'one')).toBe(a);
    expect(secretName(env, 'db_password', 'two')).not.toBe(a);
    expect(secretName({ ...env, tenantId: T2 }, 'db_password', 'one')).not.toBe(a);
    expect(a.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(a).not.toContain('one');
  });

  it('refuse inputs that are not names', () => {
    expect(() => serviceName({ ...env, tenantId: 'acme' }, 'web')).toThrow(InvalidNameError);
    expect(() => serviceName({ ...env, app: 'a--b' }, 'web')).toThrow(InvalidNameError);
    expect(() => serviceName({ ...env, app: 'Shop' }, 'web')).toThrow(InvalidNameError);
    expect(() => serviceName(env, 'web;rm')).toThrow(InvalidNameError);
    expect(() => serviceName(env, '../x')).toThrow(InvalidNameError);
    expect(() => secretName(env, 'a/b', 'v')).toThrow(InvalidNameError);
  });
});
