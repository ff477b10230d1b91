import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/*
 * Reading the `yaml` AST the way compose does: aliases resolved, YAML 1.1 merge keys (`<<: *base`) applied with the
 * map's own keys winning, and compose's `!reset` tag read as "not set".
 */

/** A problem with the compose file that stops the form from reading (or writing) it; carries the node it is about. */
export class FormError extends Error {
  override readonly name = 'FormError';
  constructor(
    message: string,
    readonly node?: Node | null,
  ) {
    super(message);
  }
}

const MERGE_KEY = '<<';
const MAX_MERGE_DEPTH = 16;
/** Mappings looked at to resolve one key through merge keys (a `<<: [*a, *a]` chain doubles at every level). */
const MAX_MERGED_MAPS = 512;

/** Per document, what each alias points at (`Alias.resolve` walks the whole document on every call). */
const resolved = new WeakMap<Document, Map<Alias, Node | undefined>>();

function aliasTargets(doc: Document): Map<Alias, Node | undefined> {
  let targets = resolved.get(doc);
  if (targets === undefined) {
    const anchors = new Map<string, Node>();
    const found = new Map<Alias, Node | undefined>();
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node)) found.set(node, anchors.get(node.source));
        else if (node.anchor !== undefined) anchors.set(node.anchor, node);
      },
    });
    targets = found;
    resolved.set(doc, targets);
  }
  return targets;
}

/** The node an alias points at (the node itself otherwise). */
export function deref(doc: Document, node: Node | null | undefined): Node | null {
  if (node === null || node === undefined) return null;
  if (!isAlias(node)) return node;
  const targets = aliasTargets(doc);
  const target = targets.has(node) ? targets.get(node) : node.resolve(doc);
  if (target === undefined) throw new FormError(`unknown alias *${node.source}`, node);
  return target;
}

export function resolves(doc: Document, alias: Alias): boolean {
  return aliasTargets(doc).get(alias) !== undefined;
}

/** Compose's `!reset` tag: the key counts as absent. */
export function isReset(node: Node | null | undefined): boolean {
  return node !== null && node !== undefined && 'tag' in node && node.tag === '!reset';
}

/** A node that holds no value: missing, `~`, `null` or nothing after the colon. */
export function isNull(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export function keyOf(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return undefined;
}

export function ownPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return map.items.find((pair) => keyOf(pair) === key) as Pair<Node, Node | null> | undefined;
}

/** One effective key of a map: its own pair, or one it inherits through a merge key. */
export interface Entry {
  key: string;
  /** The value node as written: may be an alias (see `deref`). */
  value: Node | null;
  pair: Pair<Node, Node | null>;
  own: boolean;
}

/** The maps merged into `map` by its `<<` keys, in precedence order. */
export function mergeSources(doc: Document, map: YAMLMap): YAMLMap[] {
  const sources: YAMLMap[] = [];
  for (const pair of map.items) {
    if (keyOf(pair) !== MERGE_KEY) continue;
    const value = deref(doc, pair.value as Node | null);
    const candidates = isSeq(value) ? value.items.map((item) => deref(doc, item as Node)) : [value];
    for (const candidate of candidates) {
      if (!isMap(candidate)) throw new FormError('a merge key (<<) must refer to mappings', pair.value as Node);
      sources.push(candidate);
    }
  }
  return sources;
}

function collect(
  doc: Document,
  map: YAMLMap,
  own: boolean,
  depth: number,
  into: Map<string, Entry>,
  budget: { maps: number },
): void {
  budget.maps += 1;
  if (depth > MAX_MERGE_DEPTH || budget.maps > MAX_MERGED_MAPS) {
    throw new FormError('merge keys (<<) nest too deeply or refer to themselves', map);
  }
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (key === undefined) throw new FormError('keys must be plain values', pair.key as Node);
    if (key === MERGE_KEY || into.has(key)) continue;
    into.set(key, { key, value: pair.value as Node | null, pair: pair as Pair<Node, Node | null>, own });
  }
  for (const source of mergeSources(doc, map)) collect(doc, source, false, depth + 1, into, budget);
}

/** The effective keys of a map, its own first, then inherited ones; `!reset` keys are left out. */
export function entries(doc: Document, map: YAMLMap): Entry[] {
  const found = new Map<string, Entry>();
  collect(doc, map, true, 0, found, { maps: 0 });
  return [...found.values()].filter((entry) => !isReset(entry.value));
}

/** The effective entry for `key` (own or inherited), including a `!reset` one (check with `isReset`). */
export function lookup(doc: Document, map: YAMLMap, key: string): Entry | undefined {
  const found = new Map<string, Entry>();
  collect(doc, map, true, 0, found, { maps: 0 });
  return found.get(key);
}

/** The effective, dereferenced value of `key`; `null` when absent, null or reset. */
export function fieldValue(doc: Document, map: YAMLMap, key: string): Node | null {
  const entry = lookup(doc, map, key);
  if (entry === undefined || isReset(entry.value)) return null;
  const value = deref(doc, entry.value);
  return isNull(value) ? null : value;
}

/** A scalar's text as the user wrote it (`08080` stays `08080`, `1.50` stays `1.50`); `null` for a null scalar. */
export function scalarText(node: Node, what: string): string | null {
  if (!isScalar(node)) throw new FormError(`${what} must be a single value`, node);
  const value = node.value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return node.source ?? String(value);
  }
  throw new FormError(`${what} must be a string, number or boolean`, node);
}

export function expectMap(node: Node, what: string): YAMLMap {
  if (!isMap(node)) throw new FormError(`${what} must be a mapping`, node);
  return node;
}

export function expectSeq(node: Node, what: string): YAMLSeq {
  if (!isSeq(node)) throw new FormError(`${what} must be a list`, node);
  return node;
}

/** A whole number from a scalar (a number, or a string of digits). */
export function integerOf(node: Node | null): number | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  return undefined;
}

/** 1-based line and column of an offset. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
