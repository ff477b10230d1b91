import { type Document, isAlias, isMap, type Node, visit, YAMLMap } from 'yaml';
import { canonicalForm, sameForm, sameService } from './compare.js';
import { LayoutError, type MapEditor, mapEditor, type OwnPair } from './editors.js';
import { type ServiceForm, StackForm } from './form.schema.js';
import { type FormFailure, type ReadStack, readStack } from './read.js';
import { detectStyle, mapOf, renderPair } from './render.js';
import { applyEdits, type Edit, EditConflictError, lineStart, nodeEnd, rangeOf } from './text-edits.js';
import { freshService, writeService } from './write-service.js';
import {
  clearField,
  current,
  type MapTarget,
  ownOf,
  plainNode,
  setField,
  targetFor,
  toPlain,
  type WriteContext,
} from './write-target.js';
import { deref, FormError, isNull, isReset, keyOf, positionOf, resolves } from './yaml-nodes.js';

export type ApplyFormResult = { ok: true; yaml: string } | { ok: false; message: string };

/** Passes over the file: a change to a node shared through an anchor shows up in the next pass and is undone there. */
const MAX_PASSES = 4;

/**
 * Write a form into an existing compose file and return the new text. Only what the form changed is touched: every
 * other byte (comments, blank lines, key order, quoting, indentation, keys the form does not model) stays as it was.
 *
 * - A changed field keeps the syntax the file uses (environment as a map or a list, ports short or long…).
 * - New services and fields go at the end of their mapping; existing keys never move (the form's order only matters
 *   for new entries). A renamed service is a removal plus an addition, at the end.
 * - A cleared field loses its key. A field inherited through a merge key (`<<: *base`) or an alias is overridden on
 *   the service itself, so the anchor stays as others use it (clearing it writes compose's `!reset null`).
 * - An empty document gets a `services:` mapping.
 */
