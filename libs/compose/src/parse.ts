import {
  type Alias,
  type Document,
  isAlias,
  isMap as isYamlMap,
  isScalar as isYamlScalar,
  isSeq as isYamlSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import { parseFast } from './parse-fast.js';
import { MAX_ALIAS_NODES, MAX_DEPTH } from './parse-limits.js';
import type { Report } from './report.js';
import { childPath, type Position, type SourceMap, type YMap, type YValue } from './tree.js';

/*
 * YAML → the document tree, with the position of every key and item. Anchors and aliases are expanded (each alias
 * a copy, so later stages never see shared values) and YAML 1.1 merge keys (`<<: *base`, `<<: [*a, *b]`) applied:
 * keys written in the mapping win over merged ones, and an earlier source over a later one. The common shape of a
 * compose file is read by parse-fast.ts without building a yaml Document (most of the time a large file took);
 * everything else, and every file with something to report, goes through the yaml package and the Walker below.
 */

/** Larger sources are refused before parsing. */
export const MAX_SOURCE_BYTES = 1024 * 1024;
// the limits live in parse-limits.ts, shared with the fast path; this one is also read by the tests
export { MAX_ALIAS_NODES };

/** Flow brackets open at once beyond which the YAML parser is not even asked (it would spend seconds on them). */
const MAX_FLOW_DEPTH = 1000;

type Yaml = Node | Alias;

/** Parses `source` into `map.root`; returns false (having reported why) when there is no usable document. */
export function parseYaml(source: string, map: SourceMap, report: Report): boolean {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_SOURCE_BYTES) {
    report.errorAt('range', 1, 1, `the file is ${mib(bytes)} MiB; at most ${mib(MAX_SOURCE_BYTES)} MiB is accepted`);
    return false;
  }
  const deep = flowDepthOver(source, MAX_FLOW_DEPTH);
  if (deep !== undefined) {
    const line = source.slice(0, deep).split('\n').length;
    report.errorAt('yaml', line, 1, `YAML: more than ${MAX_FLOW_DEPTH} brackets are open at once; refusing`);
    return false;
  }
  const fast = parseFast(source, map);
  if (fast) {
    map.toPosition = toPosition(fast.lines);
    map.root = fast.root;
    return true;
  }
  return parseSlowly(source, map, report);
}

const toPosition =
  (lines: LineCounter) =>
  (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };

/**
 * With the yaml package: a Document, then the Walker; for every file `parseFast` leaves to it (exported so that
 * parse-fast.spec.ts can compare the two).
 */
export function parseSlowly(source: string, map: SourceMap, report: Report): boolean {
  const lines = new LineCounter();
  // duplicate keys are found by the walk below (yaml's own check compares every pair of keys of a mapping)
  const doc = parseDocument(source, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: false });
  const position = toPosition(lines);
  for (const w of doc.warnings) {
    const at = position(w.pos[0]);
    report.warnAt('yaml', at.line, at.column, `YAML: ${w.message}`);
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const at = position(e.pos[0]);
      // the library's advice is for programmers ("use parseAllDocuments"); the user's file is one document
      const message =
        e.code === 'MULTIPLE_DOCS' ? 'a compose file is one YAML document; this one has several documents (---)' : e.message;
      report.errorAt('yaml', at.line, at.column, `YAML: ${message}`);
    }
    return false;
  }
  map.toPosition = position;
  const walker = new Walker(doc, source.includes('&'), map, report, position);
  const root = walker.value(doc.contents as Yaml | null, '', 0);
  if (walker.failed) return false;
  map.root = root;
  return true;
}

/** The offset where more than `max` `[`/`{` are open at once, if anywhere (a cheap guard; quotes are not considered). */
function flowDepthOver(source: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1);
}

class Walker {
  failed = false;
  private stopped = false;
  private aliasNodes = 0;
  private inAlias = 0;
  private readonly expanding = new Set<Node>();

  /** Anchor name → the nodes carrying it, in document order (an alias refers to the last one before it). */
  private readonly anchors = new Map<string, Node[]>();

  constructor(
    doc: Document,
    hasAnchors: boolean,
    private readonly map: SourceMap,
    private readonly report: Report,
    private readonly position: (offset: number) => Position,
  ) {
    // yaml's own Alias.resolve searches the whole document for each alias: index the anchors once instead
    if (!hasAnchors) return;
    visit(doc, (_key, node) => {
      const anchor = node ? (node as { anchor?: string }).anchor : undefined;
      if (anchor && !isAlias(node)) {
        const list = this.anchors.get(anchor) ?? [];
        list.push(node as Node);
        this.anchors.set(anchor, list);
      }
    });
  }

  private resolve(alias: Alias): Node | undefined {
    const at = alias.range?.[0] ?? Number.POSITIVE_INFINITY;
    let found: Node | undefined;
    for (const node of this.anchors.get(alias.source) ?? []) {
      if ((node.range?.[0] ?? 0) < at) found = node;
    }
    return found;
  }

