import type { Report } from './report.js';
import { suggestion } from './suggest.js';
import { parsePortSpec, parseVolumeSpec } from './syntax.js';
import { childPath, isMap, isScalar, isSeq, type SourceMap, type YMap, type YSeq, type YValue } from './tree.js';
import { asString } from './values.js';

/*
 * `extends` within the one file: a service starts from a copy of the service it extends, then its own keys are
 * merged in by the compose merge rules. `depends_on` and `volumes_from` are never inherited (compose's rule: a
 * dependency is always visible where it applies). `extends.file` is refused: Wharf has one file.
 */

const NOT_INHERITED = new Set(['depends_on', 'volumes_from']);
/** Service keys whose value the extending service replaces instead of merging. */
const REPLACED = new Set(['command', 'entrypoint']);
/** `list_or_dict` keys: lists of `KEY=value` become mappings, then merge key by key. */
const AS_MAPPING = new Set(['environment', 'labels', 'annotations', 'sysctls']);

/** Resolves every service's `extends` in place (`services` is the document's `services` mapping). */
export function resolveExtends(services: YMap, map: SourceMap, report: Report): void {
  const done = new Set<string>();
  const visiting: string[] = [];
  const names = [...services.keys()];

  const resolve = (name: string): void => {
    if (done.has(name)) return;
    const service = services.get(name);
    const ext = isMap(service) ? service.get('extends') : undefined;
    if (!isMap(service) || ext === undefined || ext === null) {
      done.add(name);
      return;
    }
    const path = childPath(childPath('services', name), 'extends');
    const base = target(ext, path, report);
    if (base === undefined) {
      done.add(name);
      return;
    }
    const cycleAt = visiting.indexOf(base);
    if (cycleAt >= 0 || base === name) {
      const cycle = [...visiting.slice(cycleAt < 0 ? visiting.length : cycleAt), name, base];
      report.error('cycle', path, `extends cycle: ${cycle.join(' → ')}`);
      for (const n of cycle) done.add(n);
      return;
    }
    if (!services.has(base)) {
      report.error('reference', path, `${path}: there is no service "${base}" to extend${suggestion(base, names)}`);
      done.add(name);
      return;
    }
    visiting.push(name);
    resolve(base);
    visiting.pop();
    if (done.has(name)) return; // part of a cycle found further down
    const resolved = services.get(base);
    if (isMap(resolved)) services.set(name, mergeService(resolved, service, map));
    done.add(name);
  };

  for (const name of names) resolve(name);
}

function target(ext: YValue, path: string, report: Report): string | undefined {
  const plain = asString(ext);
  if (plain !== undefined) return plain;
  if (!isMap(ext)) return undefined; // validation reports the type
  if (ext.get('file') !== undefined) {
    report.error(
      'unsupported',
      childPath(path, 'file'),
      `${childPath(path, 'file')} is not supported: Wharf deploys one compose file; extend a service of this file`,
    );
    return undefined;
  }
  return asString(ext.get('service'));
}

/** The service `over` extending `base`. */
export function mergeService(base: YMap, over: YMap, map: SourceMap): YMap {
  const out: YMap = new Map();
  for (const [k, v] of base) {
    if (NOT_INHERITED.has(k)) continue;
    out.set(k, v);
    map.copy(base, k, out, k);
  }
  for (const [k, v] of over) {
    const prev = out.get(k);
    out.set(k, prev === undefined ? v : mergeServiceKey(k, prev, v, map));
    map.copy(over, k, out, k);
  }
  return out;
}

function mergeServiceKey(key: string, base: YValue, over: YValue, map: SourceMap): YValue {
  if (REPLACED.has(key) || over === null) return over;
  if (AS_MAPPING.has(key)) return mergeMappings(toMapping(base, map), toMapping(over, map), map, generic);
  if (isSeq(base) && isSeq(over)) {
    if (key === 'ports') return uniqueBy(base, over, portKey, map);
    if (key === 'volumes') return uniqueBy(base, over, volumeKey, map);
    if (key === 'secrets') return uniqueBy(base, over, (v) => fileKey(v, '/run/secrets/'), map);
    if (key === 'configs') return uniqueBy(base, over, (v) => fileKey(v, '/'), map);
  }
  if (key === 'networks' && isSeq(base) !== isSeq(over)) {
    return mergeMappings(toMapping(base, map), toMapping(over, map), map, generic);
  }
  if (key === 'healthcheck' && isMap(base) && isMap(over)) {
    return mergeMappings(base, over, map, (k, b, o) => (k === 'test' ? o : generic(k, b, o, map)));
  }
  return generic(key, base, over, map);
}

