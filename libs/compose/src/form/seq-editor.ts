import { isPair, type Node, type Scalar, type YAMLSeq } from 'yaml';
import { type EditorContext, FlowEditor, inlineValue, keepAnchor, LayoutError, type SeqEditor, scalarEdit } from './editors.js';
import { indentLines, renderInline, renderItems } from './render.js';
import { columnOf, type Edit, endOfLine, lineStart, nodeEnd, rangeOf, startsLine } from './text-edits.js';

export function seqEditor(ctx: EditorContext, seq: YAMLSeq, sink: Edit[]): SeqEditor {
  return seq.flow ? new FlowSeqEditor(ctx, seq, sink) : new BlockSeqEditor(ctx, seq, sink);
}

function itemsOf(seq: YAMLSeq): Node[] {
  return seq.items.map((item) => {
    if (item === null || isPair(item)) throw new LayoutError('a list item that is a bare key: value');
    return item as Node;
  });
}

/** What both kinds of list editor keep of the changes asked of them. */
interface ListChanges {
  readonly items: Node[];
  readonly removed: Set<number>;
  readonly replaced: Map<number, Node | null> | Map<number, Node>;
  readonly inserted: Map<number, Node[]>;
}

function replaceItem(ctx: EditorContext, list: ListChanges, index: number, value: Node): void {
  const item = list.items[index] ?? null;
  ctx.assertUnshared(item, true);
  keepAnchor(item, value);
  list.replaced.set(index, value);
}

function removeItem(ctx: EditorContext, list: ListChanges, index: number): void {
  ctx.assertUnshared(list.items[index] ?? null, false);
  list.removed.add(index);
}

function insertItems(list: ListChanges, at: number, values: readonly Node[]): void {
  list.inserted.set(at, [...(list.inserted.get(at) ?? []), ...values]);
}

function listSize(list: ListChanges): number {
  const inserted = [...list.inserted.values()].reduce((n, values) => n + values.length, 0);
  return list.items.length - list.removed.size + inserted;
}

class BlockSeqEditor implements SeqEditor {
  readonly inFlow = false;
  private readonly items: Node[];
  /** Offset of each item's `-`. */
  private readonly dashes: number[] = [];
  private readonly column: number;
  private readonly removed = new Set<number>();
  private readonly replaced = new Map<number, Node>();
  private readonly inserted = new Map<number, Node[]>();

  constructor(
    private readonly ctx: EditorContext,
    seq: YAMLSeq,
    private readonly sink: Edit[],
  ) {
    this.items = itemsOf(seq);
    let from = rangeOf(seq)[0];
    for (const item of this.items) {
      this.dashes.push(this.findDash(from));
      from = nodeEnd(ctx.source, item);
    }
    this.column = columnOf(ctx.source, this.dashes[0] ?? from);
  }

  /** The next `-` that starts a line, skipping blank and comment lines. */
  private findDash(from: number): number {
    const { source } = this.ctx;
    let at = from;
    while (at < source.length) {
      const c = source.charAt(at);
      if (c === ' ' || c === '\t') at += 1;
      else if (c === '\n' || c === '\r' || c === '#') at = endOfLine(source, at + 1);
      else if (c === '-' && startsLine(source, at) && /^[\s]?$/.test(source.charAt(at + 1))) return at;
      else break;
    }
    throw new LayoutError('a list item that does not start its line');
  }

  sinkFor(): Edit[] {
    return this.sink;
  }

  setScalar(index: number, value: Scalar): void {
    const dash = this.dashes[index] ?? 0;
    const edit = scalarEdit(this.ctx, dash + 1, this.items[index] ?? null, value, false);
    if (edit === undefined) this.replace(index, value);
    else this.sink.push(edit);
  }

  private get changes(): ListChanges {
    return { items: this.items, removed: this.removed, replaced: this.replaced, inserted: this.inserted };
  }

  replace(index: number, value: Node): void {
    replaceItem(this.ctx, this.changes, index, value);
  }

  remove(index: number): void {
    removeItem(this.ctx, this.changes, index);
  }

  insert(at: number, values: readonly Node[]): void {
    insertItems(this.changes, at, values);
  }

  size(): number {
    return listSize(this.changes);
  }

  finish(): void {
    const { source, style } = this.ctx;
    this.items.forEach((item, index) => {
      const start = lineStart(source, this.dashes[index] ?? 0);
      const end = nodeEnd(source, item);
      const value = this.replaced.get(index);
      if (this.removed.has(index)) this.sink.push({ start, end, text: '' });
      else if (value !== undefined) {
        this.sink.push({ start, end, text: `${indentLines(renderItems([value], style), this.column, true)}\n` });
      }
    });
    for (const [at, values] of this.inserted) {
      const last = this.items[this.items.length - 1];
      const dash = this.dashes[at];
      const start = dash !== undefined ? lineStart(source, dash) : last ? nodeEnd(source, last) : source.length;
      const before = start > 0 && source.charAt(start - 1) !== '\n' ? '\n' : '';
      this.sink.push({ start, end: start, text: `${before}${indentLines(renderItems(values, style), this.column, true)}\n` });
    }
  }
}

class FlowSeqEditor extends FlowEditor<number> implements SeqEditor {
  private readonly items: Node[];
  private readonly inserted = new Map<number, Node[]>();

  constructor(ctx: EditorContext, seq: YAMLSeq, sink: Edit[]) {
    super(ctx, seq, sink);
    this.items = itemsOf(seq);
  }

  sinkFor(index: number): Edit[] {
    return this.sinkOf(index);
  }

  setScalar(index: number, value: Scalar): void {
    const item = this.items[index] ?? null;
    const edit = scalarEdit(this.ctx, item ? rangeOf(item)[0] : 0, item, value, true);
    if (edit === undefined) this.replace(index, value);
    else this.sinkOf(index).push(edit);
  }

  private get changes(): ListChanges {
    return { items: this.items, removed: this.removed, replaced: this.replaced, inserted: this.inserted };
  }

  replace(index: number, value: Node): void {
    replaceItem(this.ctx, this.changes, index, value);
  }

  remove(index: number): void {
    removeItem(this.ctx, this.changes, index);
  }

  insert(at: number, values: readonly Node[]): void {
    insertItems(this.changes, at, values);
  }

  size(): number {
    return listSize(this.changes);
  }

  finish(): void {
    const parts: string[] = [];
    let added = 0;
    const insertAt = (at: number): void => {
      for (const value of this.inserted.get(at) ?? []) {
        parts.push(renderInline(value, true));
        added += 1;
      }
    };
    this.items.forEach((item, index) => {
      insertAt(index);
      if (this.removed.has(index)) return;
      const value = this.replaced.get(index);
      const [start, end] = rangeOf(item);
      parts.push(value === undefined ? this.slice(index, start, end) : inlineValue(value));
    });
    insertAt(this.items.length);
    this.write(parts, added, '[', ']');
  }
}
