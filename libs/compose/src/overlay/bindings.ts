import { createHash } from 'node:crypto';
import type { StackSpec } from '@wharf/engine';
import type { ExternalNeed } from '../types.js';

/*
 * The environment overlay: one compose file serves every environment; what differs is the variables and the
 * bindings of the external names the stack needs (`external_links`, `x-wharf-external`). A binding becomes
 * variables of the services that need it, a DNS alias when it points at an IP address, and a network to join when
 * it points at a service of another app of the tenant.
 */

/** A binding with everything the API looked up (the other app's engine service name and network). */
export type ResolvedBinding =
  | { kind: 'address'; host: string; port: number }
  | { kind: 'url'; url: string }
  | { kind: 'service'; host: string; port: number; network: { app: string; environment: string } };

export interface OverlayResult {
  stack: StackSpec;
  /** Needs the environment does not bind (the API refuses to deploy until they are bound). */
  missing: ExternalNeed[];
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'https:': 443,
  'postgres:': 5432,
  'postgresql:': 5432,
  'mysql:': 3306,
  'redis:': 6379,
  'rediss:': 6379,
  'amqp:': 5672,
  'amqps:': 5671,
  'mongodb:': 27017,
};

/** `db-main` → `DB_MAIN`: the prefix of the variables a binding sets. */
export function bindingPrefix(alias: string): string {
  return alias.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function isIp(host: string): boolean {
  return IPV4.test(host) || host.includes(':');
}

/** The stack network a service joins to reach another app's environment (a short, stable name). */
export function bindingNetworkName(app: string, environment: string): string {
  return `bind-${createHash('sha256').update(`${app}/${environment}`).digest('hex').slice(0, 16)}`;
}

function variables(alias: string, b: ResolvedBinding): Record<string, string> {
  const p = bindingPrefix(alias);
  if (b.kind === 'url') {
    const u = new URL(b.url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const port = u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol];
    return {
      [`${p}_URL`]: b.url,
      [`${p}_HOST`]: host,
      ...(port !== undefined ? { [`${p}_PORT`]: String(port), [`${p}_ADDR`]: `${host}:${port}` } : {}),
    };
  }
  return { [`${p}_HOST`]: b.host, [`${p}_PORT`]: String(b.port), [`${p}_ADDR`]: `${b.host}:${b.port}` };
}

function ipOf(b: ResolvedBinding): string | undefined {
  if (b.kind === 'address') return isIp(b.host) ? b.host : undefined;
  if (b.kind === 'url') {
    const host = new URL(b.url).hostname.replace(/^\[|\]$/g, '');
    return isIp(host) ? host : undefined;
  }
  return undefined;
}

/**
 * Applies an environment's bindings to the compiled stack (a copy is returned). The binding's variables take
 * precedence over the same names in the compose file: the file says what a service needs, the environment where
 * it is.
 */
export function applyBindings(
  stack: StackSpec,
  needs: readonly ExternalNeed[],
  bindings: Readonly<Record<string, ResolvedBinding>>,
): OverlayResult {
  const out = structuredClone(stack);
  const missing: ExternalNeed[] = [];
  for (const need of needs) {
    const binding = bindings[need.name];
    const service = out.services.find((s) => s.name === need.service);
    if (!service) continue;
    if (!binding) {
      missing.push(need);
      continue;
    }
    Object.assign(service.env, variables(need.alias, binding));
    const ip = ipOf(binding);
    if (ip !== undefined && !service.extraHosts.some((h) => h.host === need.alias)) {
      service.extraHosts.push({ host: need.alias, ip });
    }
    if (binding.kind === 'service') {
      const network = bindingNetworkName(binding.network.app, binding.network.environment);
      out.networks[network] = { internal: false, labels: {}, environmentOf: binding.network };
      if (!service.networks.includes(network)) service.networks.push(network);
    }
  }
  return { stack: out, missing };
}
