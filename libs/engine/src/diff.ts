import { LABEL_DEPLOYMENT } from './labels.js';
import type { SwarmServiceSpec } from './swarm-types.js';

/*
 * Is an update needed? Compares a desired ServiceSpec with the `Spec` the engine returns for the service
 * (`GET /services/{id}`), so a retried deploy or a reconcile pass that finds nothing changed does nothing.
 */

export interface DiffOptions {
  /** Network name → engine id: the engine stores attachments by network id. */
  networkIds?: Record<string, string>;
  /** The engine's API version (`GET /version`); fields an older engine drops are then not counted as changes. */
  apiVersion?: string;
}

export interface ServiceDiff {
  needsUpdate: boolean;
  /** Dotted paths that differ, for the deploy log. */
  changed: string[];
}

/** Fields the engine or the CLI fill in on their own; a difference there is not a change of ours. */
const FILLED_BY_ENGINE = new Set([
  'TaskTemplate.ContainerSpec.Isolation',
  'TaskTemplate.ContainerSpec.DNSConfig',
  'TaskTemplate.Runtime',
  'TaskTemplate.ForceUpdate',
  'TaskTemplate.Placement.Platforms',
]);
/**
 * The deployment that last changed a service labels it (its containers and volumes too); a new deployment that
 * changes nothing else of it must not update it (that would restart its tasks, and run a job again).
 */
const DEPLOYMENT_LABEL = `Labels.${LABEL_DEPLOYMENT}`;
/** Ids the engine assigns; we compare the names next to them. */
const ID_KEYS = new Set(['SecretID', 'ConfigID']);
/** Fields that need a newer engine than the oldest we drive, with the API version that introduced them. */
const SINCE: Record<string, [number, number]> = {
  'TaskTemplate.ContainerSpec.Privileges.NoNewPrivileges': [1, 44],
};

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Absent, null, 0, '', false, [] and {} (recursively) are the same thing to the engine's `omitempty`. */
function isEmpty(v: Json): boolean {
  if (v === undefined || v === null || v === 0 || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) return Object.values(v).every(isEmpty);
  return false;
}

function olderThan(apiVersion: string | undefined, since: [number, number]): boolean {
  if (apiVersion === undefined) return false;
  const [major = 0, minor = 0] = apiVersion.split('.').map(Number);
  return major < since[0] || (major === since[0] && minor < since[1]);
}

function networkKeys(list: Json, ids: Record<string, string> | undefined): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(isRecord)
    .map((n) => {
      const target = String(n.Target ?? '');
      const aliases = Array.isArray(n.Aliases) ? [...n.Aliases].map(String).sort() : [];
      return `${ids?.[target] ?? target}|${aliases.join(',')}`;
    })
    .sort();
}

function compare(desired: Json, current: Json, path: string, opts: DiffOptions, out: string[]): void {
  if (FILLED_BY_ENGINE.has(path) || path.endsWith(DEPLOYMENT_LABEL)) return;
  const since = SINCE[path];
  if (since && olderThan(opts.apiVersion, since) && current === undefined) return;
  if (isEmpty(desired) && isEmpty(current)) return;

  if (path === 'TaskTemplate.ContainerSpec.Image' && typeof desired === 'string' && typeof current === 'string') {
    // The CLI (not the engine) pins `image:tag@sha256:…`; without a digest of our own, the tag is what we asked for.
    const pinned = !desired.includes('@') ? current.replace(/@sha256:[a-f0-9]{64}$/, '') : current;
    if (desired !== pinned) out.push(path);
    return;
  }
  if (path === 'TaskTemplate.Networks') {
    const d = networkKeys(desired, opts.networkIds);
    const c = networkKeys(current, undefined);
    if (d.join('\n') !== c.join('\n')) out.push(path);
    return;
  }
  if (Array.isArray(desired) && Array.isArray(current)) {
    if (desired.length !== current.length) {
      out.push(path);
      return;
    }
    desired.forEach((d, i) => {
      compare(d, current[i], `${path}[${i}]`, opts, out);
    });
    return;
  }
  if (isRecord(desired) && isRecord(current)) {
    for (const key of new Set([...Object.keys(desired), ...Object.keys(current)])) {
      if (ID_KEYS.has(key) && desired[key] === undefined) continue;
      compare(desired[key], current[key], path ? `${path}.${key}` : key, opts, out);
    }
    return;
  }
  if (isRecord(desired) && current === undefined) {
    // An object we set that the engine does not echo: only its non-empty leaves count (e.g. Privileges).
    compare(desired, {}, path, opts, out);
    return;
  }
  if (desired !== current) out.push(path);
}

/** Configs the engine fills in for a job (it refuses them when they are sent): not ours to compare. */
const FILLED_FOR_JOBS = new Set(['UpdateConfig', 'RollbackConfig']);

/** Whether `current` (the engine's `Spec` of the service) must be updated to become `desired`. */
export function diffServiceSpec(current: unknown, desired: SwarmServiceSpec, opts: DiffOptions = {}): ServiceDiff {
  const changed: string[] = [];
  compare(desired, current, '', opts, changed);
  if ('ReplicatedJob' in desired.Mode) {
    const ours = changed.filter((path) => !FILLED_FOR_JOBS.has(path.split('.')[0] ?? ''));
    return { needsUpdate: ours.length > 0, changed: ours };
  }
  return { needsUpdate: changed.length > 0, changed };
}