export function applyForm(source: string, form: StackForm): ApplyFormResult {
  const checked = StackForm.safeParse(form);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, message: `invalid form: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  const wanted = checked.data;
  let text = source;
  let unresolved = 0;
  for (let pass = 0; pass <= MAX_PASSES; pass += 1) {
    const read = readStack(text);
    if (!read.ok) return pass === 0 ? { ok: false, message: describe(read) } : unwritable(describe(read));
    if (pass === 0) unresolved = unresolvedAliases(read.doc);
    const empty = isNull(read.doc.contents as Node | null);
    if (!empty && sameForm(read.form, wanted)) {
      // a removed or rewritten anchor would leave an alias the form does not read dangling
      return pass > 0 && unresolvedAliases(read.doc) > unresolved
        ? unwritable('an alias lost its anchor')
        : { ok: true, yaml: text };
    }
    if (pass === MAX_PASSES) break;
    const step = empty ? createStack(text, read.doc, wanted) : writeOnce(text, read, wanted);
    if (!step.ok) return step;
    text = step.yaml;
  }
  return unwritable('the result does not read back as the form');
}

function describe(failure: FormFailure): string {
  return failure.line === undefined ? failure.message : `${failure.message} (line ${failure.line}, column ${failure.column})`;
}

function unwritable(reason: string): ApplyFormResult {
  return { ok: false, message: `the form could not be written into this file (${reason}); edit it as YAML` };
}

function unresolvedAliases(doc: Document): number {
  let count = 0;
  visit(doc, {
    Alias(_key, alias) {
      if (!resolves(doc, alias)) count += 1;
    },
  });
  return count;
}

/** A document with nothing in it: write the whole stack. */
function createStack(source: string, doc: Document.Parsed, form: StackForm): ApplyFormResult {
  const style = { indent: 2, indentSeq: true };
  const lines = renderPair('services', freshServices(form.services), style);
  if (form.volumes.length > 0) lines.push(...renderPair('volumes', mapOf(form.volumes.map((v) => [v, null])), style));
  const text = withLineBreaks(`${lines.join('\n')}\n`, source);
  const contents = doc.contents as Node | null;
  if (contents?.range) {
    const [start, end] = contents.range;
    return { ok: true, yaml: source.slice(0, start) + text.trimEnd() + source.slice(end) };
  }
  const glue = source === '' || source.endsWith('\n') ? '' : withLineBreaks('\n', source);
  return { ok: true, yaml: source + glue + text };
}

/** New text with the file's line breaks (`\r\n` in a file that uses them). */
function withLineBreaks(text: string, source: string): string {
  return source.includes('\r\n') ? text.replace(/\r?\n/g, '\r\n') : text;
}

function freshServices(services: readonly ServiceForm[]): YAMLMap {
  return services.length === 0 ? new YAMLMap() : mapOf(services.map((s) => [s.name, freshService(s)]));
}

function writeOnce(source: string, read: ReadStack, wanted: StackForm): ApplyFormResult {
  const { doc } = read;
  const sink: Edit[] = [];
  const ctx: WriteContext = { source, style: detectStyle(doc, source), doc, assertUnshared: anchorGuard(doc) };
  try {
    const root = targetFor(ctx, doc.contents as YAMLMap, sink);
    writeServices(root, read.form.services, wanted.services);
    writeVolumes(root, read.form.volumes, wanted.volumes);
    root.editor.finish();
    return {
      ok: true,
      yaml: applyEdits(
        source,
        sink.map((e) => ({ ...e, text: withLineBreaks(e.text, source) })),
      ),
    };
  } catch (error) {
    if (error instanceof FormError) {
      const at = error.node?.range?.[0];
      if (at === undefined) return unwritable(error.message);
      const { line, column } = positionOf(source, at);
      return unwritable(`${error.message}, at line ${line}, column ${column}`);
    }
    if (error instanceof LayoutError || error instanceof EditConflictError) return unwritable(error.message);
    throw error;
  }
}

function writeServices(root: MapTarget, before: readonly ServiceForm[], after: readonly ServiceForm[]): void {
  if (sameForm({ services: [...before], volumes: [] }, { services: [...after], volumes: [] })) return;
  const { ctx } = root;
  const pair = ownOf(root, 'services');
  const value = pair?.value ?? null;
  if (pair === undefined || isNull(value) || isReset(value)) {
    setField(root, 'services', () => freshServices(after));
    return;
  }
  if (!isMap(value)) throw new FormError('services is an alias; edit it as YAML', value);
  const services = mapEditor(ctx, value, root.editor.sinkFor(pair), blankLineBetween(ctx.source, value));
  const was = new Map(before.map((s) => [s.name, s]));
  const names = new Set(after.map((s) => s.name));
  for (const item of value.items as OwnPair[]) if (!names.has(keyOf(item) ?? '')) services.remove(item);
  for (const service of after) {
    const old = was.get(service.name);
    const own = value.items.find((item) => keyOf(item) === service.name) as OwnPair | undefined;
    if (old === undefined || own === undefined) services.append(service.name, freshService(service));
    else if (!sameService(old, service)) writeOne(ctx, services, own, old, service);
  }
  if (services.size() === 0) root.editor.replace(pair, new YAMLMap());
  else services.finish();
}

function writeOne(ctx: WriteContext, services: MapEditor, pair: OwnPair, before: ServiceForm, after: ServiceForm): void {
  const value = pair.value;
  let target: MapTarget;
  if (isAlias(value)) {
    const shared = deref(ctx.doc, value);
    if (!isMap(shared)) throw new FormError(`services.${after.name} must be a mapping`, value);
    target = { ctx, editor: new PendingMap(services, pair, [`<<: *${value.source}`]), own: null, sources: [shared] };
  } else if (isMap(value)) target = targetFor(ctx, value, services.sinkFor(pair));
  else target = { ctx, editor: new PendingMap(services, pair, []), own: null, sources: [] };
  writeService(target, before, after);
  target.editor.finish();
}

/** The mapping of a service written from scratch (it was empty, or an alias of another): only new keys. */
class PendingMap implements MapEditor {
  readonly inFlow = false;
  private readonly appended: [string, Node | null][] = [];

  constructor(
    private readonly parent: MapEditor,
    private readonly pair: OwnPair,
    private readonly leading: readonly string[],
  ) {}

  sinkFor(): Edit[] {
    throw new LayoutError('a service with no keys of its own');
  }
  setScalar(): void {
    throw new LayoutError('a service with no keys of its own');
  }
  replace(): void {
    throw new LayoutError('a service with no keys of its own');
  }
  remove(): void {
    throw new LayoutError('a service with no keys of its own');
  }
  append(key: string, value: Node | null): void {
    this.appended.push([key, value]);
  }
  size(): number {
    return this.appended.length + this.leading.length;
  }
  finish(): void {
    if (this.appended.length > 0) this.parent.replace(this.pair, mapOf(this.appended), this.leading);
  }
}

function writeVolumes(root: MapTarget, before: readonly string[], after: readonly string[]): void {
  const sorted = (names: readonly string[]) => canonicalForm({ services: [], volumes: [...names] }).volumes.join('\n');
  if (sorted(before) === sorted(after)) return;
  if (after.length === 0) {
    clearField(root, 'volumes');
    return;
  }
  const fresh = () => {
    const base = toPlain(root.ctx.doc, current(root, 'volumes'));
    const old = typeof base === 'object' && base !== null ? (base as Record<string, unknown>) : {};
    return plainNode(Object.fromEntries(after.map((name) => [name, old[name] ?? null])));
  };
  setField(root, 'volumes', fresh, (node, sink) => {
    if (!isMap(node)) throw new LayoutError('volumes is not a mapping');
    const volumes = targetFor(root.ctx, node, sink);
    const names = new Set(after);
    for (const name of before) if (!names.has(name)) clearField(volumes, name);
    const had = new Set(before);
    for (const name of after) if (!had.has(name)) volumes.editor.append(name, null);
    if (volumes.editor.size() === 0) throw new LayoutError('no volumes left');
    volumes.editor.finish();
  });
}

/** Whether the services of a mapping are separated by blank lines (new ones then are too). */
function blankLineBetween(source: string, map: YAMLMap): boolean {
  const [first, second] = map.items as OwnPair[];
  if (first === undefined || second === undefined) return false;
  const gap = source.slice(nodeEnd(source, first.value ?? first.key), lineStart(source, rangeOf(second.key)[0]));
  return gap
    .split('\n')
    .slice(0, -1)
    .some((line) => line.trim() === '');
}

/** Refuses to drop a node that holds an anchor some alias outside it still uses. */
function anchorGuard(doc: Document): WriteContext['assertUnshared'] {
  const aliases: { name: string; at: number }[] = [];
  visit(doc, {
    Alias(_key, alias) {
      aliases.push({ name: alias.source, at: alias.range?.[0] ?? -1 });
    },
  });
  return (node, keepTop) => {
    if (node === null || aliases.length === 0 || !node.range) return;
    const [start, end] = node.range;
    const check = (inner: Node): void => {
      if (isAlias(inner) || inner.anchor === undefined || (keepTop && inner === node)) return;
      const name = inner.anchor;
      if (aliases.some((a) => a.name === name && (a.at < start || a.at >= end))) {
        throw new FormError(`the anchor &${name} is used elsewhere`, inner);
      }
    };
    check(node);
    visit(node, { Node: (_key, inner) => void check(inner) });
  };
}
