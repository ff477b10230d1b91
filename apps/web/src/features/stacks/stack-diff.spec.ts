import type { StackDiff } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { diffCounts, diffSections } from './stack-diff';

const none = { added: [], removed: [] };
const diff = (change: Partial<StackDiff>): StackDiff => ({
  environment: 'production',
  from: null,
  services: { ...none, changed: [] },
  networks: none,
  volumes: none,
  secrets: none,
  configs: { ...none, changed: [] },
  ...change,
});

describe('diffSections', () => {
  it('lists each kind that changes, added then changed then removed, with what changed', () => {
    const sections = diffSections(
      diff({
        services: { added: ['web'], removed: ['old'], changed: [{ name: 'api', changes: ['image', 'replicas'] }] },
        volumes: { added: ['data'], removed: [] },
        configs: { added: [], removed: [], changed: ['nginx.conf'] },
      }),
    );
    expect(sections).toEqual([
      {
        kind: 'services',
        entries: [
          { name: 'web', change: 'added', details: [] },
          { name: 'api', change: 'changed', details: ['image', 'replicas'] },
          { name: 'old', change: 'removed', details: [] },
        ],
      },
      { kind: 'volumes', entries: [{ name: 'data', change: 'added', details: [] }] },
      { kind: 'configs', entries: [{ name: 'nginx.conf', change: 'changed', details: [] }] },
    ]);
    expect(diffCounts(sections)).toEqual({ added: 2, changed: 2, removed: 1 });
  });

  it('is empty when deploying would change nothing', () => {
    expect(diffSections(diff({}))).toEqual([]);
    expect(diffCounts([])).toEqual({ added: 0, changed: 0, removed: 0 });
  });
});
