import { StackSpec } from '@wharf/engine';
import { describe, expect, it } from 'vitest';
import { applyBindings, bindingNetworkName, bindingPrefix } from './bindings.js';

const stack = StackSpec.parse({
  services: [
    { name: 'api', image: '127.0.0.1:5000/shop/api:1', env: { DB_HOST: 'localhost', KEEP: 'me' } },
    { name: 'worker', image: '127.0.0.1:5000/shop/worker:1' },
  ],
});
const needs = [
  { name: 'db', service: 'api', alias: 'db' },
  { name: 'cache', service: 'worker', alias: 'redis-main' },
  { name: 'search', service: 'worker', alias: 'search' },
];

describe('applyBindings', () => {
  it('turns each binding into variables, a DNS alias for an IP, a network for another app', () => {
    const { stack: out, missing } = applyBindings(stack, needs, {
      db: { kind: 'address', host: '10.0.0.7', port: 5432 },
      cache: { kind: 'url', url: 'redis://cache.example.test:6380/0' },
      search: {
        kind: 'service',
        host: 't-1--search--production--web',
        port: 9200,
        network: { app: 'search', environment: 'production' },
      },
    });
    expect(missing).toEqual([]);
    const api = out.services.find((s) => s.name === 'api');
    const worker = out.services.find((s) => s.name === 'worker');
    expect(api?.env).toEqual({ DB_HOST: '10.0.0.7', DB_PORT: '5432', DB_ADDR: '10.0.0.7:5432', KEEP: 'me' });
    expect(api?.extraHosts).toEqual([{ host: 'db', ip: '10.0.0.7' }]);
    expect(worker?.env).toMatchObject({
      REDIS_MAIN_URL: 'redis://cache.example.test:6380/0',
      REDIS_MAIN_HOST: 'cache.example.test',
      REDIS_MAIN_PORT: '6380',
      SEARCH_HOST: 't-1--search--production--web',
      SEARCH_PORT: '9200',
    });
    expect(worker?.extraHosts).toEqual([]);
    const network = bindingNetworkName('search', 'production');
    expect(worker?.networks).toEqual([network]);
    expect(out.networks[network]).toEqual({
      internal: false,
      labels: {},
      environmentOf: { app: 'search', environment: 'production' },
    });
    // a copy: the compiled stack is untouched
    expect(stack.services[0]?.env.DB_HOST).toBe('localhost');
    expect(StackSpec.safeParse(out).success).toBe(true);
  });

  it('reports the needs an environment does not bind', () => {
    const { missing } = applyBindings(stack, needs, { db: { kind: 'url', url: 'postgres://db.example.test/app' } });
    expect(missing.map((m) => m.name)).toEqual(['cache', 'search']);
  });

  it('names variables from the alias', () => {
    expect(bindingPrefix('db-main.eu')).toBe('DB_MAIN_EU');
  });
});
