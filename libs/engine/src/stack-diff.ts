import type { ServiceSpec, StackSpec } from './model.js';

/*
 * What deploying one revision of a stack over another changes, in the model's terms (not the engine's): shown
 * before a deployment so nobody deploys blind. Pure.
 */

export interface StackChanges {
  services: { added: string[]; removed: string[]; changed: { name: string; changes: string[] }[] };
  networks: { added: string[]; removed: string[] };
  volumes: { added: string[]; removed: string[] };
  secrets: { added: string[]; removed: string[] };
  configs: { added: string[]; removed: string[]; changed: string[] };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function keyed(from: Record<string, unknown>, to: Record<string, unknown>) {
  return {
    added: Object.keys(to)
      .filter((k) => !(k in from))
      .sort(),
    removed: Object.keys(from)
      .filter((k) => !(k in to))
      .sort(),
  };
}

/** Changed fields of a service: `image`, `replicas`, `env.KEY` (values never shown: they may be secrets), … */
export function serviceChanges(from: ServiceSpec, to: ServiceSpec): string[] {
  const changes: string[] = [];
  const keys = new Set([...Object.keys(from), ...Object.keys(to)] as (keyof ServiceSpec)[]);
  for (const key of [...keys].sort()) {
    if (key === 'env') {
      const a = from.env;
      const b = to.env;
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (a[k] !== b[k]) changes.push(`env.${k} ${k in a ? (k in b ? 'changed' : 'removed') : 'added'}`);
      }
    } else if (!same(from[key], to[key])) {
      changes.push(key === 'image' ? `image ${String(from.image)} → ${String(to.image)}` : key);
    }
  }
  return changes;
}

/** `from` undefined: nothing deployed yet (everything is added). Config contents are compared by value. */
export function diffStacks(
  from: StackSpec | undefined,
  to: StackSpec,
  configs: { from?: Record<string, string>; to?: Record<string, string> } = {},
): StackChanges {
  const before = new Map((from?.services ?? []).map((s) => [s.name, s]));
  const after = new Map(to.services.map((s) => [s.name, s]));
  const changed = [...after]
    .filter(([name]) => before.has(name))
    .map(([name, s]) => ({ name, changes: serviceChanges(before.get(name) as ServiceSpec, s) }))
    .filter((c) => c.changes.length > 0);
  const cfg = keyed(from?.configs ?? {}, to.configs);
  return {
    services: {
      added: [...after.keys()].filter((n) => !before.has(n)),
      removed: [...before.keys()].filter((n) => !after.has(n)),
      changed,
    },
    networks: keyed(from?.networks ?? {}, to.networks),
    volumes: keyed(from?.volumes ?? {}, to.volumes),
    secrets: keyed(from?.secrets ?? {}, to.secrets),
    configs: {
      ...cfg,
      changed: Object.keys(to.configs)
        .filter((k) => from && k in from.configs && configs.from?.[k] !== configs.to?.[k])
        .sort(),
    },
  };
}
