import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { align, type Step } from './reconcile.js';

/** What the steps make of `before`: kept and changed items in place, inserts right after their `previous`. */
function replay(before: readonly string[], after: readonly string[], steps: readonly Step[]): string[] {
  const out: string[] = [];
  const inserts = (previous: number): void => {
    for (const step of steps) if (step.kind === 'insert' && step.previous === previous) out.push(after[step.to] ?? '');
  };
  inserts(-1);
  before.forEach((item, index) => {
    const step = steps.find((s) => s.kind !== 'insert' && s.from === index);
    if (step?.kind === 'keep') out.push(item);
    if (step?.kind === 'change') out.push(after[step.to] ?? '');
    inserts(index);
  });
  return out;
}

describe('align', () => {
  it('keeps the common items and changes the others in place', () => {
    expect(align(['a', 'b', 'c'], ['a', 'x', 'c', 'd'], (x, y) => x === y)).toEqual([
      { kind: 'keep', from: 0, to: 0 },
      { kind: 'change', from: 1, to: 1 },
      { kind: 'keep', from: 2, to: 2 },
      { kind: 'insert', to: 3, previous: 2 },
    ]);
    expect(align(['a', 'b'], [], (x, y) => x === y)).toEqual([
      { kind: 'remove', from: 0 },
      { kind: 'remove', from: 1 },
    ]);
  });

  it('turns any list into any other', () => {
    const list = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 8 });
    fc.assert(
      fc.property(list, list, (before, after) => {
        expect(
          replay(
            before,
            after,
            align(before, after, (x, y) => x === y),
          ),
        ).toEqual(after);
      }),
      { numRuns: 200 },
    );
  });
});
