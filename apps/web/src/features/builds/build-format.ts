import { type Build, type BuildStatusName, FINAL_BUILD_STATUSES } from '@wharf/contracts';

/** Lines of a build's log kept in the page; older ones are dropped (the count is shown). */
export const MAX_BUILD_LOG_LINES = 5_000;

export function isFinalBuild(status: BuildStatusName): boolean {
  return FINAL_BUILD_STATUSES.includes(status);
}

/** The first 7 hex digits of a commit id, as git shows it. */
export function shortCommit(commit: string | null): string {
  return commit ? commit.slice(0, 7) : '';
}

/** `main@1a2b3c4`, `main` before the commit is resolved, `—` for an uploaded archive. */
export function buildRef(build: Pick<Build, 'branch' | 'commit'>): string {
  const commit = shortCommit(build.commit);
  if (build.branch && commit) return `${build.branch}@${commit}`;
  return build.branch ?? (commit || '—');
}

/** A build's log as it streams: whole lines, the line still being written, and how many lines were dropped. */
export interface LogText {
  lines: readonly string[];
  partial: string;
  /** Lines dropped from the front to keep `max`: also the number of the first kept line, minus one. */
  dropped: number;
}

export const EMPTY_LOG: LogText = { lines: [], partial: '', dropped: 0 };

/**
 * Adds a chunk of the log (newline-separated lines; a chunk may end inside a line, which the next chunk completes).
 * `\r\n` ends a line like `\n`; a lone `\r` (a progress bar redrawing its line) ends one too.
 */
export function appendLog(log: LogText, text: string, max = MAX_BUILD_LOG_LINES): LogText {
  if (text === '') return log;
  const parts = (log.partial + text).split(/\r\n|\n|\r/);
  const partial = parts.pop() ?? '';
  if (parts.length === 0) return { ...log, partial };
  const all = [...log.lines, ...parts];
  const over = Math.max(0, all.length - max);
  return { lines: over > 0 ? all.slice(over) : all, partial, dropped: log.dropped + over };
}

/** What the log panel shows: the whole lines and the one still being written. */
export function visibleLines(log: LogText): readonly string[] {
  return log.partial === '' ? log.lines : [...log.lines, log.partial];
}
