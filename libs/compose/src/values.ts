import { childPath, isMap, isSeq, type YMap, type YSeq, type YValue } from './tree.js';

/*
 * Lenient readers of document values. Validation has already reported a value of the wrong type, so these return
 * undefined for it instead of reporting again. Scalars convert as compose converts them after interpolation:
 * `"8080"` is a number where a number is expected, `"true"` a boolean.
 */

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

export function asString(v: YValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function asBool(v: YValue | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return undefined;
}

export function isBoolLike(v: YValue | undefined): boolean {
  return asBool(v) !== undefined;
}

export function asNumber(v: YValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i.test(v)) return Number(v);
  return undefined;
}

export function asInt(v: YValue | undefined): number | undefined {
  const n = asNumber(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

export function asMap(v: YValue | undefined): YMap | undefined {
  return isMap(v) ? v : undefined;
}

export function asSeq(v: YValue | undefined): YSeq | undefined {
  return isSeq(v) ? v : undefined;
}

/** A string or a list of strings (compose's `string_or_list`), with the path of each item. */
export function stringList(v: YValue | undefined, path: string): { value: string; path: string }[] {
  if (v === undefined || v === null) return [];
  const single = asString(v);
  if (single !== undefined) return [{ value: single, path }];
  if (!isSeq(v)) return [];
  const out: { value: string; path: string }[] = [];
  v.forEach((item, i) => {
    const s = asString(item);
    if (s !== undefined) out.push({ value: s, path: childPath(path, i) });
  });
  return out;
}

export interface Entry {
  key: string;
  /** Undefined: the key is given without a value (`- KEY` or `KEY:`). */
  value: string | undefined;
  path: string;
}

/**
 * Compose's `list_or_dict`: `["KEY=value", "KEY"]` or `{KEY: value}` (value a string, number, boolean or null), as
 * entries in order. In the list form a later entry of the same key wins, as in compose.
 */
export function listOrDict(v: YValue | undefined, path: string, separator = '='): Entry[] {
  const out = new Map<string, Entry>();
  if (isMap(v)) {
    for (const [key, value] of v) {
      out.set(key, { key, value: value === null ? undefined : asString(value), path: childPath(path, key) });
    }
  } else if (isSeq(v)) {
    v.forEach((item, i) => {
      const s = asString(item);
      if (s === undefined) return;
      const at = s.indexOf(separator);
      const key = at < 0 ? s : s.slice(0, at);
      out.set(key, { key, value: at < 0 ? undefined : s.slice(at + 1), path: childPath(path, i) });
    });
  }
  return [...out.values()];
}

/** Quotes a value for a message, shortened. */
export function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