/** Mappings merge key by key, sequences append (without repeating a scalar), anything else is replaced. */
function generic(key: string, base: YValue, over: YValue, map: SourceMap): YValue {
  if (key === 'labels' && !isScalar(base) && !isScalar(over)) {
    return mergeMappings(toMapping(base, map), toMapping(over, map), map, generic);
  }
  if (isMap(base) && isMap(over)) return mergeMappings(base, over, map, generic);
  if (isSeq(base) && isSeq(over)) return uniqueBy(base, over, (v) => (isScalar(v) ? `${typeof v}:${v}` : undefined), map);
  return over;
}

type Rule = (key: string, base: YValue, over: YValue, map: SourceMap) => YValue;

function mergeMappings(base: YMap, over: YMap, map: SourceMap, rule: Rule): YMap {
  const out: YMap = new Map();
  for (const [k, v] of base) {
    out.set(k, v);
    map.copy(base, k, out, k);
  }
  for (const [k, v] of over) {
    const prev = out.get(k);
    out.set(k, prev === undefined || v === null ? v : rule(k, prev, v, map));
    map.copy(over, k, out, k);
  }
  return out;
}

/** A `list_or_dict` (or a list of names) as a mapping; list entries keep their locations. */
function toMapping(v: YValue, map: SourceMap): YMap {
  if (isMap(v)) return v;
  const out: YMap = new Map();
  if (!isSeq(v)) return out;
  v.forEach((item, i) => {
    const s = asString(item);
    if (s === undefined) return;
    const eq = s.indexOf('=');
    const key = eq < 0 ? s : s.slice(0, eq);
    out.set(key, eq < 0 ? null : s.slice(eq + 1));
    map.copy(v, i, out, key);
  });
  return out;
}

/** Appends `over` to `base`; an item whose key matches an earlier one replaces it (in place). */
function uniqueBy(base: YSeq, over: YSeq, key: (v: YValue) => string | undefined, map: SourceMap): YSeq {
  const out: YSeq = [];
  const at = new Map<string, number>();
  const add = (from: YSeq, i: number) => {
    const item = from[i] ?? null;
    const k = key(item);
    const existing = k === undefined ? undefined : at.get(k);
    const index = existing ?? out.length;
    if (existing === undefined) {
      out.push(item);
      if (k !== undefined) at.set(k, index);
    } else {
      out[index] = item;
    }
    map.copy(from, i, out, index);
  };
  for (let i = 0; i < base.length; i++) add(base, i);
  for (let i = 0; i < over.length; i++) add(over, i);
  return out;
}

function portKey(v: YValue): string | undefined {
  if (typeof v === 'number') return `|||${v}/tcp`;
  if (typeof v === 'string') {
    const p = parsePortSpec(v);
    if (!p.ok) return v;
    const { hostIp = '', published = '', target, protocol } = p.value;
    return `${hostIp}|${published}|${target.start}-${target.end}/${protocol}`;
  }
  if (!isMap(v)) return undefined;
  const get = (k: string) => asString(v.get(k)) ?? '';
  return `${get('host_ip')}|${get('published')}|${get('target')}/${get('protocol') || 'tcp'}`;
}

function volumeKey(v: YValue): string | undefined {
  if (typeof v === 'string') {
    const p = parseVolumeSpec(v);
    return p.ok ? p.value.target : v;
  }
  return isMap(v) ? asString(v.get('target')) : undefined;
}

function fileKey(v: YValue, directory: string): string | undefined {
  if (typeof v === 'string') return `${directory}${v}`;
  if (!isMap(v)) return undefined;
  const target = asString(v.get('target'));
  if (target !== undefined) return target.startsWith('/') ? target : `${directory}${target}`;
  const source = asString(v.get('source'));
  return source === undefined ? undefined : `${directory}${source}`;
}
