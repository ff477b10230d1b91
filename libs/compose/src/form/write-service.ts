import { isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { shellJoin } from '../shell-words.js';
import { deepEqual } from './compare.js';
import { LayoutError, type SeqEditor } from './editors.js';
import type { DependencyForm, EnvVarForm, HealthcheckForm, ServiceForm } from './form.schema.js';
import { readEnvironment } from './read.js';
import { blockSeq, flowSeq, mapOf, num, scalarLike, str } from './render.js';
import { seqEditor } from './seq-editor.js';
import { formatEnvItem, parseEnvItem } from './syntax.js';
import type { Edit } from './text-edits.js';
import { freshPort, writePorts, writeVolumes } from './write-lists.js';
import {
  clearField,
  current,
  editStrings,
  expectMap,
  expectSeq,
  type MapTarget,
  ownOf,
  plainNode,
  setField,
  stringOf,
  type Tree,
  targetFor,
  type WriteContext,
  writeScalar,
  writeTree,
} from './write-target.js';

/*
 * Writing the fields of one service. Each keeps the syntax the file uses (environment as a map or a list, ports and
 * volumes short or long, depends_on as a list or a map, command as a string or a list); a new field gets the usual
 * compose spelling.
 */

export function writeService(t: MapTarget, before: ServiceForm, after: ServiceForm): void {
  if (before.image !== after.image) writeScalar(t, 'image', after.image);
  if (!deepEqual(before.command, after.command)) writeCommand(t, after.command);
  if (!sameKeyed(before.environment, after.environment, (e) => e.key)) writeEnvironment(t, after.environment);
  if (!deepEqual(before.ports, after.ports)) writePorts(t, after.ports);
  if (!deepEqual(before.volumes, after.volumes)) writeVolumes(t, after.volumes);
  if (!sameKeyed(before.dependsOn, after.dependsOn, (d) => d.service)) writeDependsOn(t, before.dependsOn, after.dependsOn);
  if (!deepEqual(before.healthcheck, after.healthcheck)) writeHealthcheck(t, before.healthcheck, after.healthcheck);
  const tree = deployTree(before, after);
  if (tree !== undefined) writeTree(t, { deploy: { tree } });
}

/** A new service, in the usual compose spelling. */
export function freshService(service: ServiceForm): YAMLMap {
  const fields: [string, Node | null][] = [];
  if (service.image !== undefined) fields.push(['image', str(service.image)]);
  if (service.command !== undefined) fields.push(['command', freshStrings(service.command)]);
  if (service.environment.length > 0) fields.push(['environment', freshEnvironment(service.environment, false)]);
  if (service.ports.length > 0) fields.push(['ports', blockSeq(service.ports.map((p) => freshPort(p, false)))]);
  if (service.volumes.length > 0) fields.push(['volumes', blockSeq(service.volumes.map((v) => str(v)))]);
  if (service.dependsOn.length > 0) fields.push(['depends_on', freshDependsOn(service.dependsOn, true)]);
  if (service.healthcheck !== undefined) fields.push(['healthcheck', freshHealthcheck(service.healthcheck)]);
  const deploy = deployTree(undefined, service);
  if (deploy !== undefined) fields.push(['deploy', plainNode(treeValue(deploy))]);
  return mapOf(fields);
}

function sameKeyed<T>(a: readonly T[], b: readonly T[], keyOf: (item: T) => string): boolean {
  const byKey = new Map(a.map((item) => [keyOf(item), item]));
  return a.length === b.length && b.every((item) => deepEqual(byKey.get(keyOf(item)), item));
}

function freshStrings(items: readonly string[]): YAMLSeq {
  return flowSeq(items.map((item) => str(item, 'QUOTE_DOUBLE')));
}

function writeCommand(t: MapTarget, after: string[] | undefined): void {
  if (after === undefined) {
    clearField(t, 'command');
    return;
  }
  const pair = ownOf(t, 'command');
  if (pair !== undefined && isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.tag === undefined) {
    t.editor.setScalar(pair, scalarLike(pair.value, shellJoin(after)));
    return;
  }
  setField(
    t,
    'command',
    () => freshStrings(after),
    (node, sink) => editStrings(t.ctx, expectSeq(node), after, sink),
  );
}

function freshEnvironment(env: readonly EnvVarForm[], asList: boolean): Node {
  if (asList) return blockSeq(env.map((e) => str(formatEnvItem(e))));
  return mapOf(env.map((e) => [e.key, e.value === null ? null : str(e.value)] as const));
}

function writeEnvironment(t: MapTarget, after: readonly EnvVarForm[]): void {
  if (after.length === 0) {
    clearField(t, 'environment');
    return;
  }
  const asList = isSeq(current(t, 'environment'));
  setField(
    t,
    'environment',
    () => freshEnvironment(after, asList),
    (node, sink) => (isSeq(node) ? editEnvList(t.ctx, node, after, sink) : editEnvMap(t.ctx, expectMap(node), after, sink)),
  );
}

function editEnvMap(ctx: WriteContext, map: YAMLMap, after: readonly EnvVarForm[], sink: Edit[]): void {
  const env = targetFor(ctx, map, sink);
  const wanted = new Map(after.map((e) => [e.key, e.value]));
  for (const [key, value] of envOf(env)) {
    if (!wanted.has(key)) clearField(env, key);
    else if (wanted.get(key) !== value) writeScalar(env, key, wanted.get(key) ?? null);
    wanted.delete(key);
  }
  for (const [key, value] of wanted) writeScalar(env, key, value);
  if (env.editor.size() === 0) throw new LayoutError('an empty environment');
  env.editor.finish();
}

function envOf(t: MapTarget): Map<string, string | null> {
  const env = t.own === null ? [] : readEnvironment(t.ctx.doc, t.own, 'environment');
  return new Map(env.map((e) => [e.key, e.value]));
}

function editEnvList(ctx: WriteContext, seq: YAMLSeq, after: readonly EnvVarForm[], sink: Edit[]): void {
  const wanted = new Map(after.map((e) => [e.key, e]));
  reconcileKeyed(ctx, seq, sink, {
    keyOf: (item) => parseEnvItem(stringOf(ctx.doc, item)).key,
    wanted: after.map((e) => e.key),
    change: (editor, index, item, key) => {
      const entry = wanted.get(key);
      const text = entry === undefined ? undefined : formatEnvItem(entry);
      if (text !== undefined && text !== stringOf(ctx.doc, item)) editor.setScalar(index, scalarLike(item, text));
    },
    fresh: (key) => str(formatEnvItem(wanted.get(key) ?? { key, value: null })),
  });
}

/** A list keyed by its items (`- KEY=value`, `- service`): removed keys go, new ones are added at the end. */
function reconcileKeyed(
  ctx: WriteContext,
  seq: YAMLSeq,
  sink: Edit[],
  ops: {
    keyOf: (item: Node) => string;
    wanted: readonly string[];
    change: (editor: SeqEditor, index: number, item: Node, key: string) => void;
    fresh: (key: string) => Node;
  },
): void {
  const editor = seqEditor(ctx, seq, sink);
  const wanted = new Set(ops.wanted);
  const seen = new Set<string>();
  seq.items.forEach((item, index) => {
    const key = ops.keyOf(item as Node);
    seen.add(key);
    if (wanted.has(key)) ops.change(editor, index, item as Node, key);
    else editor.remove(index);
  });
  const added = ops.wanted.filter((key) => !seen.has(key)).map(ops.fresh);
  if (added.length > 0) editor.insert(seq.items.length, added);
  if (editor.size() === 0) throw new LayoutError('a list left empty');
  editor.finish();
}

function freshDependsOn(deps: readonly DependencyForm[], preferList: boolean): Node {
  if (preferList && deps.every((d) => d.condition === 'service_started')) return blockSeq(deps.map((d) => str(d.service)));
  return mapOf(deps.map((d) => [d.service, mapOf([['condition', str(d.condition)]])] as const));
}

function writeDependsOn(t: MapTarget, before: readonly DependencyForm[], after: readonly DependencyForm[]): void {
  if (after.length === 0) {
    clearField(t, 'depends_on');
    return;
  }
  const node = current(t, 'depends_on');
  const asList = node === null || isSeq(node);
  setField(
    t,
    'depends_on',
    () => freshDependsOn(after, asList),
    (value, sink) => {
      if (isSeq(value)) {
        if (after.some((d) => d.condition !== 'service_started')) throw new LayoutError('a list cannot hold conditions');
        reconcileKeyed(t.ctx, value, sink, {
          keyOf: (item) => stringOf(t.ctx.doc, item),
          wanted: after.map((d) => d.service),
          change: () => undefined,
          fresh: (service) => str(service),
        });
        return;
      }
      const deps = targetFor(t.ctx, expectMap(value), sink);
      const had = new Map(before.map((d) => [d.service, d.condition]));
      const wanted = new Set(after.map((d) => d.service));
      for (const d of before) if (!wanted.has(d.service)) clearField(deps, d.service);
      for (const d of after) {
        if (had.get(d.service) !== d.condition) writeTree(deps, { [d.service]: { tree: { condition: { set: d.condition } } } });
      }
      if (deps.editor.size() === 0) throw new LayoutError('an empty depends_on');
      deps.editor.finish();
    },
  );
}

function freshHealthcheck(check: HealthcheckForm): YAMLMap {
  const fields: [string, Node][] = [];
  if (check.test.length > 0) fields.push(['test', freshStrings(check.test)]);
  if (check.interval !== undefined) fields.push(['interval', str(check.interval)]);
  if (check.timeout !== undefined) fields.push(['timeout', str(check.timeout)]);
  if (check.retries !== undefined) fields.push(['retries', num(check.retries)]);
  return mapOf(fields);
}

function writeHealthcheck(t: MapTarget, before: HealthcheckForm | undefined, after: HealthcheckForm | undefined): void {
  if (after === undefined) {
    clearField(t, 'healthcheck');
    return;
  }
  const was = before ?? { test: [] };
  setField(
    t,
    'healthcheck',
    () => freshHealthcheck(after),
    (node, sink) => {
      const check = targetFor(t.ctx, expectMap(node), sink);
      if (!deepEqual(was.test, after.test)) writeTest(check, after.test);
      if (was.interval !== after.interval) writeScalar(check, 'interval', after.interval);
      if (was.timeout !== after.timeout) writeScalar(check, 'timeout', after.timeout);
      if (was.retries !== after.retries) writeScalar(check, 'retries', after.retries);
      if (check.editor.size() === 0) throw new LayoutError('an empty healthcheck');
      check.editor.finish();
    },
  );
}

function writeTest(t: MapTarget, after: readonly string[]): void {
  if (after.length === 0) {
    clearField(t, 'test');
    return;
  }
  const pair = ownOf(t, 'test');
  if (pair !== undefined && isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.tag === undefined) {
    if (after.length === 2 && after[0] === 'CMD-SHELL') t.editor.setScalar(pair, scalarLike(pair.value, after[1] ?? ''));
    else t.editor.replace(pair, freshStrings(after));
    return;
  }
  setField(
    t,
    'test',
    () => freshStrings(after),
    (node, sink) => editStrings(t.ctx, expectSeq(node), after, sink),
  );
}

/** Changes to `deploy` (`replicas`, `resources.limits.cpus` and `.memory`); `undefined` when there are none. */
function deployTree(before: ServiceForm | undefined, after: ServiceForm): Tree | undefined {
  const limits: Tree = {};
  if (before?.cpus !== after.cpus) limits.cpus = { set: after.cpus };
  if (before?.memory !== after.memory) limits.memory = { set: after.memory };
  const deploy: Tree = {};
  if (before?.replicas !== after.replicas) deploy.replicas = { set: after.replicas };
  if (Object.keys(limits).length > 0) deploy.resources = { tree: { limits: { tree: limits } } };
  return Object.keys(deploy).length === 0 ? undefined : deploy;
}

function treeValue(tree: Tree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(tree)) {
    if (!('set' in node)) out[key] = treeValue(node.tree);
    else if (node.set !== undefined) out[key] = node.set;
  }
  return out;
}
