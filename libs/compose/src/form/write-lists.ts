import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { deepEqual } from './compare.js';
import { LayoutError, type SeqEditor } from './editors.js';
import type { PortForm } from './form.schema.js';
import { blockSeq, mapOf, num, scalarLike, str } from './render.js';
import { fitsLongVolume, formatShortPort, isHostPath, parseShortPort, parseShortVolume, readPort, readVolume } from './syntax.js';
import type { Edit } from './text-edits.js';
import {
  clearField,
  current,
  expectSeq,
  type MapTarget,
  plainNode,
  reconcileList,
  setField,
  targetFor,
  toPlain,
  type WriteContext,
  writeScalar,
} from './write-target.js';

/*
 * Ports and volumes: lists whose entries are lined up with the form's (see `reconcileList`), in short or long
 * syntax. Entries the form cannot show (a port range, a volume with driver options) stay where they are.
 */

export function freshPort(port: PortForm, long: boolean): Node {
  if (!long) return str(formatShortPort(port), 'QUOTE_DOUBLE');
  const fields: [string, Node][] = [['target', num(port.target)]];
  if (port.published !== undefined) fields.push(['published', num(port.published)]);
  if (port.protocol !== 'tcp') fields.push(['protocol', str(port.protocol)]);
  return mapOf(fields);
}

/** Whether the list's entries the form shows are all in long syntax. */
function usesLongSyntax(seq: Node | null, shown: (item: Node) => boolean): boolean {
  if (!isSeq(seq)) return false;
  const items = (seq.items as Node[]).filter(shown);
  return items.length > 0 && items.every((item) => isMap(item));
}

/** Entries the form cannot show, kept when a list is written again. */
function hiddenItems(t: MapTarget, seq: Node | null, shown: (item: Node) => boolean): Node[] {
  if (!isSeq(seq)) return [];
  return (seq.items as Node[]).filter((item) => !shown(item)).map((item) => plainNode(toPlain(t.ctx.doc, item)));
}

export function writePorts(t: MapTarget, after: readonly PortForm[]): void {
  const { doc } = t.ctx;
  const shown = (item: Node): boolean => readPort(doc, item) !== undefined;
  const seq = current(t, 'ports');
  const hidden = hiddenItems(t, seq, shown);
  if (after.length === 0 && hidden.length === 0) {
    clearField(t, 'ports');
    return;
  }
  const long = usesLongSyntax(seq, shown);
  setField(
    t,
    'ports',
    () => blockSeq([...hidden, ...after.map((p) => freshPort(p, long))]),
    (node, sink) =>
      reconcileList(t.ctx, expectSeq(node), sink, after, {
        read: (item) => readPort(doc, item),
        same: deepEqual,
        change: (editor, index, item, before, port) => changePort(t.ctx, editor, index, item, before, port),
        fresh: (port) => freshPort(port, long),
      }),
  );
}

function changePort(ctx: WriteContext, editor: SeqEditor, index: number, item: Node, before: PortForm, after: PortForm): void {
  if (isScalar(item) && typeof item.value === 'number') {
    const plain = after.published === undefined && after.protocol === 'tcp';
    editor.setScalar(index, plain ? num(after.target) : str(formatShortPort(after), 'QUOTE_DOUBLE'));
  } else if (isScalar(item)) {
    editor.setScalar(index, scalarLike(item, formatShortPort(after, parseShortPort(String(item.value)))));
  } else if (isMap(item)) {
    editItem(ctx, editor, index, item, freshPort(after, true), (port) => {
      if (before.target !== after.target) writeScalar(port, 'target', after.target);
      if (before.published !== after.published) writeScalar(port, 'published', after.published);
      if (before.protocol !== after.protocol) writeScalar(port, 'protocol', after.protocol);
    });
  } else editor.replace(index, freshPort(after, false));
}

/** Edit a long-syntax list item key by key (or write it again when its layout is not handled). */
function editItem(
  ctx: WriteContext,
  editor: SeqEditor,
  index: number,
  item: YAMLMap,
  fresh: Node,
  edit: (target: MapTarget) => void,
): void {
  const sink: Edit[] = [];
  try {
    const target = targetFor(ctx, item, sink);
    edit(target);
    if (target.editor.size() === 0) throw new LayoutError('an empty list item');
    target.editor.finish();
  } catch (error) {
    if (!(error instanceof LayoutError)) throw error;
    editor.replace(index, fresh);
    return;
  }
  editor.sinkFor(index).push(...sink);
}

function freshVolume(volume: string, long: boolean): Node {
  const short = parseShortVolume(volume);
  if (!long || !fitsLongVolume(short)) return str(volume);
  if (short.source === undefined)
    return mapOf([
      ['type', str('volume')],
      ['target', str(short.target)],
    ]);
  const fields: [string, Node][] = [
    ['type', str(isHostPath(short.source) ? 'bind' : 'volume')],
    ['source', str(short.source)],
    ['target', str(short.target)],
  ];
  if (short.mode === 'ro') fields.push(['read_only', plainNode(true)]);
  return mapOf(fields);
}

export function writeVolumes(t: MapTarget, after: readonly string[]): void {
  const { doc } = t.ctx;
  const shown = (item: Node): boolean => readVolume(doc, item) !== undefined;
  const seq = current(t, 'volumes');
  const hidden = hiddenItems(t, seq, shown);
  if (after.length === 0 && hidden.length === 0) {
    clearField(t, 'volumes');
    return;
  }
  const long = usesLongSyntax(seq, shown);
  setField(
    t,
    'volumes',
    () => blockSeq([...hidden, ...after.map((v) => freshVolume(v, long))]),
    (node, sink) =>
      reconcileList(t.ctx, expectSeq(node), sink, after, {
        read: (item) => readVolume(doc, item),
        same: (a, b) => a === b,
        change: (editor, index, item, before, volume) => changeVolume(t.ctx, editor, index, item, before, volume),
        fresh: (volume) => freshVolume(volume, long),
      }),
  );
}

function changeVolume(ctx: WriteContext, editor: SeqEditor, index: number, item: Node, before: string, after: string): void {
  if (isScalar(item)) {
    editor.setScalar(index, scalarLike(item, after));
    return;
  }
  const was = parseShortVolume(before);
  const next = parseShortVolume(after);
  const longFits =
    next !== undefined && (next.mode === undefined || next.mode === 'ro') && !(next.source === undefined && next.mode);
  if (!isMap(item) || was === undefined || next === undefined || !longFits) {
    editor.replace(index, str(after));
    return;
  }
  editItem(ctx, editor, index, item, freshVolume(after, true), (volume) => {
    if (was.source !== next.source) {
      writeScalar(volume, 'source', next.source);
      writeScalar(volume, 'type', next.source !== undefined && isHostPath(next.source) ? 'bind' : 'volume');
    }
    if (was.target !== next.target) writeScalar(volume, 'target', next.target);
    if ((was.mode === 'ro') !== (next.mode === 'ro')) writeScalar(volume, 'read_only', next.mode === 'ro' ? true : undefined);
  });
}
