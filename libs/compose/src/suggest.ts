/*
 * "Did you mean": the closest candidate by optimal-string-alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), case-insensitive, within 2 edits (1 for words of up to 3 letters), or else a candidate the word
 * is a prefix of (or that is a prefix of the word).
 */

export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}

/** The candidate `word` most likely stands for, if one is close enough. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let prefix: string | undefined;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const distance = editDistance(w, lc, limit);
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
    if (prefix === undefined && w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc))) prefix = c;
  }
  return best ?? prefix;
}

/** `; did you mean "ports"?` or the empty string. */
export function suggestion(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `; did you mean "${c}"?`;
}
