import { LineCounter } from 'yaml';
import { MAX_ALIAS_NODES, MAX_DEPTH } from './parse-limits.js';
import {
  COLON,
  DASH,
  FLOW_STOP,
  HASH,
  isBlank,
  NotFast,
  notFast,
  plainStart,
  plainValue,
  quoted,
  quoteEnd,
  SPACE,
  skipSpaces,
  spaceOrEnd,
} from './parse-scalars.js';
import { isMap, type SourceMap, type YMap, type YSeq, type YValue } from './tree.js';

/*
 * The common shape of a compose file (block mappings and sequences, one-line scalars, one-line flow collections,
 * anchors, aliases and merge keys), read straight into the document tree without composing a yaml Document, which
 * costs most of the compile time of a large file. Anything outside that shape, and anything that would be reported
 * (a syntax error, a duplicate key, an alias bomb...), makes `parseFast` give up: the caller then parses with the
 * yaml package, so every message and position stays the library's. The result must equal what parse.ts's Walker
 * makes of the same text: same values, same positions, same Map order (parse-fast.spec.ts checks this).
 */

/** The tree and the line counter of `source`, or undefined when the yaml package must read it. */
export function parseFast(source: string, map: SourceMap): { root: YMap; lines: LineCounter } | undefined {
  try {
    return new FastParser(source, map).parse();
  } catch (e) {
    // giving up is an answer (the caller parses the slow way); anything else is a bug and goes up
    if (e instanceof NotFast) return undefined;
    throw e;
  }
}

const ANCHOR_NAME = /^[A-Za-z0-9_-]+/;
/** A key longer than this is left to the yaml package (it limits implicit keys to 1024 characters). */
const MAX_KEY = 1000;

interface Anchor {
  value: YValue;
  /** How many values the Walker visits to expand it (its bomb guard counts these). */
  cost: number;
  /** How many levels it nests below itself (the Walker's depth guard counts from the alias). */
  depth: number;
}

class FastParser {
  private readonly starts: number[] = [];
  private readonly lines = new LineCounter();
  /** Index of the line being read. */
  private line = 0;
  private readonly anchors = new Map<string, Anchor>();
  /** Anchors whose value is still being read (an alias to one of them is a loop). */
  private readonly open = new Set<string>();
  /** Values the Walker would visit, counted as it does (see Anchor.cost). */
  private cost = 0;
  private aliasNodes = 0;
  private deepest = 0;
  /** Where the value `value` read last starts (after its anchor), as yaml's node ranges start. */
  private valueAt = 0;

  constructor(
    private readonly src: string,
    private readonly map: SourceMap,
  ) {}

  parse(): { root: YMap; lines: LineCounter } {
    const src = this.src;
    this.startLine(0);
    for (let i = 0; i < src.length; i++) {
      const c = src.charCodeAt(i);
      // printable ASCII only: no tabs, carriage returns, BOM or other characters yaml treats specially
      if (c === 0x0a) this.startLine(i + 1);
      else if (c < SPACE || c > 0x7e) notFast();
    }
    if (this.nextIndent() !== 0 || this.isSeqItem(this.starts[this.line] ?? 0)) notFast();
    const root = this.mapping(this.starts[this.line] ?? 0, 0, 0);
    if (this.nextIndent() !== -1 || this.deepest > MAX_DEPTH || this.aliasNodes > MAX_ALIAS_NODES) notFast();
    return { root, lines: this.lines };
  }

  private startLine(at: number): void {
    // directives and document markers are left to the yaml package
    const c = this.src.charCodeAt(at);
    if (c === 0x25 || this.src.startsWith('---', at) || this.src.startsWith('...', at)) notFast();
    this.starts.push(at);
    this.lines.addNewLine(at);
  }

  private lineEnd(line: number): number {
    const next = this.starts[line + 1];
    return next === undefined ? this.src.length : next - 1;
  }

  /** Skips blank and comment lines; the indentation of the next line with content, -1 at the end. */
  private nextIndent(): number {
    const src = this.src;
    for (; this.line < this.starts.length; this.line++) {
      const start = this.starts[this.line] ?? 0;
      const end = this.lineEnd(this.line);
      let i = start;
      while (i < end && src.charCodeAt(i) === SPACE) i++;
      if (i < end && src.charCodeAt(i) !== HASH) return i - start;
    }
    return -1;
  }

