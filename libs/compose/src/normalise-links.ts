import type { ServiceSpecInput } from '@wharf/engine';
import type { ServiceContext } from './normalise-context.js';
import { reference, type StackRefs } from './normalise-mounts.js';
import { ruleEnforced } from './policy.js';
import { suggestion } from './suggest.js';
import { childPath, isMap, isSeq } from './tree.js';
import type { DependencyCondition, ExternalNeed } from './types.js';
import { asBool, asMap, asString, stringList } from './values.js';

/*
 * How a service relates to the rest: the networks it joins, the services it depends on (`depends_on`, `links`),
 * and what it needs from outside the stack (`external_links`, `x-wharf-external`).
 */

type Spec = ServiceSpecInput;

export interface Edge {
  service: string;
  condition: DependencyCondition;
  required: boolean;
  /** Where the dependency is written: `services.web.depends_on.db`, `services.web.links[0]`. */
  path: string;
}

/** A `links` alias: a further DNS name of `target`. */
export interface LinkAlias {
  target: string;
  alias: string;
  path: string;
}

const CONDITIONS: Record<string, DependencyCondition> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

/** The stack networks a service joins (`default` is the environment network), and its aliases there. */
export function serviceNetworks(ctx: ServiceContext, refs: StackRefs, spec: Spec): void {
  const s = ctx.service;
  if (asString(s.get('network_mode')) === 'host' && !ruleEnforced(ctx.cluster, 'host-network')) {
    spec.host = { ...spec.host, network: true };
    ctx.origin('host.network', childPath(ctx.base, 'network_mode'));
  }
  const v = s.get('networks');
  const base = childPath(ctx.base, 'networks');
  const entries: { name: string; path: string; config: ReturnType<typeof asMap> }[] = [];
  if (isSeq(v)) for (const e of stringList(v, base)) entries.push({ name: e.value, path: e.path, config: undefined });
  else if (isMap(v)) for (const [name, config] of v) entries.push({ name, path: childPath(base, name), config: asMap(config) });
  const networks: string[] = [];
  const aliases: string[] = [];
  for (const { name, path, config } of entries) {
    const isDefault = name === 'default';
    if (!isDefault && !reference(ctx, refs, 'networks', name, path)) continue;
    if (!isDefault) {
      ctx.origin(`networks.${networks.length}`, path);
      networks.push(name);
    }
    for (const [key, value] of config ?? []) {
      const p = childPath(path, key);
      if (key === 'aliases' && isDefault) {
        for (const a of stringList(value, p)) {
          ctx.origin(`aliases.${aliases.length}`, a.path);
          aliases.push(a.value);
        }
      } else if (key === 'aliases') {
        ctx.report.warn('ignored', p, `${p} is ignored: aliases apply on the environment network ("default") only`);
      } else if (!key.startsWith('x-')) {
        ctx.report.warn('ignored', p, `${p} is ignored: Swarm assigns addresses and interfaces`);
      }
    }
  }
  if (entries.length > 0 && !entries.some((e) => e.name === 'default')) {
    ctx.report.warn(
      'ignored',
      base,
      `${base}: the service joins its environment's network ("default") as well; every service does`,
    );
  }
  spec.networks = networks;
  spec.aliases = aliases;
}

/**
 * The dependencies of a service: `depends_on` (list or mapping) and `links`. A dependency on a service that does not
 * take part (another profile) was reported by the profile check, or is not required: it is left out.
 */
export function dependencies(
  ctx: ServiceContext,
  all: ReadonlySet<string>,
  participating: ReadonlySet<string>,
): { edges: Edge[]; aliases: LinkAlias[] } {
  const edges: Edge[] = [];
  const aliases: LinkAlias[] = [];
  const add = (target: string, condition: DependencyCondition, required: boolean, path: string) => {
    if (!all.has(target)) {
      ctx.report.error('reference', path, `${path}: there is no service "${target}"${suggestion(target, all)}`);
      return;
    }
    if (!participating.has(target)) return;
    const existing = edges.find((e) => e.service === target);
    if (existing) return;
    edges.push({ service: target, condition, required, path });
  };
  const v = ctx.service.get('depends_on');
  const base = childPath(ctx.base, 'depends_on');
  if (isSeq(v)) {
    for (const e of stringList(v, base)) add(e.value, 'started', true, e.path);
  } else if (isMap(v)) {
    for (const [target, spec] of v) {
      const m = asMap(spec);
      const written = asString(m?.get('condition')) ?? 'service_started';
      const condition = Object.hasOwn(CONDITIONS, written) ? (CONDITIONS[written] ?? 'started') : 'started';
      add(target, condition, asBool(m?.get('required')) ?? true, childPath(base, target));
    }
  }
  for (const link of stringList(ctx.service.get('links'), childPath(ctx.base, 'links'))) {
    const [target = '', alias] = link.value.split(':');
    add(target, 'started', true, link.path);
    if (alias !== undefined && alias !== '' && alias !== target && participating.has(target)) {
      aliases.push({ target, alias, path: link.path });
    }
  }
  return { edges, aliases };
}

/** What the service needs from outside the stack: `external_links: [name[:alias]]` and `x-wharf-external`. */
export function externalNeeds(ctx: ServiceContext): ExternalNeed[] {
  const out: ExternalNeed[] = [];
  const add = (name: string, alias: string | undefined) => {
    if (out.some((n) => n.name === name)) return;
    out.push({ name, service: ctx.name, alias: alias || name });
  };
  for (const e of stringList(ctx.service.get('external_links'), childPath(ctx.base, 'external_links'))) {
    const [name = '', alias] = e.value.split(':');
    add(name, alias);
  }
  const ext = ctx.service.get('x-wharf-external');
  if (isSeq(ext)) for (const e of stringList(ext, '')) add(e.value, undefined);
  else if (isMap(ext)) for (const [name, config] of ext) add(name, asString(asMap(config)?.get('alias')));
  return out;
}
