import type { Binding } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { type BindingDraft, describeBinding, draftOf, readBinding } from './bindings';

const draft = (change: Partial<BindingDraft>): BindingDraft => ({ ...draftOf(undefined), ...change });

describe('draftOf and readBinding', () => {
  it('read back every kind of binding as it was', () => {
    const bindings: Binding[] = [
      { kind: 'address', host: 'db.internal', port: 5432 },
      { kind: 'url', url: 'postgres://u:p@db.example.com:5432/app' },
      { kind: 'service', app: 'billing', service: 'api', environment: 'staging', port: 8080 },
      { kind: 'service', app: 'billing', service: 'api', environment: 'production' },
    ];
    for (const binding of bindings) expect(readBinding(draftOf(binding))).toEqual({ ok: true, binding });
  });

  it('leaves a name unbound with no kind, and trims what is typed', () => {
    expect(readBinding(draftOf(undefined))).toEqual({ ok: true, binding: undefined });
    expect(readBinding(draft({ kind: 'address', host: ' 10.0.0.5 ', port: ' 6379 ' }))).toEqual({
      ok: true,
      binding: { kind: 'address', host: '10.0.0.5', port: 6379 },
    });
  });

  it('names the first field that is missing or wrong', () => {
    expect(readBinding(draft({ kind: 'address', port: '80' }))).toEqual({ ok: false, field: 'host', problem: 'required' });
    expect(readBinding(draft({ kind: 'address', host: 'h', port: '70000' }))).toEqual({
      ok: false,
      field: 'port',
      problem: 'port',
    });
    expect(readBinding(draft({ kind: 'address', host: 'h', port: '8.5' }))).toEqual({
      ok: false,
      field: 'port',
      problem: 'port',
    });
    expect(readBinding(draft({ kind: 'url', url: 'not a url' }))).toEqual({ ok: false, field: 'url', problem: 'url' });
    expect(readBinding(draft({ kind: 'service', app: 'a' }))).toEqual({ ok: false, field: 'service', problem: 'required' });
    expect(readBinding(draft({ kind: 'service', app: 'a', service: 's', servicePort: 'x' }))).toEqual({
      ok: false,
      field: 'servicePort',
      problem: 'port',
    });
  });

  it('takes production when the other app’s environment is left blank', () => {
    expect(readBinding(draft({ kind: 'service', app: 'a', service: 's', environment: ' ' }))).toEqual({
      ok: true,
      binding: { kind: 'service', app: 'a', service: 's', environment: 'production' },
    });
  });
});

describe('describeBinding', () => {
  it('says where each kind points', () => {
    expect(describeBinding({ kind: 'address', host: 'db', port: 5432 })).toBe('db:5432');
    expect(describeBinding({ kind: 'url', url: 'https://x.example' })).toBe('https://x.example');
    expect(describeBinding({ kind: 'service', app: 'b', service: 'api', environment: 'production', port: 80 })).toBe(
      'b/api (production):80',
    );
  });
});