  private isSeqItem(at: number): boolean {
    if (this.src.charCodeAt(at) !== DASH) return false;
    const next = this.src.charCodeAt(at + 1);
    return next === SPACE || next === 0x0a || Number.isNaN(next);
  }

  private visit(depth: number): void {
    // deeper than the Walker allows: it will say so (and the recursion here stays shallow)
    if (depth > MAX_DEPTH) notFast();
    this.cost++;
    if (depth > this.deepest) this.deepest = depth;
  }

  /** A block mapping whose first key starts at `at` (column `indent`) of the current line. */
  private mapping(at: number, indent: number, depth: number): YMap {
    this.visit(depth);
    const out: YMap = new Map();
    const merges: YValue[][] = [];
    let p = at;
    for (;;) {
      const colon = this.keyEnd(p);
      if (colon < 0) notFast();
      const text = this.keyText(p, colon);
      if (text === '<<' && this.src.charCodeAt(p) === 0x3c) {
        merges.push(this.mergeSources(colon + 1, depth));
      } else {
        if (out.has(text)) notFast();
        out.set(text, this.value(colon + 1, indent, depth + 1, true));
        this.map.set(out, text, p);
      }
      const next = this.nextIndent();
      if (next < indent) break;
      if (next > indent) notFast();
      p = (this.starts[this.line] ?? 0) + next;
    }
    for (const sources of merges) this.merge(out, sources);
    return out;
  }

