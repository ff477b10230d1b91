import type { ServiceSpecInput } from '@wharf/engine';
import type { ServiceContext } from './normalise-context.js';
import { isDockerSocket, ruleEnforced } from './policy.js';
import { suggestion } from './suggest.js';
import { parseTmpfs, parseVolumeSpec } from './syntax.js';
import { childPath, isMap, type YMap } from './tree.js';
import { parseBytes, toMiB } from './units.js';
import { asBool, asMap, asSeq, asString, listOrDict, quote, stringList } from './values.js';

/*
 * Volumes, tmpfs mounts, secrets and configs of one service. Named volumes must be declared at the top level; an
 * anonymous volume becomes a named one; a bind mount reaches the model only where policy allows it (a dedicated
 * cluster whose owner relaxed "bind-mounts", or "docker-socket" for the socket).
 */

type Spec = ServiceSpecInput;
type Mount = { source: string; target: string; readOnly: boolean };
type Tmpfs = { target: string; sizeMiB?: number };
export type ObjectKind = 'volumes' | 'networks' | 'secrets' | 'configs';

/** The top-level objects a service refers to. */
export interface StackRefs {
  /** Whether the top level declares it; the first use of each is recorded. */
  use(kind: ObjectKind, name: string): boolean;
  names(kind: ObjectKind): string[];
  /** A generated named volume for an anonymous one. */
  anonymousVolume(service: string, path: string): string;
}

const SINGULAR: Record<ObjectKind, string> = { volumes: 'volume', networks: 'network', secrets: 'secret', configs: 'config' };

/** Checks a reference to a top-level object; reports a `reference` error when it is not declared. */
export function reference(ctx: ServiceContext, refs: StackRefs, kind: ObjectKind, name: string, path: string): boolean {
  if (refs.use(kind, name)) return true;
  ctx.report.error(
    'reference',
    path,
    `${path}: ${SINGULAR[kind]} "${name}" is not declared under the top-level "${kind}"${suggestion(name, refs.names(kind))}`,
  );
  return false;
}

export function normaliseMounts(ctx: ServiceContext, refs: StackRefs, spec: Spec): void {
  const s = ctx.service;
  const base = childPath(ctx.base, 'volumes');
  const volumes: Mount[] = [];
  const tmpfs: Tmpfs[] = [];
  const binds: Mount[] = [];
  const addVolume = (source: string, target: string, readOnly: boolean, path: string) => {
    ctx.origin(`volumes.${volumes.length}`, path);
    volumes.push({ source, target, readOnly });
  };
  const addTmpfs = (t: Tmpfs, path: string) => {
    ctx.origin(`tmpfs.${tmpfs.length}`, path);
    tmpfs.push(t);
  };
  const addBind = (source: string, target: string, readOnly: boolean, path: string) => {
    const rule = isDockerSocket(source) ? 'docker-socket' : 'bind-mounts';
    if (ruleEnforced(ctx.cluster, rule)) return; // refused by policy
    if (!source.startsWith('/')) {
      ctx.report.error(
        'unsupported',
        path,
        `${path}: the relative host path ${quote(source)} has no meaning on a cluster; use an absolute path`,
      );
      return;
    }
    ctx.origin(`host.bindMounts.${binds.length}`, path);
    binds.push({ source, target, readOnly });
  };
  const named = (source: string | undefined, target: string, readOnly: boolean, path: string, sourcePath: string) => {
    if (source === undefined) {
      const name = refs.anonymousVolume(ctx.name, path);
      ctx.report.warn(
        'ignored',
        path,
        `${path}: the anonymous volume at ${quote(target)} becomes the named volume "${name}", kept across deployments`,
      );
      addVolume(name, target, readOnly, path);
    } else if (reference(ctx, refs, 'volumes', source, sourcePath)) {
      addVolume(source, target, readOnly, path);
    }
  };

  for (const [i, item] of (asSeq(s.get('volumes')) ?? []).entries()) {
    const path = childPath(base, i);
    if (isMap(item)) {
      longVolume(ctx, item, path, { named, addBind, tmpfs: addTmpfs });
      continue;
    }
    if (typeof item !== 'string') continue;
    const v = parseVolumeSpec(item);
    if (!v.ok) ctx.report.error('type', path, `${path}: ${v.error}`);
    else if (v.value.type === 'bind') addBind(v.value.source ?? '', v.value.target, v.value.readOnly, path);
    else named(v.value.source, v.value.target, v.value.readOnly, path, path);
  }

  for (const e of stringList(s.get('tmpfs'), childPath(ctx.base, 'tmpfs'))) {
    const t = parseTmpfs(e.value);
    if (t.ok) addTmpfs(t.value, e.path);
    else ctx.report.error('type', e.path, `${e.path}: ${t.error}`);
  }

  if (asBool(s.get('use_api_socket')) === true && !ruleEnforced(ctx.cluster, 'docker-socket')) {
    ctx.origin(`host.bindMounts.${binds.length}`, childPath(ctx.base, 'use_api_socket'));
    binds.push({ source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false });
  }
  spec.volumes = volumes;
  spec.tmpfs = tmpfs;
  if (binds.length > 0) spec.host = { ...spec.host, bindMounts: binds };

  spec.secrets = files(ctx, refs, 'secrets', '/run/secrets/');
  spec.configs = files(ctx, refs, 'configs', '/');
}

