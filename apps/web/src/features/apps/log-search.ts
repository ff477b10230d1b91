import type { LogLine } from './use-log-stream';

/** A piece of a line's text: `match` when it is an occurrence of the search. */
export interface TextPart {
  text: string;
  match: boolean;
}

/** The search as the lines are compared with it: case-insensitive, and nothing when blank. */
function needle(query: string): string {
  return query.trim().toLocaleLowerCase();
}

/** The lines whose text contains the search (every line for a blank one). */
export function filterLines<T extends Pick<LogLine, 'line'>>(lines: readonly T[], query: string): readonly T[] {
  const q = needle(query);
  return q ? lines.filter((l) => l.line.toLocaleLowerCase().includes(q)) : lines;
}

/** The text cut around each occurrence of the search, for highlighting (one plain part for a blank search). */
export function splitMatches(text: string, query: string): TextPart[] {
  const q = needle(query);
  if (!q) return [{ text, match: false }];
  const lower = text.toLocaleLowerCase();
  const parts: TextPart[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, at + q.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + q.length), match: true });
    from = at + q.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/** The lines as a `.log` file: one per line, `<ISO time> <replica> <stream> <text>`. */
export function logFileText(lines: readonly Pick<LogLine, 'at' | 'source' | 'stream' | 'line'>[]): string {
  return lines.map((l) => `${l.at} ${l.source || '-'} ${l.stream} ${l.line}\n`).join('');
}

/** `<app>-<service>-<environment>-<UTC time>.log`, safe as a file name on every system. */
export function logFileName(parts: { app: string; service: string; environment: string }, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '');
  const name = [parts.app, parts.service, parts.environment, stamp].join('-');
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.log`;
}