  /** The offset of the `:` ending the key that starts at `at`, or -1 when no key starts there. */
  private keyEnd(at: number): number {
    const src = this.src;
    const end = this.lineEnd(this.line);
    const c = src.charCodeAt(at);
    if (c === 0x22 || c === 0x27) {
      const close = quoteEnd(src, at, end);
      return src.charCodeAt(close + 1) === COLON && spaceOrEnd(src, close + 2, end) ? close + 1 : -1;
    }
    if (!plainStart(src, at)) return -1;
    for (let i = at; i < end; i++) {
      const ch = src.charCodeAt(i);
      if (ch === COLON && spaceOrEnd(src, i + 1, end)) return i - at > MAX_KEY ? -1 : i;
      if (ch === HASH && src.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** The key as the Walker spells it ('<<' for a plain merge key). */
  private keyText(at: number, colon: number): string {
    const c = this.src.charCodeAt(at);
    if (c === 0x22 || c === 0x27) return quoted(this.src, at, colon - 1);
    const text = this.src.slice(at, colon).trimEnd();
    if (text === '<<') return text;
    const v = plainValue(text);
    return v === null ? 'null' : String(v);
  }

  /**
   * The value after `:` or `- ` at `at`: the rest of the line, or (when that is empty) the block collection on the
   * lines below. Leaves `line` after what it read.
   */
  private value(at: number, parent: number, depth: number, inMap: boolean): YValue {
    const src = this.src;
    const end = this.lineEnd(this.line);
    let p = skipSpaces(src, at, end);
    let anchor: string | undefined;
    if (src.charCodeAt(p) === 0x26) {
      anchor = ANCHOR_NAME.exec(src.slice(p + 1, end))?.[0] ?? notFast();
      p += 1 + anchor.length;
      if (p < end && src.charCodeAt(p) !== SPACE) notFast();
      if (this.anchors.has(anchor) || this.open.has(anchor) || src.charCodeAt(skipSpaces(src, p, end)) === 0x2a) notFast();
      this.open.add(anchor);
      p = skipSpaces(src, p, end);
    }
    const before = { cost: this.cost, deepest: this.deepest };
    this.deepest = depth;
    let value: YValue;
    if (p >= end || src.charCodeAt(p) === HASH) {
      this.line++;
      const next = this.nextIndent();
      const start = (this.starts[this.line] ?? 0) + next;
      this.valueAt = start;
      // an anchored item over its collection: yaml's range for it is not where the collection starts
      if (anchor !== undefined && !inMap) notFast();
      if (next > parent) value = this.isSeqItem(start) ? this.sequence(next, depth) : this.mapping(start, next, depth);
      else if (inMap && next === parent && this.isSeqItem(start)) value = this.sequence(next, depth);
      else if (anchor === undefined && inMap) {
        value = null;
        this.visit(depth);
      } else value = notFast();
    } else {
      this.valueAt = p;
      const read = this.inline(p, end, depth);
      if (!isBlank(src, read.end, end)) notFast();
      value = read.value;
      this.line++;
    }
    if (anchor !== undefined) {
      this.open.delete(anchor);
      this.anchors.set(anchor, { value, cost: this.cost - before.cost, depth: this.deepest - depth });
    }
    this.deepest = Math.max(this.deepest, before.deepest);
    return value;
  }

  /** A value written on one line from `at`: an alias, a quoted or plain scalar, or a flow collection. */
  private inline(at: number, end: number, depth: number): { value: YValue; end: number } {
    const src = this.src;
    const c = src.charCodeAt(at);
    if (c === 0x2a) return this.alias(at, end, depth);
    if (c === 0x5b || c === 0x7b) return this.flow(at, end, depth);
    this.visit(depth);
    if (c === 0x22 || c === 0x27) {
      const close = quoteEnd(src, at, end);
      return { value: quoted(src, at, close), end: close + 1 };
    }
    if (!plainStart(src, at)) notFast();
    let stop = end;
    for (let i = at; i < end; i++) {
      const ch = src.charCodeAt(i);
      if (ch === HASH && src.charCodeAt(i - 1) === SPACE) {
        stop = i;
        break;
      }
      // `a: b: c` is an error (a plain scalar outside brackets may hold brackets: `\${A:-b}`)
      if (ch === COLON && spaceOrEnd(src, i + 1, end)) notFast();
    }
    // what follows `stop` is a comment or nothing
    return { value: plainValue(src.slice(at, stop).trimEnd()), end };
  }

  private alias(at: number, end: number, depth: number): { value: YValue; end: number } {
    const name = ANCHOR_NAME.exec(this.src.slice(at + 1, end))?.[0] ?? notFast();
    const target = this.anchors.get(name) ?? notFast();
    this.cost += 1 + target.cost;
    this.aliasNodes += target.cost;
    if (this.aliasNodes > MAX_ALIAS_NODES) notFast();
    this.deepest = Math.max(this.deepest, depth + target.depth);
    return { value: this.map.copyValue(target.value), end: at + 1 + name.length };
  }

  /** `[a, "b", *c]` or `{a: b}` on one line. */
  private flow(at: number, end: number, depth: number): { value: YValue; end: number } {
    const src = this.src;
    const isSeqOpen = src.charCodeAt(at) === 0x5b;
    const close = isSeqOpen ? 0x5d : 0x7d;
    this.visit(depth);
    const seq: YSeq = [];
    const map: YMap = new Map();
    let p = skipSpaces(src, at + 1, end);
    if (src.charCodeAt(p) === close) return { value: isSeqOpen ? seq : map, end: p + 1 };
    for (;;) {
      if (isSeqOpen) {
        const item = this.flowItem(p, end, depth + 1);
        this.map.set(seq, seq.length, p);
        seq.push(item.value);
        p = item.end;
      } else {
        const key = this.flowItem(p, end, -1);
        if (typeof key.value !== 'string' || src.charCodeAt(key.end) !== COLON || src.charCodeAt(key.end + 1) !== SPACE)
          notFast();
        const name = String(key.value);
        if (name === '<<' || map.has(name)) notFast();
        const value = this.flowItem(skipSpaces(src, key.end + 1, end), end, depth + 1);
        map.set(name, value.value);
        this.map.set(map, name, p);
        p = value.end;
      }
      p = skipSpaces(src, p, end);
      const c = src.charCodeAt(p);
      if (c === close) return { value: isSeqOpen ? seq : map, end: p + 1 };
      if (c !== 0x2c) notFast();
      p = skipSpaces(src, p + 1, end);
    }
  }

  /** One entry of a flow collection; depth -1 reads a key of a flow mapping (a string, not a visited value). */
  private flowItem(at: number, end: number, depth: number): { value: YValue; end: number } {
    const src = this.src;
    const c = src.charCodeAt(at);
    if (depth >= 0 && (c === 0x2a || c === 0x5b || c === 0x7b)) return this.inline(at, end, depth);
    if (depth >= 0) this.visit(depth);
    if (c === 0x22 || c === 0x27) {
      const close = quoteEnd(src, at, end);
      return { value: quoted(src, at, close), end: close + 1 };
    }
    if (!plainStart(src, at) || (c === DASH && FLOW_STOP.has(src.charCodeAt(at + 1)))) notFast();
    let i = at;
    for (; i < end; i++) {
      const ch = src.charCodeAt(i);
      if (ch === 0x2c || ch === 0x5d || ch === 0x7d) break;
      if (ch === HASH || ch === 0x5b || ch === 0x7b) notFast();
      if (ch === COLON) {
        if (depth >= 0 || src.charCodeAt(i + 1) !== SPACE) notFast();
        break;
      }
    }
    const text = src.slice(at, i).trimEnd();
    const v = plainValue(text);
    // a key is spelled as the Walker spells it
    return { value: depth < 0 ? (v === null ? 'null' : String(v)) : v, end: i };
  }

  /** A block sequence whose dashes are at column `indent`, from the current line. */
  private sequence(indent: number, depth: number): YSeq {
    this.visit(depth);
    const out: YSeq = [];
    const src = this.src;
    for (;;) {
      const start = (this.starts[this.line] ?? 0) + indent;
      const end = this.lineEnd(this.line);
      const p = skipSpaces(src, start + 1, end);
      // `-` alone (the item below it or empty), `- - a`, and items with properties before a key are left to yaml
      if (p >= end || src.charCodeAt(p) === HASH || this.isSeqItem(p)) notFast();
      const c = src.charCodeAt(p);
      const compact = c !== 0x26 && c !== 0x2a && c !== 0x5b && c !== 0x7b && this.keyEnd(p) >= 0;
      const item = compact
        ? this.mapping(p, p - (this.starts[this.line] ?? 0), depth + 1)
        : this.value(p, indent, depth + 1, false);
      this.map.set(out, out.length, compact ? p : this.valueAt);
      out.push(item);
      const next = this.nextIndent();
      if (next < indent) break;
      if (next > indent || !this.isSeqItem((this.starts[this.line] ?? 0) + next)) {
        if (next > indent) notFast();
        break;
      }
    }
    return out;
  }

  /** `<<: *a` or `<<: [*a, *b]`: the sources, each a mapping. */
  private mergeSources(at: number, depth: number): YValue[] {
    const src = this.src;
    const end = this.lineEnd(this.line);
    const p = skipSpaces(src, at, end);
    const c = src.charCodeAt(p);
    if (c !== 0x2a && c !== 0x5b) notFast();
    // the Walker visits merge sources one level below the mapping, and a list of sources is not itself visited
    const read = c === 0x2a ? this.alias(p, end, depth + 1) : this.aliasList(p, end, depth + 1);
    if (!isBlank(src, read.end, end)) notFast();
    this.line++;
    return 'values' in read ? read.values : [read.value];
  }

  private aliasList(at: number, end: number, depth: number): { values: YValue[]; end: number } {
    const src = this.src;
    const out: YValue[] = [];
    let p = skipSpaces(src, at + 1, end);
    for (;;) {
      if (src.charCodeAt(p) !== 0x2a) notFast();
      const read = this.alias(p, end, depth);
      out.push(read.value);
      p = skipSpaces(src, read.end, end);
      const c = src.charCodeAt(p);
      if (c === 0x5d) return { values: out, end: p + 1 };
      if (c !== 0x2c) notFast();
      p = skipSpaces(src, p + 1, end);
    }
  }

  /** Keys written in the mapping win; then the first source (the value is already a copy). */
  private merge(into: YMap, sources: YValue[]): void {
    for (const source of sources) {
      if (!isMap(source)) notFast();
      for (const [k, v] of source) {
        if (into.has(k)) continue;
        into.set(k, v);
        this.map.copy(source, k, into, k);
      }
    }
  }
}
