import { describe, expect, it } from 'vitest';
import { StackSpec } from './model.js';
import { diffStacks } from './stack-diff.js';
import { stackUsage } from './usage.js';

const svc = (name: string, more: Record<string, unknown> = {}) => ({ name, image: '127.0.0.1:5000/shop/app:1', ...more });
const before = StackSpec.parse({
  services: [svc('web', { env: { A: '1', B: '2' } }), svc('api'), svc('old')],
  volumes: { data: {} },
  configs: { nginx: {} },
});
const after = StackSpec.parse({
  services: [
    svc('web', { env: { A: '1', C: '3' }, replicas: 2 }),
    svc('api', { image: '127.0.0.1:5000/shop/app:2' }),
    svc('new'),
  ],
  networks: { back: {} },
  configs: { nginx: {} },
});

describe('diffStacks', () => {
  it('lists what is added, changed and removed, never a variable’s value', () => {
    const d = diffStacks(before, after, { from: { nginx: 'a' }, to: { nginx: 'b' } });
    expect(d.services).toEqual({
      added: ['new'],
      removed: ['old'],
      changed: [
        { name: 'web', changes: ['env.B removed', 'env.C added', 'replicas'] },
        { name: 'api', changes: ['image 127.0.0.1:5000/shop/app:1 → 127.0.0.1:5000/shop/app:2'] },
      ],
    });
    expect(d.networks).toEqual({ added: ['back'], removed: [] });
    expect(d.volumes).toEqual({ added: [], removed: ['data'] });
    expect(d.configs).toEqual({ added: [], removed: [], changed: ['nginx'] });
    expect(JSON.stringify(d)).not.toContain('"3"');
  });

  it('adds everything when nothing runs yet, and nothing when the revision is the same', () => {
    expect(diffStacks(undefined, after).services.added).toEqual(['web', 'api', 'new']);
    const same = diffStacks(after, after);
    expect(same.services).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('stackUsage', () => {
  it('counts services and the limits of every replica', () => {
    expect(stackUsage(after)).toEqual({ services: 3, cpuMillis: 4 * 500, memoryMiB: 4 * 256 });
  });
});
