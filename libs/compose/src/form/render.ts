import {
  type Document as AnyDocument,
  Document,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  Pair,
  Scalar,
  visit,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { columnOf } from './text-edits.js';

/*
 * Rendering new YAML fragments with the `yaml` package (which knows when a string needs quotes), in the file's own
 * indentation, to be spliced into the source.
 */

export interface Style {
  /** Spaces per nesting level. */
  indent: number;
  /**
   * Whether a block list under a key is indented (`key:\n  - a`) or not (`key:\n- a`; with `yaml`'s meaning: the
   * items' content, not their dash, lines up with `indent`, which for 2 spaces puts the dash under the key).
   */
  indentSeq: boolean;
}

const OPTIONS = {
  lineWidth: 0,
  doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY,
  minContentWidth: 0,
  blockQuote: false,
  flowCollectionPadding: false,
  nullStr: '',
} as const;

export function detectStyle(doc: AnyDocument, source: string): Style {
  const style: Style = { indent: 2, indentSeq: true };
  let indentFound = false;
  let seqFound = false;
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (!key?.range || !value?.range || !isCollection(value) || value.flow || value.items.length === 0) return;
      const keyColumn = columnOf(source, key.range[0]);
      const first = value.items[0];
      const firstNode = isPair(first) ? (first.key as Node | null) : (first as Node | null);
      if (isMap(value) && !indentFound && firstNode?.range) {
        const step = columnOf(source, firstNode.range[0]) - keyColumn;
        if (step > 0) {
          style.indent = step;
          indentFound = true;
        }
      }
      if (isSeq(value) && !seqFound) {
        style.indentSeq = columnOf(source, value.range[0]) > keyColumn;
        seqFound = true;
      }
      return indentFound && seqFound ? visit.BREAK : undefined;
    },
  });
  return style;
}

/** Compose's `!reset` tag, written `!reset null`. */
export const RESET_TAG = {
  tag: '!reset',
  identify: (): boolean => false,
  resolve: (): null => null,
  stringify: (): string => 'null',
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters that need escaping
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function render(node: Node, style: Style): string {
  // a string with a line break or a control character goes on one line, in double quotes with escapes
  visit(node, {
    Scalar(_key, scalar) {
      if (typeof scalar.value === 'string' && NEEDS_ESCAPE.test(scalar.value)) scalar.type = 'QUOTE_DOUBLE';
    },
  });
  const doc = new Document(null, { customTags: [RESET_TAG] });
  doc.contents = node;
  return doc.toString({ ...OPTIONS, indent: style.indent, indentSeq: style.indentSeq }).replace(/\n$/, '');
}

/** `key: value` as lines without their first indentation. */
export function renderPair(key: string, value: Node | null, style: Style): string[] {
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(key), value ?? new Scalar(null)));
  return render(map, style).split('\n');
}

/** `- value` lines for list items. */
export function renderItems(values: Node[], style: Style): string[] {
  const seq = new YAMLSeq();
  seq.items.push(...values);
  return render(seq, style).split('\n');
}

/** A value on one line: a scalar, or a collection in flow style. */
export function renderInline(value: Node, inFlow: boolean): string {
  if (isScalar(value) && value.value === null && value.tag === undefined) return inFlow ? 'null' : '';
  if (isCollection(value)) {
    visit(value, {
      Map(_k, map) {
        map.flow = true;
      },
      Seq(_k, seq) {
        seq.flow = true;
      },
    });
  }
  if (inFlow) return render(flowSeq([value]), { indent: 2, indentSeq: true }).slice(1, -1);
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar('x'), value));
  return render(map, { indent: 2, indentSeq: true }).slice(2).trimStart();
}

/** Indent every line but the first (when it is spliced after existing text) by `column` spaces. */
export function indentLines(lines: readonly string[], column: number, first: boolean): string {
  const pad = ' '.repeat(column);
  return lines.map((line, i) => ((i === 0 && !first) || line === '' ? line : pad + line)).join('\n');
}

export function str(value: string, type?: Scalar.Type): Scalar {
  const node = new Scalar(value);
  if (type !== undefined) node.type = type;
  return node;
}

export function num(value: number): Scalar {
  return new Scalar(value);
}

export function nullNode(): Scalar {
  return new Scalar(null);
}

/** Compose's `!reset null`: drops a value inherited through a merge key (`<<`). */
export function resetNode(): Scalar {
  const node = new Scalar(null);
  node.tag = '!reset';
  return node;
}

export function flowSeq(items: Node[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = true;
  seq.items.push(...items);
  return seq;
}

export function blockSeq(items: Node[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.items.push(...items);
  return seq;
}

export function mapOf(entries: readonly (readonly [string, Node | null])[]): YAMLMap {
  const map = new YAMLMap();
  for (const [key, value] of entries) map.items.push(new Pair(new Scalar(key), value ?? new Scalar(null)));
  return map;
}

/**
 * A new scalar for `value` in place of `like`: same quoting, and a number or boolean stays one when the new text
 * still reads as such (`cpus: 0.5` → `cpus: 1`, not `cpus: "1"`).
 */
export function scalarLike(like: Node | null, value: string): Scalar {
  const node = new Scalar<unknown>(value);
  if (!isScalar(like)) return node;
  const old = like.value;
  if (typeof old === 'number' && /^-?\d+(\.\d+)?$/.test(value) && String(Number(value)) === value) {
    node.value = Number(value);
    return node;
  }
  if (typeof old === 'boolean' && (value === 'true' || value === 'false')) {
    node.value = value === 'true';
    return node;
  }
  if (like.type === 'PLAIN' || like.type === 'QUOTE_DOUBLE' || like.type === 'QUOTE_SINGLE') node.type = like.type;
  return node;
}
