import type { StackDiff } from '@wharf/contracts';

export const DIFF_KINDS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;
export type DiffKind = (typeof DIFF_KINDS)[number];
export type ChangeType = 'added' | 'changed' | 'removed';

export interface DiffEntry {
  name: string;
  change: ChangeType;
  /** What changed (services only: `image`, `replicas`, …). */
  details: string[];
}

export interface DiffSection {
  kind: DiffKind;
  entries: DiffEntry[];
}

/** The diff per kind of object, added then changed then removed, leaving out kinds with nothing to do. */
export function diffSections(diff: StackDiff): DiffSection[] {
  return DIFF_KINDS.flatMap((kind) => {
    const part = diff[kind];
    const changed: DiffEntry[] =
      'changed' in part
        ? part.changed.map((c) =>
            typeof c === 'string'
              ? { name: c, change: 'changed' as const, details: [] }
              : { name: c.name, change: 'changed' as const, details: c.changes },
          )
        : [];
    const entries: DiffEntry[] = [
      ...part.added.map((name) => ({ name, change: 'added' as const, details: [] })),
      ...changed,
      ...part.removed.map((name) => ({ name, change: 'removed' as const, details: [] })),
    ];
    return entries.length > 0 ? [{ kind, entries }] : [];
  });
}

/** Counts of the whole diff by change, for its summary line. */
export function diffCounts(sections: readonly DiffSection[]): Record<ChangeType, number> {
  const counts: Record<ChangeType, number> = { added: 0, changed: 0, removed: 0 };
  for (const section of sections) for (const entry of section.entries) counts[entry.change] += 1;
  return counts;
}
