import type { Node } from 'yaml';

/*
 * Changes to a YAML file are made as text edits on the original source, so every byte the form does not change stays
 * as it was (comments, blank lines, quoting, indentation, flow or block style).
 */

/** Replace `source[start, end)` with `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Two edits overlap: a bug in the writer, or a layout of the file it cannot handle. */
export class EditConflictError extends Error {
  override readonly name = 'EditConflictError';
}

/** Apply non-overlapping edits; `offset` is where `source` starts in the file the edits' positions refer to. */
export function applyEdits(source: string, edits: readonly Edit[], offset = 0): string {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map(({ edit }) => edit);
  let out = '';
  let cursor = offset;
  for (const edit of sorted) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > offset + source.length) {
      throw new EditConflictError(`overlapping edits at offset ${edit.start}`);
    }
    out += source.slice(cursor - offset, edit.start - offset) + edit.text;
    cursor = edit.end;
  }
  return out + source.slice(cursor - offset);
}

export function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset after the end of the line holding `offset` (after its newline); `offset` itself at a line start. */
export function endOfLine(source: string, offset: number): number {
  if (offset > 0 && source.charAt(offset - 1) === '\n') return offset;
  const newline = source.indexOf('\n', offset);
  return newline < 0 ? source.length : newline + 1;
}

export function columnOf(source: string, offset: number): number {
  return offset - lineStart(source, offset);
}

/** Whether only blanks precede `offset` on its line. */
export function startsLine(source: string, offset: number): boolean {
  return source.slice(lineStart(source, offset), offset).trim() === '';
}

export function rangeOf(node: Node): [number, number, number] {
  const range = node.range;
  if (!range) throw new EditConflictError('a node without a source range');
  return range;
}

/** Where a node's lines end: after the line holding its last character (and any comment on that line). */
export function nodeEnd(source: string, node: Node): number {
  return endOfLine(source, rangeOf(node)[1]);
}

/** The start of a node including its anchor and tag (`&a !!str x`), which its range leaves out. */
export function withProperties(source: string, start: number): number {
  let at = start;
  for (;;) {
    let i = at;
    while (i > 0 && (source.charAt(i - 1) === ' ' || source.charAt(i - 1) === '\t')) i -= 1;
    let j = i;
    while (j > 0 && !/[\s,[\]{}]/.test(source.charAt(j - 1))) j -= 1;
    const token = source.slice(j, i);
    if (j === i || !(token.startsWith('&') || token.startsWith('!'))) return at;
    at = j;
  }
}
