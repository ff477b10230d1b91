import type { SourceLocation } from './types.js';

/*
 * The compose document as plain data (mappings are `Map`s, so no key can reach a prototype), and where each value
 * of it was written. Locations hang off the containers, so they follow values through anchors, merge keys and
 * `extends`: a key a service inherits is reported where it is written.
 */

export type YScalar = string | number | boolean | null;
export type YMap = Map<string, YValue>;
export type YSeq = YValue[];
export type YValue = YScalar | YSeq | YMap;

export interface Position {
  line: number;
  column: number;
}

export const isMap = (v: unknown): v is YMap => v instanceof Map;
export const isSeq = (v: unknown): v is YSeq => Array.isArray(v);
export const isScalar = (v: unknown): v is YScalar =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const START: Position = { line: 1, column: 1 };
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `services` + `web` → `services.web`; a key that is not plain is quoted: `labels["com.example.x"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** The segments of a path written by `childPath`; undefined when it is not one. */
export function parsePath(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const end = path[i + 1] === '"' ? closingQuote(path, i + 1) : path.indexOf(']', i);
      if (end < 0) return undefined;
      const inner = path.slice(i + 1, path[i + 1] === '"' ? end + 1 : end);
      if (inner.startsWith('"')) {
        if (path[end + 1] !== ']') return undefined;
        try {
          out.push(String(JSON.parse(inner)));
        } catch {
          return undefined;
        }
        i = end + 2;
      } else {
        if (!/^\d+$/.test(inner)) return undefined;
        out.push(Number(inner));
        i = end + 1;
      }
    } else {
      if (path[i] === '.') i++;
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      if (j === i) return undefined;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/**
 * Locations of the entries of every mapping and sequence of one document, kept as source offsets and turned into
 * lines and columns only when asked for.
 */
export class SourceMap {
  private readonly entries = new WeakMap<YMap | YSeq, Map<string | number, number>>();
  root: YValue = null;
  /** Offset → line and column (set by the parser, which counts the lines). */
  toPosition: (offset: number) => Position = () => START;

  constructor(readonly file: string) {}

  set(container: YMap | YSeq, key: string | number, at: number): void {
    let m = this.entries.get(container);
    if (!m) {
      m = new Map();
      this.entries.set(container, m);
    }
    m.set(key, at);
  }

  get(container: YMap | YSeq, key: string | number): number | undefined {
    return this.entries.get(container)?.get(key);
  }

  /** Gives `to[toKey]` the location of `from[fromKey]`, if that has one. */
  copy(from: YMap | YSeq, fromKey: string | number, to: YMap | YSeq, toKey: string | number): void {
    const at = this.get(from, fromKey);
    if (at !== undefined) this.set(to, toKey, at);
  }

  /** A deep copy of `v` whose entries keep their locations (an alias expanded is a copy of its anchored value). */
  copyValue(v: YValue): YValue {
    if (isSeq(v)) {
      const out: YSeq = v.map((item) => this.copyValue(item));
      for (let i = 0; i < v.length; i++) this.copy(v, i, out, i);
      return out;
    }
    if (isMap(v)) {
      const out: YMap = new Map();
      for (const [k, item] of v) {
        out.set(k, this.copyValue(item));
        this.copy(v, k, out, k);
      }
      return out;
    }
    return v;
  }

  /** Location of a path, or of its nearest ancestor that has one (the document's start at worst). */
  locate(path: string): SourceLocation {
    const at = this.position(path);
    return { file: this.file, line: at.line, column: at.column };
  }

  private position(path: string): Position {
    const segments = parsePath(path) ?? [];
    let node: YValue = this.root;
    let best: number | undefined;
    for (const seg of segments) {
      if (isMap(node) && typeof seg === 'string' && node.has(seg)) {
        best = this.get(node, seg) ?? best;
        node = node.get(seg) ?? null;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.length) {
        best = this.get(node, seg) ?? best;
        node = node[seg] ?? null;
      } else {
        break;
      }
    }
    return best === undefined ? START : this.toPosition(best);
  }
}
