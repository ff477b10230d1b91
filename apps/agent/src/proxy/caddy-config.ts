import { LABEL_ROUTE_HOST, LABEL_ROUTE_PORT } from '@wharf/engine';
import type { EngineNode, EngineService, EngineTask } from '../docker/engine-types.js';
import { isRunning, ownedBy } from '../executor/service-state.js';
import { upstreamName } from './upstream-dns.js';

/*
 * The edge proxy's whole configuration, as Caddy's JSON, from what the engine runs. Pure: the I/O lives in
 * caddy.ts. Routing never uses the ingress mesh or VIPs: each running task is an upstream at its node's address
 * and the ephemeral host port Swarm published for it.
 */

export interface ProxyRoute {
  host: string;
  /** The engine name of the service routed to. */
  service: string;
  /** `host:port` of every running task; empty when none runs (503). */
  upstreams: string[];
}

export interface CaddyConfigInput {
  /** `host:port` Caddy's admin API listens on (kept, so loading the config does not lock the agent out). */
  adminListen: string;
  /** Where the edge server listens, e.g. `:8088`. */
  listen: string;
  routes: ProxyRoute[];
  /**
   * The agent's upstream DNS (`127.0.0.1:<port>`): routes then take their upstreams from its SRV records, refreshed
   * without reloading Caddy; the routes' own upstreams are only the fallback while the agent is away.
   */
  upstreamDns?: string;
}

/** How often Caddy asks the agent's DNS for a route's upstreams. */
export const UPSTREAM_REFRESH = '250ms';

const SERVER = 'wharf';
/** How long a request may be retried on other upstreams (a task stopping mid-update) and how often. */
export const TRY_DURATION = '5s';
export const TRY_INTERVAL = '100ms';
/**
 * Upstreams are node addresses of one datacenter: a connection not made by then goes to a node that is gone (a host
 * removed while Caddy still had its task), and is tried on another upstream well within TRY_DURATION.
 */
export const DIAL_TIMEOUT = '1s';

function nodeAddress(node: EngineNode | undefined): string | undefined {
  const addr = node?.Status?.Addr;
  if (addr && addr !== '0.0.0.0') return addr;
  // managers sometimes report 0.0.0.0; their manager address carries the real one
  const manager = node?.ManagerStatus?.Addr;
  return manager ? manager.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') : undefined;
}

const dial = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** One route per routed service of this cluster, with the published ports of its running tasks. Sorted by host. */
export function proxyRoutes(
  clusterId: string,
  services: EngineService[],
  tasks: EngineTask[],
  nodes: EngineNode[],
): ProxyRoute[] {
  const nodesById = new Map(nodes.map((n) => [n.ID, n]));
  const routes = new Map<string, ProxyRoute>();
  const sorted = [...services].sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : a.Spec.Name > b.Spec.Name ? 1 : 0));
  for (const service of sorted) {
    const labels = service.Spec.Labels;
    const host = labels[LABEL_ROUTE_HOST]?.toLowerCase();
    const port = Number(labels[LABEL_ROUTE_PORT]);
    if (!ownedBy(labels, clusterId) || !host || !Number.isInteger(port) || port <= 0) continue;
    // one service per host: the first by name wins, deterministically
    if (routes.has(host)) continue;
    const upstreams = tasks
      .filter((t) => t.ServiceID === service.ID && isRunning(t))
      .flatMap((t) => {
        const address = nodeAddress(nodesById.get(t.NodeID ?? ''));
        const published = t.Status.PortStatus?.Ports?.find(
          (p) => p.TargetPort === port && (p.Protocol ?? 'tcp') === 'tcp' && p.PublishedPort,
        )?.PublishedPort;
        return address && published ? [dial(address, published)] : [];
      });
    routes.set(host, { host, service: service.Spec.Name, upstreams: [...new Set(upstreams)].sort() });
  }
  return [...routes.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

function routeHandler(route: ProxyRoute, upstreamDns: string | undefined): Record<string, unknown> {
  if (route.upstreams.length === 0) {
    return {
      handler: 'static_response',
      status_code: 503,
      headers: { 'Content-Type': ['text/plain; charset=utf-8'], 'Retry-After': ['5'] },
      body: 'no running replicas\n',
    };
  }
  return {
    handler: 'reverse_proxy',
    upstreams: route.upstreams.map((u) => ({ dial: u })),
    ...(upstreamDns
      ? dynamicUpstreams(route.host, upstreamDns)
      : { transport: { protocol: 'http', dial_timeout: DIAL_TIMEOUT } }),
    load_balancing: {
      selection_policy: { policy: 'round_robin' },
      try_duration: TRY_DURATION,
      try_interval: TRY_INTERVAL,
      // a connection refused is always retried; a request whose upstream died after taking it (a task stopped
      // mid-request during a rolling update) is retried on another upstream when repeating it is safe
      retry_match: [{ method: ['GET', 'HEAD', 'OPTIONS'] }],
    },
    // an upstream that refused a connection is skipped for a moment, so retries go to the others
    health_checks: { passive: { fail_duration: '2s', max_fails: 1 } },
  };
}

function dynamicUpstreams(host: string, dns: string): Record<string, unknown> {
  const resolver = { addresses: [dns] };
  return {
    dynamic_upstreams: {
      source: 'srv',
      service: 'http',
      proto: 'tcp',
      name: upstreamName(host),
      refresh: UPSTREAM_REFRESH,
      resolver,
    },
    // the SRV targets are names the same DNS answers
    transport: { protocol: 'http', resolver, dial_timeout: DIAL_TIMEOUT },
  };
}

/** Caddy's JSON config: the admin listener, and one HTTP server routing by Host (unknown hosts: 404). */
export function buildCaddyConfig(input: CaddyConfigInput): Record<string, unknown> {
  return {
    admin: { listen: input.adminListen },
    apps: {
      http: {
        servers: {
          [SERVER]: {
            listen: [input.listen],
            automatic_https: { disable: true },
            routes: [
              ...input.routes.map((r) => ({
                match: [{ host: [r.host] }],
                handle: [routeHandler(r, input.upstreamDns)],
                terminal: true,
              })),
              {
                handle: [
                  {
                    handler: 'static_response',
                    status_code: 404,
                    headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
                    body: 'no such host\n',
                  },
                ],
              },
            ],
          },
        },
      },
    },
  };
}

/** `host:port` of an admin URL (`http://127.0.0.1:2019` → `127.0.0.1:2019`). */
export function adminListenOf(adminUrl: string): string {
  const url = new URL(adminUrl);
  return `${url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}
