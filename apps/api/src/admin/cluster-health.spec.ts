import { HOST_STATES, type HostCounts, type OpsAgent } from '@wharf/contracts';
import type { ClusterOverview } from '@wharf/db';
import { describe, expect, it } from 'vitest';
import { agentLink, clusterHealthViews, countNodes, type HealthInput, judgeHealth, staleAfter } from './cluster-health.js';

const NOW = Date.parse('2026-11-29T06:00:00Z');
const STALE = 15_000;
const ago = (ms: number) => new Date(NOW - ms);
const node = (role: 'manager' | 'worker', state = 'ready') => ({ id: `${role}-${state}`, role, state });
const noHosts = (): HostCounts => Object.fromEntries(HOST_STATES.map((s) => [s, 0])) as HostCounts;

function agent(lastSeenMsAgo: number | null, id = 'a1'): OpsAgent {
  const lastSeenAt = lastSeenMsAgo === null ? null : ago(lastSeenMsAgo);
  return {
    id,
    name: id,
    kind: 'cluster',
    version: '1.0.0',
    lastSeenAt: lastSeenAt?.toISOString() ?? null,
    lastSeenAgeMs: lastSeenMsAgo,
    link: agentLink(lastSeenAt, NOW, STALE),
  };
}

function healthy(): HealthInput {
  return {
    status: 'ready',
    lastHeartbeatAt: ago(2_000),
    agents: [agent(1_000)],
    nodes: countNodes([node('manager'), node('worker')]),
    hosts: noHosts(),
  };
}

describe('cluster health', () => {
  it('counts nodes of the heartbeat, ignoring what is not a node', () => {
    expect(countNodes([node('manager'), node('manager', 'down'), node('worker'), null, 'x'])).toEqual({
      total: 3,
      ready: 2,
      managers: 2,
      readyManagers: 1,
    });
  });

  it('calls an agent stale after three missed heartbeats, at least 15 s', () => {
    expect(staleAfter(1_000)).toBe(15_000);
    expect(staleAfter(10_000)).toBe(30_000);
    expect(agentLink(null, NOW, STALE)).toBe('never');
    expect(agentLink(ago(STALE), NOW, STALE)).toBe('connected');
    expect(agentLink(ago(STALE + 1), NOW, STALE)).toBe('stale');
  });

  it('is healthy with a fresh heartbeat, a connected agent and every node ready', () => {
    expect(judgeHealth(healthy(), NOW, STALE)).toEqual({ health: 'healthy', reasons: [] });
  });

  it('is down when nothing was ever heard, no agent is left, or the heartbeat is stale', () => {
    const never = {
      ...healthy(),
      status: 'pending' as const,
      lastHeartbeatAt: null,
      agents: [agent(null)],
      nodes: countNodes([]),
    };
    expect(judgeHealth(never, NOW, STALE)).toEqual({ health: 'down', reasons: ['never-connected'] });
    expect(judgeHealth({ ...never, agents: [] }, NOW, STALE)).toEqual({
      health: 'down',
      reasons: ['no-agent', 'never-connected'],
    });
    const silent = { ...healthy(), lastHeartbeatAt: ago(60_000), agents: [agent(60_000)] };
    expect(judgeHealth(silent, NOW, STALE)).toEqual({ health: 'down', reasons: ['heartbeat-stale'] });
    // the reconcile sweep's verdict counts even inside our window
    expect(judgeHealth({ ...healthy(), status: 'unreachable' }, NOW, STALE).reasons).toEqual(['heartbeat-stale']);
  });

  it('is down without a ready manager, degraded with a node not ready, a failed host or one agent of several stale', () => {
    const noManager = { ...healthy(), nodes: countNodes([node('manager', 'down'), node('worker')]) };
    expect(judgeHealth(noManager, NOW, STALE)).toEqual({ health: 'down', reasons: ['no-ready-manager', 'nodes-not-ready'] });
    const workerDown = { ...healthy(), nodes: countNodes([node('manager'), node('worker', 'down')]) };
    expect(judgeHealth(workerDown, NOW, STALE)).toEqual({ health: 'degraded', reasons: ['nodes-not-ready'] });
    const failedHost = { ...healthy(), hosts: { ...noHosts(), ready: 2, failed: 1 } };
    expect(judgeHealth(failedHost, NOW, STALE)).toEqual({ health: 'degraded', reasons: ['hosts-failed'] });
    const oneStale = { ...healthy(), agents: [agent(1_000), agent(90_000, 'a2')] };
    expect(judgeHealth(oneStale, NOW, STALE)).toEqual({ health: 'degraded', reasons: ['agents-stale'] });
  });

  it('takes a broker cluster (no engine heartbeat) as alive while its broker is heard from', () => {
    const broker = { ...healthy(), lastHeartbeatAt: null, nodes: countNodes([]) };
    expect(judgeHealth(broker, NOW, STALE)).toEqual({ health: 'healthy', reasons: [] });
  });

  it('joins agents, hosts and load to their clusters', () => {
    const cluster = {
      id: 'c1',
      tenantId: 't1',
      name: 'eu-1',
      kind: 'dedicated' as const,
      domain: 'eu-1.example.test',
      proxyPort: 443,
      status: 'ready' as const,
      lastHeartbeatAt: ago(3_000),
      engine: null,
      nodes: [node('manager')],
      createdAt: ago(86_400_000),
      policyRelaxed: [],
      owner: { id: 't1', slug: 'acme', name: 'Acme' },
    };
    const overview = {
      clusters: [cluster, { ...cluster, id: 'c2', tenantId: null, kind: 'shared' as const, owner: null, nodes: [] }],
      agents: [{ id: 'a1', clusterId: 'c1', name: 'agent', kind: 'cluster' as const, version: '1', lastSeenAt: ago(500) }],
      revoked: new Map([['c1', 2]]),
      hosts: [
        { clusterId: 'c1', state: 'ready' as const, provider: 'aws' as const, region: 'eu-west-1', count: 2 },
        { clusterId: 'c1', state: 'terminated' as const, provider: 'local' as const, region: 'local', count: 5 },
      ],
      load: [{ clusterId: 'c1', apps: 3, services: 7 }],
    } as unknown as ClusterOverview;
    const [c1, c2] = clusterHealthViews(overview, NOW, STALE);
    expect(c1).toMatchObject({
      owner: { slug: 'acme' },
      heartbeatAgeMs: 3_000,
      providers: ['aws'],
      regions: ['eu-west-1'],
      agents: [{ id: 'a1', link: 'connected', lastSeenAgeMs: 500 }],
      revokedAgents: 2,
      nodes: { total: 1, ready: 1, managers: 1, readyManagers: 1 },
      hosts: { ready: 2, terminated: 5, failed: 0 },
      apps: 3,
      services: 7,
      health: 'healthy',
    });
    expect(c2).toMatchObject({ owner: null, agents: [], apps: 0, services: 0, health: 'down', reasons: ['no-agent'] });
  });
});
