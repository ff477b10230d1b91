import { CST } from 'yaml';
import type { YValue } from './tree.js';

/*
 * The pieces of parse-fast.ts that read one line of YAML text: blanks and comments, where scalars start and end,
 * and what a one-line scalar means (quoted scalars' escapes, plain scalars under the YAML 1.2 core schema).
 */

/** Thrown to give up on the fast path; caught by `parseFast` only. */
export class NotFast extends Error {}

export function notFast(): never {
  throw new NotFast();
}

export const SPACE = 0x20;
export const HASH = 0x23;
export const COLON = 0x3a;
export const DASH = 0x2d;
/** Characters a plain scalar may not start with (`-` is handled apart: it may, when not followed by a space). */
const NOT_PLAIN_START = new Set('?:,[]{}#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));
/** Flow indicators: a plain `-` before one of them is not a scalar. */
export const FLOW_STOP = new Set(',[]{}'.split('').map((c) => c.charCodeAt(0)));

export function skipSpaces(src: string, at: number, end: number): number {
  let p = at;
  while (p < end && src.charCodeAt(p) === SPACE) p++;
  return p;
}

/** Only spaces (or nothing) from `at` to the end of the line, or a space then a comment. */
export function isBlank(src: string, at: number, end: number): boolean {
  if (at >= end) return true;
  return src.charCodeAt(at) === SPACE && (skipSpaces(src, at, end) === end || isComment(src, at, end));
}

export function spaceOrEnd(src: string, at: number, end: number): boolean {
  return at >= end || src.charCodeAt(at) === SPACE;
}

export function isComment(src: string, at: number, end: number): boolean {
  const p = skipSpaces(src, at, end);
  return p === end || src.charCodeAt(p) === HASH;
}

export function plainStart(src: string, at: number): boolean {
  const c = src.charCodeAt(at);
  if (Number.isNaN(c) || c === SPACE || NOT_PLAIN_START.has(c)) return false;
  if (c !== DASH) return true;
  const next = src.charCodeAt(at + 1);
  return !Number.isNaN(next) && next !== SPACE && next !== 0x0a;
}

/** The offset of the closing quote of the scalar opened at `at`, on the same line. */
export function quoteEnd(src: string, at: number, end: number): number {
  const q = src.charCodeAt(at);
  for (let i = at + 1; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x5c && q === 0x22) i++;
    else if (c === q) {
      if (q === 0x27 && src.charCodeAt(i + 1) === 0x27) i++;
      else return i;
    }
  }
  return notFast();
}

/** The text of a one-line quoted scalar from `at` to its closing quote `close`. */
export function quoted(src: string, at: number, close: number): string {
  const body = src.slice(at + 1, close);
  if (src.charCodeAt(at) === 0x27) return body.includes("'") ? body.replaceAll("''", "'") : body;
  if (!body.includes('\\')) return body;
  // escapes are the yaml package's own code, so they mean exactly what they mean to it
  let failed = false;
  const token: CST.FlowScalar = { type: 'double-quoted-scalar', offset: at, indent: 0, source: src.slice(at, close + 1) };
  const resolved = CST.resolveAsScalar(token, false, () => {
    failed = true;
  });
  if (failed || !resolved) notFast();
  return resolved?.value ?? notFast();
}

const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const NUMBER_START = /^[-+.0-9]/;

/** A plain scalar under the YAML 1.2 core schema, as yaml's core tags resolve it (schema/core/*.js). */
export function plainValue(text: string): YValue {
  switch (text) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  if (!NUMBER_START.test(text)) return text;
  if (OCT.test(text)) return Number.parseInt(text.substring(2), 8);
  if (INT.test(text)) return Number.parseInt(text, 10);
  if (HEX.test(text)) return Number.parseInt(text.substring(2), 16);
  if (SPECIAL_FLOAT.test(text))
    return text.slice(-3).toLowerCase() === 'nan'
      ? Number.NaN
      : text[0] === '-'
        ? Number.NEGATIVE_INFINITY
        : Number.POSITIVE_INFINITY;
  if (EXP_FLOAT.test(text) || FLOAT.test(text)) return Number.parseFloat(text);
  return text;
}
