import { isAlias, isScalar, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { indentLines, renderInline, renderPair, type Style, str } from './render.js';
import { applyEdits, columnOf, type Edit, lineStart, nodeEnd, rangeOf, startsLine, withProperties } from './text-edits.js';

/*
 * Editors record changes to one mapping or list of the source and turn them into text edits. Block collections are
 * edited line by line; a changed flow collection (`[a, b]`, `{a: 1}`) is written again on one line, reusing the
 * source text of the entries that did not change.
 */

/** A layout the editors do not handle; the caller writes the enclosing value again instead. */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

export type OwnPair = Pair<Node, Node | null>;

export interface EditorContext {
  source: string;
  style: Style;
  /** Refuses to drop a node holding an anchor that an alias elsewhere still uses (`keepTop`: its own anchor stays). */
  assertUnshared(node: Node | null, keepTop: boolean): void;
}

export interface MapEditor {
  readonly inFlow: boolean;
  /** Where edits inside the value of `pair` go. */
  sinkFor(pair: OwnPair): Edit[];
  setScalar(pair: OwnPair, value: Scalar): void;
  /** Write the pair's value again; `leading` lines (block maps only) open the new mapping, e.g. `<<: *base`. */
  replace(pair: OwnPair, value: Node | null, leading?: readonly string[]): void;
  remove(pair: OwnPair): void;
  append(key: string, value: Node | null): void;
  /** Pairs left once the recorded changes are made. */
  size(): number;
  finish(): void;
}

export interface SeqEditor {
  readonly inFlow: boolean;
  sinkFor(index: number): Edit[];
  setScalar(index: number, value: Scalar): void;
  replace(index: number, value: Node): void;
  remove(index: number): void;
  /** Insert before the item at `at` (`at` = the number of items: at the end). */
  insert(at: number, values: readonly Node[]): void;
  size(): number;
  finish(): void;
}

/** The edit that writes `next` over the scalar `current` (whose text starts after `keyEnd`), or `undefined`. */
export function scalarEdit(
  ctx: EditorContext,
  keyEnd: number,
  current: Node | null,
  next: Scalar,
  inFlow: boolean,
): Edit | undefined {
  const text = renderInline(next, inFlow);
  if (current === null) return inFlow ? { start: keyEnd, end: keyEnd, text: `: ${text}` } : undefined;
  if (!isScalar(current) || isAlias(current)) return undefined;
  ctx.assertUnshared(current, true);
  const [start, end] = rangeOf(current);
  if (start === end) return { start, end, text: text === '' ? '' : ` ${text}` };
  const block = current.type === 'BLOCK_FOLDED' || current.type === 'BLOCK_LITERAL';
  let from = start;
  if (text === '' && current.anchor === undefined && current.tag === undefined) {
    while (from > keyEnd && ctx.source.charAt(from - 1) === ' ') from -= 1;
  }
  return { start: from, end, text: (text === '' && from === start ? 'null' : text) + (block ? '\n' : '') };
}

export function keepAnchor(old: Node | null, next: Node | null): void {
  if (old === null || next === null || isAlias(old) || isAlias(next)) return;
  if (old.anchor !== undefined && next.anchor === undefined) next.anchor = old.anchor;
}

export function mapEditor(ctx: EditorContext, map: YAMLMap, sink: Edit[], blankLine = false): MapEditor {
  return map.flow ? new FlowMapEditor(ctx, map, sink) : new BlockMapEditor(ctx, map, sink, blankLine);
}

class BlockMapEditor implements MapEditor {
  readonly inFlow = false;
  private readonly pairs: OwnPair[];
  private readonly column: number;
  private readonly removed = new Set<OwnPair>();
  private readonly appended: [string, Node | null][] = [];

  constructor(
    private readonly ctx: EditorContext,
    map: YAMLMap,
    private readonly sink: Edit[],
    private readonly blankLine: boolean,
  ) {
    this.pairs = map.items as OwnPair[];
    const first = this.pairs[0];
    if (first === undefined || !first.key) throw new LayoutError('an empty block mapping');
    this.column = columnOf(ctx.source, rangeOf(first.key)[0]);
  }

  sinkFor(): Edit[] {
    return this.sink;
  }

  setScalar(pair: OwnPair, value: Scalar): void {
    const edit = scalarEdit(this.ctx, rangeOf(pair.key)[1], pair.value, value, false);
    if (edit === undefined) this.replace(pair, value);
    else this.sink.push(edit);
  }

  replace(pair: OwnPair, value: Node | null, leading: readonly string[] = []): void {
    this.ctx.assertUnshared(pair.value, true);
    keepAnchor(pair.value, value);
    const { style } = this.ctx;
    let lines = renderPair('k', value, style);
    if (leading.length > 0) {
      const body = value !== null && 'items' in value && value.items.length > 0 ? lines.slice(1) : [];
      lines = ['k:', ...leading.map((line) => ' '.repeat(style.indent) + line), ...body];
    }
    const text = indentLines([(lines[0] ?? 'k:').slice(1), ...lines.slice(1)], this.column, false);
    this.sink.push({ start: rangeOf(pair.key)[1], end: this.end(pair), text: `${text}\n` });
  }

  remove(pair: OwnPair): void {
    this.ctx.assertUnshared(pair.value, false);
    this.removed.add(pair);
  }

  append(key: string, value: Node | null): void {
    this.appended.push([key, value]);
  }

  size(): number {
    return this.pairs.length - this.removed.size + this.appended.length;
  }

  finish(): void {
    const { source } = this.ctx;
    let coveredUntil = -1;
    this.pairs.forEach((pair, index) => {
      if (!this.removed.has(pair) || index <= coveredUntil) return;
      const start = rangeOf(pair.key)[0];
      if (startsLine(source, start)) {
        this.sink.push({ start: lineStart(source, start), end: this.end(pair), text: '' });
        return;
      }
      // the first key of a list item (`- a: 1`): the item starts again at the next key that stays
      const next = this.pairs.findIndex((p, i) => i > index && !this.removed.has(p));
      const kept = this.pairs[next];
      if (kept === undefined) throw new LayoutError('a list item would lose all its keys');
      this.sink.push({ start, end: rangeOf(kept.key)[0], text: '' });
      coveredUntil = next;
    });
    const last = this.pairs[this.pairs.length - 1];
    if (this.appended.length === 0 || last === undefined) return;
    const at = this.end(last);
    const lines = this.appended.flatMap(([key, value]) => renderPair(key, value, this.ctx.style));
    const before = (at > 0 && source.charAt(at - 1) !== '\n' ? '\n' : '') + (this.blankLine ? '\n' : '');
    this.sink.push({ start: at, end: at, text: `${before}${indentLines(lines, this.column, true)}\n` });
  }

  private end(pair: OwnPair): number {
    return nodeEnd(this.ctx.source, pair.value ?? pair.key);
  }
}

/** A flow collection's entries as text, with the edits made inside them. */
export abstract class FlowEditor<K> {
  readonly inFlow = true;
  protected readonly removed = new Set<K>();
  protected readonly replaced = new Map<K, Node | null>();
  private readonly sinks = new Map<K, Edit[]>();

  constructor(
    protected readonly ctx: EditorContext,
    private readonly node: YAMLMap | YAMLSeq,
    private readonly sink: Edit[],
  ) {}

  protected sinkOf(key: K): Edit[] {
    let sink = this.sinks.get(key);
    if (sink === undefined) {
      sink = [];
      this.sinks.set(key, sink);
    }
    return sink;
  }

  protected slice(key: K, start: number, end: number): string {
    const from = withProperties(this.ctx.source, start);
    return applyEdits(this.ctx.source.slice(from, end), this.sinks.get(key) ?? [], from);
  }

  protected write(parts: string[], added: number, open: string, close: string): void {
    const dirty = this.removed.size > 0 || this.replaced.size > 0 || added > 0;
    if (!dirty && [...this.sinks.values()].every((sink) => sink.length === 0)) return;
    const [start, end] = rangeOf(this.node);
    const pad = parts.length > 0 && this.ctx.source.charAt(start + 1) === ' ' ? ' ' : '';
    this.sink.push({ start, end, text: `${open}${pad}${parts.join(', ')}${pad}${close}` });
  }
}

class FlowMapEditor extends FlowEditor<OwnPair> implements MapEditor {
  private readonly appended: [string, Node | null][] = [];
  private readonly pairs: OwnPair[];

  constructor(ctx: EditorContext, map: YAMLMap, sink: Edit[]) {
    super(ctx, map, sink);
    this.pairs = map.items as OwnPair[];
  }

  sinkFor(pair: OwnPair): Edit[] {
    return this.sinkOf(pair);
  }

  setScalar(pair: OwnPair, value: Scalar): void {
    const edit = scalarEdit(this.ctx, rangeOf(pair.key)[1], pair.value, value, true);
    if (edit === undefined) this.replace(pair, value);
    else this.sinkOf(pair).push(edit);
  }

  replace(pair: OwnPair, value: Node | null, leading: readonly string[] = []): void {
    if (leading.length > 0) throw new LayoutError('a merge key inside a flow mapping');
    this.ctx.assertUnshared(pair.value, true);
    keepAnchor(pair.value, value);
    this.replaced.set(pair, value);
  }

  remove(pair: OwnPair): void {
    this.ctx.assertUnshared(pair.value, false);
    this.removed.add(pair);
  }

  append(key: string, value: Node | null): void {
    this.appended.push([key, value]);
  }

  size(): number {
    return this.pairs.length - this.removed.size + this.appended.length;
  }

  finish(): void {
    const parts: string[] = [];
    for (const pair of this.pairs) {
      if (this.removed.has(pair)) continue;
      const [keyStart, keyEnd] = rangeOf(pair.key);
      if (this.replaced.has(pair)) {
        parts.push(`${this.slice(pair, keyStart, keyEnd)}: ${inlineValue(this.replaced.get(pair) ?? null)}`);
      } else parts.push(this.slice(pair, keyStart, pair.value ? rangeOf(pair.value)[1] : keyEnd));
    }
    for (const [key, value] of this.appended) parts.push(`${renderInline(str(key), true)}: ${inlineValue(value)}`);
    this.write(parts, this.appended.length, '{', '}');
  }
}

export function inlineValue(value: Node | null): string {
  return value === null ? 'null' : renderInline(value, true);
}
