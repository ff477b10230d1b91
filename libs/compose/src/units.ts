/*
 * Durations and sizes as compose writes them.
 */

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** A Go duration (`1m30s`, `10s`, `500ms`, `1h`, `2us`, `1.5s`, `0`) in milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (s === '') return undefined;
  let ms = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < s.length) {
    const m = DURATION_PART.exec(s);
    if (!m) return undefined;
    ms += Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(ms) ? ms : undefined;
}

/** `90000` → `1m30s`, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}

const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([bkmgtp])?(?:i?b)?$/i;
const SIZE_POWER: Record<string, number> = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

/**
 * A size in bytes (Docker's `RAMInBytes`: `512M`, `1g`, `64mb`, `1GiB`, `100k`, or a number of bytes; the units are
 * binary, 1k = 1024). Undefined when it is not one.
 */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = SIZE.exec(value.trim());
  if (!m) return undefined;
  const power = SIZE_POWER[(m[2] ?? 'b').toLowerCase()] ?? 0;
  return Number(m[1]) * 1024 ** power;
}

export const MIB = 1024 * 1024;

/** Bytes → whole MiB, rounded up (a limit is never made smaller than asked). */
export function toMiB(bytes: number): number {
  return Math.ceil(bytes / MIB);
}
