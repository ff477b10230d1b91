import { Document, isAlias, isMap, isScalar, isSeq, type Node, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { type EditorContext, LayoutError, type MapEditor, mapEditor, type OwnPair, type SeqEditor } from './editors.js';
import { align } from './reconcile.js';
import { nullNode, resetNode, scalarLike, str } from './render.js';
import { seqEditor } from './seq-editor.js';
import type { Edit } from './text-edits.js';
import { deref, entries, isNull, isReset, lookup, mergeSources, ownPair, scalarText } from './yaml-nodes.js';

/*
 * Writing one key of a mapping. The rule for merge keys and aliases: a value that lives in the mapping itself (not
 * behind an alias) is edited in place; anything else, inherited through `<<` or shared through an alias, is
 * overridden by a key of the mapping itself, so the anchor others use stays as it is. A key cleared while inherited
 * gets compose's `!reset null`.
 */

export interface WriteContext extends EditorContext {
  doc: Document;
}

export interface MapTarget {
  ctx: WriteContext;
  editor: MapEditor;
  /** The mapping's own node; `null` while it is written from scratch. */
  own: YAMLMap | null;
  /** The mappings it inherits from through merge keys (or the one an alias service stands for). */
  sources: YAMLMap[];
}

export type ScalarValue = string | number | boolean;

export function targetFor(ctx: WriteContext, map: YAMLMap, sink: Edit[], blankLine = false): MapTarget {
  return { ctx, editor: mapEditor(ctx, map, sink, blankLine), own: map, sources: mergeSources(ctx.doc, map) };
}

export function ownOf(t: MapTarget, key: string): OwnPair | undefined {
  return t.own === null ? undefined : ownPair(t.own, key);
}

function inherited(t: MapTarget, key: string): Node | null | undefined {
  for (const source of t.sources) {
    const entry = lookup(t.ctx.doc, source, key);
    if (entry !== undefined) return isReset(entry.value) ? undefined : entry.value;
  }
  return undefined;
}

/** The value in effect for `key`, dereferenced; `null` when there is none. */
export function current(t: MapTarget, key: string): Node | null {
  const pair = ownOf(t, key);
  const value = pair === undefined ? inherited(t, key) : isReset(pair.value) ? null : pair.value;
  const node = deref(t.ctx.doc, value ?? null);
  return isNull(node) ? null : node;
}

/** A node written in this mapping that can be edited in place. */
function editable(node: Node | null): node is Node {
  return node !== null && !isAlias(node) && !isReset(node) && !isNull(node);
}

export function clearField(t: MapTarget, key: string): void {
  const pair = ownOf(t, key);
  const fromMerge = inherited(t, key) !== undefined;
  if (pair !== undefined) {
    if (fromMerge) t.editor.replace(pair, resetNode());
    else t.editor.remove(pair);
  } else if (fromMerge) t.editor.append(key, resetNode());
}

/**
 * Set `key` to a new value: `inPlace` edits a value of the mapping itself (a `LayoutError` makes it fall back to
 * `fresh`); otherwise `fresh()` replaces it, or overrides the inherited one.
 */
export function setField(
  t: MapTarget,
  key: string,
  fresh: () => Node | null,
  inPlace?: (value: Node, sink: Edit[]) => void,
): void {
  const pair = ownOf(t, key);
  if (pair === undefined) {
    t.editor.append(key, fresh());
    return;
  }
  if (inPlace !== undefined && editable(pair.value)) {
    const sink: Edit[] = [];
    try {
      inPlace(pair.value, sink);
    } catch (error) {
      if (!(error instanceof LayoutError)) throw error;
      t.editor.replace(pair, fresh());
      return;
    }
    t.editor.sinkFor(pair).push(...sink);
    return;
  }
  t.editor.replace(pair, fresh());
}

/** Set a scalar key (`null`: no value, `undefined`: clear), keeping its quoting. */
export function writeScalar(t: MapTarget, key: string, value: ScalarValue | null | undefined): void {
  if (value === undefined) {
    clearField(t, key);
    return;
  }
  const pair = ownOf(t, key);
  const next =
    value === null ? nullNode() : typeof value === 'string' ? scalarLike(pair?.value ?? null, value) : new Scalar(value);
  if (pair === undefined) t.editor.append(key, next);
  else if (isScalar(pair.value) && !isReset(pair.value)) t.editor.setScalar(pair, next);
  else t.editor.replace(pair, next);
}

/** Nested changes: `set` a scalar (or clear it with `undefined`), or go into a mapping. */
export type TreeNode = { set: ScalarValue | undefined } | { tree: Tree };
export type Tree = { [key: string]: TreeNode };

/** Apply nested changes; returns whether the mapping keeps any key. */
export function writeTree(t: MapTarget, tree: Tree): boolean {
  for (const [key, node] of Object.entries(tree)) {
    if ('set' in node) {
      writeScalar(t, key, node.set);
      continue;
    }
    const pair = ownOf(t, key);
    const value = pair?.value ?? null;
    if (pair === undefined || !isMap(value) || !editable(value)) {
      materialize(t, key, node.tree);
      continue;
    }
    const sink: Edit[] = [];
    let kept: boolean;
    try {
      const child = targetFor(t.ctx, value, sink);
      kept = writeTree(child, node.tree);
      if (kept) child.editor.finish();
    } catch (error) {
      if (!(error instanceof LayoutError)) throw error;
      materialize(t, key, node.tree);
      continue;
    }
    if (kept) t.editor.sinkFor(pair).push(...sink);
    else clearField(t, key);
  }
  return t.editor.size() > 0;
}

/** Write `key` as a mapping of its own: the value in effect, resolved, with the changes applied. */
function materialize(t: MapTarget, key: string, tree: Tree): void {
  const base = toPlain(t.ctx.doc, current(t, key));
  const result = applyTree(isRecord(base) ? base : {}, tree);
  if (Object.keys(result).length === 0) clearField(t, key);
  else setField(t, key, () => plainNode(result));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function applyTree(base: Record<string, unknown>, tree: Tree): Record<string, unknown> {
  const out = { ...base };
  for (const [key, node] of Object.entries(tree)) {
    if ('set' in node) {
      if (node.set === undefined) delete out[key];
      else out[key] = node.set;
      continue;
    }
    const inner = out[key];
    const child = applyTree(isRecord(inner) ? inner : {}, node.tree);
    if (Object.keys(child).length === 0) delete out[key];
    else out[key] = child;
  }
  return out;
}

export function expectSeq(node: Node): YAMLSeq {
  if (!isSeq(node)) throw new LayoutError('expected a list');
  return node;
}

export function expectMap(node: Node): YAMLMap {
  if (!isMap(node)) throw new LayoutError('expected a mapping');
  return node;
}

/** Nodes `toPlain` copies at most: aliases can make a small file stand for a huge value (“billion laughs”). */
const MAX_PLAIN_NODES = 10_000;

/** A node's value as plain data, aliases and merge keys resolved. */
export function toPlain(doc: Document, node: Node | null, budget = { nodes: 0 }): unknown {
  budget.nodes += 1;
  if (budget.nodes > MAX_PLAIN_NODES) throw new LayoutError('a value that aliases expand too far');
  const value = deref(doc, node);
  if (value === null) return null;
  if (isScalar(value)) return value.value;
  if (isSeq(value)) return value.items.map((item) => toPlain(doc, item as Node, budget));
  if (isMap(value)) {
    return Object.fromEntries(entries(doc, value).map((e) => [e.key, toPlain(doc, e.value, budget)]));
  }
  return null;
}

export function plainNode(value: unknown): Node {
  return new Document().createNode(value) as Node;
}

export function stringOf(doc: Document, item: Node): string {
  const node = deref(doc, item);
  return node === null ? '' : (scalarText(node, 'a list item') ?? '');
}

/**
 * Line a list up with the form's list: `read` gives an item's form value (`undefined`: an item the form does not
 * show, left alone), `change` rewrites one item in place, `fresh` makes a new one.
 */
export function reconcileList<T>(
  ctx: WriteContext,
  seq: YAMLSeq,
  sink: Edit[],
  after: readonly T[],
  ops: {
    read: (item: Node) => T | undefined;
    same: (a: T, b: T) => boolean;
    change: (editor: SeqEditor, index: number, item: Node, before: T, after: T) => void;
    fresh: (value: T) => Node;
  },
): void {
  const editor = seqEditor(ctx, seq, sink);
  const items = seq.items as Node[];
  const shown: number[] = [];
  const before: T[] = [];
  items.forEach((item, index) => {
    const value = ops.read(item);
    if (value === undefined) return;
    shown.push(index);
    before.push(value);
  });
  for (const step of align(before, after, ops.same)) {
    if (step.kind === 'change') {
      const index = shown[step.from] as number;
      ops.change(editor, index, items[index] as Node, before[step.from] as T, after[step.to] as T);
    } else if (step.kind === 'remove') editor.remove(shown[step.from] as number);
    else if (step.kind === 'insert') {
      const at = step.previous < 0 ? (shown[0] ?? items.length) : (shown[step.previous] as number) + 1;
      editor.insert(at, [ops.fresh(after[step.to] as T)]);
    }
  }
  if (editor.size() === 0) throw new LayoutError('a list left empty');
  editor.finish();
}

/** A list of strings edited item by item (`command`, a healthcheck `test`). */
export function editStrings(ctx: WriteContext, seq: YAMLSeq, after: readonly string[], sink: Edit[]): void {
  const like = seq.items.find((item) => isScalar(item)) as Scalar | undefined;
  reconcileList(ctx, seq, sink, after, {
    read: (item) => stringOf(ctx.doc, item),
    same: (a, b) => a === b,
    change: (editor, index, item, _before, value) => editor.setScalar(index, scalarLike(item, value)),
    fresh: (value) => (like === undefined ? str(value, 'QUOTE_DOUBLE') : scalarLike(like, value)),
  });
}