interface LongVolumeSinks {
  named(source: string | undefined, target: string, readOnly: boolean, path: string, sourcePath: string): void;
  addBind(source: string, target: string, readOnly: boolean, path: string): void;
  tmpfs(t: Tmpfs, path: string): void;
}

function longVolume(ctx: ServiceContext, item: YMap, path: string, sinks: LongVolumeSinks): void {
  const type = asString(item.get('type'));
  const target = asString(item.get('target'));
  const source = asString(item.get('source'));
  const readOnly = asBool(item.get('read_only')) ?? false;
  if (type === 'npipe' || type === 'cluster' || type === 'image') {
    const p = childPath(path, 'type');
    ctx.report.error('unsupported', p, `${p}: ${type} mounts are not supported; use a named volume`);
    return;
  }
  if (target === undefined) {
    if (type !== undefined && !item.has('target')) {
      ctx.report.error('type', path, `${path}: "target" (the path in the container) is required`);
    }
    return;
  }
  if (type === 'tmpfs') {
    const size = item.get('tmpfs') === undefined ? undefined : asMap(item.get('tmpfs'))?.get('size');
    const bytes = typeof size === 'number' || typeof size === 'string' ? parseBytes(size) : undefined;
    sinks.tmpfs({ target, ...(bytes !== undefined && bytes > 0 ? { sizeMiB: toMiB(bytes) } : {}) }, path);
  } else if (type === 'bind') {
    sinks.addBind(source ?? '', target, readOnly, path);
  } else if (type === 'volume') {
    const subpath = asMap(item.get('volume'))?.get('subpath');
    if (subpath !== undefined) {
      const p = childPath(childPath(path, 'volume'), 'subpath');
      ctx.report.error('unsupported', p, `${p} is not supported: mount the whole volume`);
      return;
    }
    sinks.named(
      source === '' ? undefined : source,
      target,
      readOnly,
      path,
      source === undefined ? path : childPath(path, 'source'),
    );
  }
}

/** Service `secrets` or `configs`: names (short) or `{source, target}` (long) → stack object → file in the container. */
function files(ctx: ServiceContext, refs: StackRefs, kind: 'secrets' | 'configs', directory: string): Record<string, string> {
  const entries: [string, string][] = [];
  const base = childPath(ctx.base, kind);
  asSeq(ctx.service.get(kind))?.forEach((item, i) => {
    const path = childPath(base, i);
    let source: string | undefined;
    let target: string | undefined;
    if (isMap(item)) {
      source = asString(item.get('source'));
      target = asString(item.get('target'));
      for (const k of ['uid', 'gid', 'mode']) {
        if (item.has(k))
          ctx.report.warn('ignored', childPath(path, k), `${childPath(path, k)} is ignored: files are owned by root, mode 0444`);
      }
      if (source === undefined) {
        if (!item.has('source')) ctx.report.error('type', path, `${path}: "source" (the ${SINGULAR[kind]}'s name) is required`);
        return;
      }
    } else {
      source = asString(item);
    }
    if (source === undefined || !reference(ctx, refs, kind, source, path)) return;
    const file =
      target === undefined || target === '' ? `${directory}${source}` : target.startsWith('/') ? target : `${directory}${target}`;
    if (entries.some(([name]) => name === source)) {
      ctx.report.error('type', path, `${path}: ${SINGULAR[kind]} "${source}" is listed twice; it can appear at one path only`);
      return;
    }
    ctx.origin(`${kind}.${source}`, path);
    entries.push([source, file]);
  });
  return Object.fromEntries(entries);
}

/** `sysctls` of a service whose owner relaxed the rule, as the engine's host sysctls. */
export function hostSysctls(ctx: ServiceContext, spec: Spec): void {
  const v = ctx.service.get('sysctls');
  if (v === undefined || ruleEnforced(ctx.cluster, 'sysctls')) return;
  const entries = listOrDict(v, childPath(ctx.base, 'sysctls'));
  if (entries.length === 0) return;
  for (const e of entries) ctx.origin(`host.sysctls.${e.key}`, e.path);
  spec.host = { ...spec.host, sysctls: Object.fromEntries(entries.map((e) => [e.key, e.value ?? ''])) };
}