  value(node: Yaml | null | undefined, path: string, depth: number): YValue {
    if (node === null || node === undefined) return null;
    if (this.stopped) return null;
    if (depth > MAX_DEPTH) return this.fail(node, `YAML: nested more than ${MAX_DEPTH} levels deep`, true);
    if (this.inAlias > 0 && ++this.aliasNodes > MAX_ALIAS_NODES) {
      return this.fail(node, `YAML: aliases expand to more than ${MAX_ALIAS_NODES} values; refusing (a "billion laughs"?)`, true);
    }
    if (isAlias(node)) return this.alias(node, path, depth);
    if (isYamlScalar(node)) return scalar(node.value);
    if (isYamlSeq(node)) {
      const out: YValue[] = [];
      node.items.forEach((item, i) => {
        const it = item as Yaml | null;
        out.push(this.value(it, childPath(path, i), depth + 1));
        const at = it?.range?.[0];
        if (at !== undefined) this.map.set(out, i, at);
      });
      return out;
    }
    if (isYamlMap(node)) return this.mapping(node.items, path, depth);
    return null;
  }

  private alias(node: Alias, path: string, depth: number): YValue {
    const target = this.resolve(node);
    if (!target)
      return this.fail(node, `YAML: ${path || 'the file'}: the alias *${node.source} has no anchor &${node.source} before it`);
    if (this.expanding.has(target))
      return this.fail(node, `YAML: alias *${node.source} refers to a value that contains it`, true);
    this.expanding.add(target);
    this.inAlias++;
    try {
      return this.value(target, path, depth);
    } finally {
      this.inAlias--;
      this.expanding.delete(target);
    }
  }

  private mapping(items: readonly { key: unknown; value: unknown }[], path: string, depth: number): YMap {
    const out: YMap = new Map();
    const merges: { node: Yaml; path: string }[] = [];
    for (const pair of items) {
      const keyNode = pair.key as Yaml | null;
      const valueNode = pair.value as Yaml | null;
      if (isMergeKey(keyNode)) {
        if (valueNode) merges.push({ node: valueNode, path });
        continue;
      }
      const key = this.key(keyNode, valueNode);
      if (key === undefined) continue;
      if (out.has(key)) {
        this.fail(keyNode ?? valueNode, `YAML: ${childPath(path, key)} is written twice (keys of a mapping must be unique)`);
        continue;
      }
      out.set(key, this.value(valueNode, childPath(path, key), depth + 1));
      const at = keyNode?.range?.[0] ?? valueNode?.range?.[0];
      if (at !== undefined) this.map.set(out, key, at);
    }
    for (const merge of merges) this.merge(out, merge.node, merge.path, depth);
    return out;
  }

  /** `<<: *a` or `<<: [*a, *b]`: entries not already present are added, the first source winning. */
  private merge(into: YMap, node: Yaml, path: string, depth: number): void {
    const sources: Yaml[] = isYamlSeq(node) ? (node.items as Yaml[]) : [node];
    for (const source of sources) {
      const errors = this.report.errors.length;
      const value = this.value(source, path, depth + 1);
      if (!(value instanceof Map)) {
        // a source that failed on its own (an alias without anchor) was reported already
        if (this.report.errors.length === errors)
          this.fail(source, 'YAML: a merge key (<<) takes a mapping or a list of mappings');
        return;
      }
      for (const [k, v] of value) {
        if (into.has(k)) continue;
        into.set(k, v);
        this.map.copy(value, k, into, k);
      }
    }
  }

  private key(node: Yaml | null, value: Yaml | null): string | undefined {
    if (node === null) return 'null';
    if (isYamlScalar(node)) {
      const v = node.value;
      return v === null ? 'null' : String(v);
    }
    if (isAlias(node)) {
      const target = this.resolve(node);
      if (target && isYamlScalar(target)) return String(target.value);
    }
    this.fail(node ?? value, 'YAML: a mapping key must be a string');
    return undefined;
  }

  /** Reports a problem; a fatal one (a bomb, a loop) stops the walk, others let it find more. */
  private fail(node: Yaml | null, message: string, fatal = false): null {
    if (!this.stopped) {
      const at = this.position(node?.range?.[0] ?? 0);
      this.report.errorAt('yaml', at.line, at.column, message);
    }
    this.failed = true;
    if (fatal) this.stopped = true;
    return null;
  }
}

function isMergeKey(node: Yaml | null): boolean {
  if (!node || !isYamlScalar(node)) return false;
  const v = node.value;
  if (typeof v === 'symbol') return v.description === '<<';
  return v === '<<' && (node.type === 'PLAIN' || node.type === undefined);
}

function scalar(v: unknown): YValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}
