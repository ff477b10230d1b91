/*
 * Lining up a list as it is in the file with the list the form wants: items equal in both stay untouched (a longest
 * common subsequence), the others are changed in place where one replaces another, removed or inserted.
 */

export type Step =
  | { kind: 'keep'; from: number; to: number }
  | { kind: 'change'; from: number; to: number }
  | { kind: 'remove'; from: number }
  /** Insert `after[to]` right after `before[previous]` (-1: before the first item). */
  | { kind: 'insert'; to: number; previous: number };

const MAX_CELLS = 250_000;

export function align<T>(before: readonly T[], after: readonly T[], same: (a: T, b: T) => boolean): Step[] {
  const n = before.length;
  const m = after.length;
  const matches: [number, number][] = [];
  if (n * m <= MAX_CELLS) {
    // lcs[i][j]: length of the longest common subsequence of before[i..] and after[j..]
    const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
    for (let i = n - 1; i >= 0; i -= 1) {
      const row = lcs[i] as number[];
      const below = lcs[i + 1] as number[];
      for (let j = m - 1; j >= 0; j -= 1) {
        row[j] = same(before[i] as T, after[j] as T)
          ? (below[j + 1] as number) + 1
          : Math.max(below[j] as number, row[j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (same(before[i] as T, after[j] as T)) {
        matches.push([i, j]);
        i += 1;
        j += 1;
      } else if ((lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0)) i += 1;
      else j += 1;
    }
  }
  matches.push([n, m]);
  const steps: Step[] = [];
  let i = 0;
  let j = 0;
  for (const [mi, mj] of matches) {
    let previous = i - 1;
    while (i < mi && j < mj) {
      steps.push({ kind: 'change', from: i, to: j });
      previous = i;
      i += 1;
      j += 1;
    }
    while (i < mi) {
      steps.push({ kind: 'remove', from: i });
      i += 1;
    }
    while (j < mj) {
      steps.push({ kind: 'insert', to: j, previous });
      j += 1;
    }
    if (mi < n) {
      steps.push({ kind: 'keep', from: mi, to: mj });
      i = mi + 1;
      j = mj + 1;
    }
  }
  return steps;
}
