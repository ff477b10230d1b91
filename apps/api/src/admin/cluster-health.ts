import type { AdminClusterHealth, AgentLink, ClusterHealth, ClusterHealthReason, HostCounts, OpsAgent } from '@wharf/contracts';
import { HOST_STATES } from '@wharf/contracts';
import type { ClusterOverview, OpsAgentRow } from '@wharf/db';

/** The least time after which a silent agent (or cluster) is stale, however short the heartbeat interval. */
const MIN_STALE_MS = 15_000;

/** Three missed heartbeats make an agent stale. */
export function staleAfter(heartbeatMs: number): number {
  return Math.max(3 * heartbeatMs, MIN_STALE_MS);
}

type ClusterEntry = ClusterOverview['clusters'][number];

export interface NodeCounts {
  total: number;
  ready: number;
  managers: number;
  readyManagers: number;
}

/** The Swarm nodes of the cluster's last heartbeat (the agent protocol's NodeInfo; anything else is not counted). */
export function countNodes(nodes: readonly unknown[]): NodeCounts {
  const counts: NodeCounts = { total: 0, ready: 0, managers: 0, readyManagers: 0 };
  for (const node of nodes) {
    if (typeof node !== 'object' || node === null) continue;
    const { role, state } = node as { role?: unknown; state?: unknown };
    const ready = state === 'ready';
    const manager = role === 'manager';
    counts.total += 1;
    if (ready) counts.ready += 1;
    if (manager) counts.managers += 1;
    if (ready && manager) counts.readyManagers += 1;
  }
  return counts;
}

const ageOf = (at: Date | null, now: number): number | null => (at ? Math.max(0, now - at.getTime()) : null);

export function agentLink(lastSeenAt: Date | null, now: number, staleAfterMs: number): AgentLink {
  const age = ageOf(lastSeenAt, now);
  if (age === null) return 'never';
  return age > staleAfterMs ? 'stale' : 'connected';
}

export interface HealthInput {
  status: ClusterEntry['status'];
  lastHeartbeatAt: Date | null;
  agents: readonly OpsAgent[];
  nodes: NodeCounts;
  hosts: HostCounts;
}

/** Health and why (worst first): see CLUSTER_HEALTH_REASONS. */
export function judgeHealth(
  c: HealthInput,
  now: number,
  staleAfterMs: number,
): { health: ClusterHealth; reasons: ClusterHealthReason[] } {
  const down: ClusterHealthReason[] = [];
  const degraded: ClusterHealthReason[] = [];
  // a broker's cluster reports no engine heartbeat: the broker's own requests say it is alive
  const contacts = [c.lastHeartbeatAt, ...c.agents.map((a) => (a.lastSeenAt ? new Date(a.lastSeenAt) : null))];
  const last = Math.max(...contacts.map((at) => at?.getTime() ?? Number.NEGATIVE_INFINITY));
  if (c.agents.length === 0) down.push('no-agent');
  if (last === Number.NEGATIVE_INFINITY) down.push('never-connected');
  else if (now - last > staleAfterMs || c.status === 'unreachable') down.push('heartbeat-stale');
  if (c.nodes.total > 0 && c.nodes.readyManagers === 0) down.push('no-ready-manager');
  if (c.nodes.ready < c.nodes.total) degraded.push('nodes-not-ready');
  if (c.hosts.failed > 0) degraded.push('hosts-failed');
  if (c.agents.some((a) => a.link !== 'connected') && c.agents.some((a) => a.link === 'connected')) {
    degraded.push('agents-stale');
  }
  const reasons = [...down, ...degraded];
  return { health: down.length ? 'down' : degraded.length ? 'degraded' : 'healthy', reasons };
}

function agentView(a: OpsAgentRow, now: number, staleAfterMs: number): OpsAgent {
  return {
    id: a.id,
    name: a.name,
    kind: a.kind,
    version: a.version,
    lastSeenAt: a.lastSeenAt?.toISOString() ?? null,
    lastSeenAgeMs: ageOf(a.lastSeenAt, now),
    link: agentLink(a.lastSeenAt, now, staleAfterMs),
  };
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}

const emptyHostCounts = (): HostCounts => Object.fromEntries(HOST_STATES.map((s) => [s, 0])) as HostCounts;
const distinct = (values: readonly string[]): string[] => [...new Set(values)].sort();

/** Every cluster of the overview with its agents, nodes, hosts, load and health at `now`. */
export function clusterHealthViews(overview: ClusterOverview, now: number, staleAfterMs: number): AdminClusterHealth[] {
  const agents = group(overview.agents, (a) => a.clusterId);
  const hosts = group(overview.hosts, (h) => h.clusterId);
  const load = new Map(overview.load.map((l) => [l.clusterId, l]));
  return overview.clusters.map((c) => {
    const clusterAgents = (agents.get(c.id) ?? []).map((a) => agentView(a, now, staleAfterMs));
    const clusterHosts = hosts.get(c.id) ?? [];
    const machines = clusterHosts.filter((h) => h.state !== 'terminated');
    const hostCounts = emptyHostCounts();
    for (const h of clusterHosts) hostCounts[h.state] += h.count;
    const nodes = countNodes(c.nodes);
    const { health, reasons } = judgeHealth(
      { status: c.status, lastHeartbeatAt: c.lastHeartbeatAt, agents: clusterAgents, nodes, hosts: hostCounts },
      now,
      staleAfterMs,
    );
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      domain: c.domain,
      status: c.status,
      lastHeartbeatAt: c.lastHeartbeatAt?.toISOString() ?? null,
      owner: c.owner,
      createdAt: c.createdAt.toISOString(),
      heartbeatAgeMs: ageOf(c.lastHeartbeatAt, now),
      providers: distinct(machines.map((h) => h.provider)),
      regions: distinct(machines.map((h) => h.region)),
      agents: clusterAgents,
      revokedAgents: overview.revoked.get(c.id) ?? 0,
      nodes,
      hosts: hostCounts,
      apps: load.get(c.id)?.apps ?? 0,
      services: load.get(c.id)?.services ?? 0,
      health,
      reasons,
    };
  });
}
