import { z } from 'zod';
import { Cluster } from './apps.js';
import { HostCounts } from './clusters.js';
import { Timestamp, Uuid } from './common.js';

/*
 * The platform admin's operations views: the job queues across every tenant, and the health of every cluster
 * (shared and dedicated) with its agents, nodes, hosts and services. Read-only.
 */

/** At most this many jobs of each state of each queue are read to count them per tenant (`truncated` says so). */
export const QUEUE_SCAN_LIMIT = 5_000;

/** A tenant as the operations views name it; `slug` and `name` are null for a tenant that no longer exists. */
export const OpsTenant = z.object({ id: Uuid, slug: z.string().nullable(), name: z.string().nullable() });
export type OpsTenant = z.infer<typeof OpsTenant>;

const Count = z.number().int().min(0);

/** The jobs of one queue in each state, as Redis holds them (exact, not sampled). */
export const QueueCounts = z.object({
  /** Ready to run (prioritised ones included) or held while the queue is paused. */
  waiting: Count,
  active: Count,
  /** Waiting for their time: retries after a backoff, steps that wait (RetryLater). */
  delayed: Count,
  failed: Count,
  /** Kept by the queue's retention policy (by age and count). */
  completed: Count,
});
export type QueueCounts = z.infer<typeof QueueCounts>;

/** One tenant's share of a queue, among the jobs read (see `truncated`). */
export const QueueTenantCounts = z.object({ tenant: OpsTenant, waiting: Count, active: Count, failed: Count });
export type QueueTenantCounts = z.infer<typeof QueueTenantCounts>;

export const AdminQueue = z.object({
  /** The queue's name (libs/queue QUEUES). */
  name: z.string(),
  paused: z.boolean(),
  counts: QueueCounts,
  /** Tenants with a waiting, active or failed job, most waiting first. */
  byTenant: z.array(QueueTenantCounts),
  /** Jobs of the platform itself (no tenant: sweeps, reconciles) among those read. */
  platform: z.object({ waiting: Count, active: Count, failed: Count }),
  /** When the oldest waiting job was added, and how long ago (ms); null when none waits. */
  oldestWaitingAt: Timestamp.nullable(),
  oldestWaitingAgeMs: Count.nullable(),
  /**
   * More than QUEUE_SCAN_LIMIT jobs of a state: the per-tenant figures (and the oldest waiting job) cover the
   * jobs read only; `counts` stay exact.
   */
  truncated: z.boolean(),
});
export type AdminQueue = z.infer<typeof AdminQueue>;

export const AdminQueues = z.object({ items: z.array(AdminQueue), scanLimit: Count, at: Timestamp });
export type AdminQueues = z.infer<typeof AdminQueues>;

export const CLUSTER_HEALTH = ['healthy', 'degraded', 'down'] as const;
export type ClusterHealth = (typeof CLUSTER_HEALTH)[number];

/**
 * Why a cluster is not healthy. Down: no agent ever reported (`never-connected`), every agent revoked or none
 * registered (`no-agent`), its heartbeat is older than the stale limit (`heartbeat-stale`), or no manager node is
 * ready (`no-ready-manager`). Degraded: a node is not ready, a host failed, or one of several agents is stale.
 */
export const CLUSTER_HEALTH_REASONS = [
  'never-connected',
  'no-agent',
  'heartbeat-stale',
  'no-ready-manager',
  'nodes-not-ready',
  'hosts-failed',
  'agents-stale',
] as const;
export type ClusterHealthReason = (typeof CLUSTER_HEALTH_REASONS)[number];

export const AGENT_LINKS = ['connected', 'stale', 'never'] as const;
export type AgentLink = (typeof AGENT_LINKS)[number];

/** An agent that is not revoked, and whether it is heard from. */
export const OpsAgent = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(['cluster', 'host', 'broker']),
  version: z.string().nullable(),
  lastSeenAt: Timestamp.nullable(),
  /** ms since its last request; null when it never made one. */
  lastSeenAgeMs: Count.nullable(),
  link: z.enum(AGENT_LINKS),
});
export type OpsAgent = z.infer<typeof OpsAgent>;

export const AdminClusterHealth = Cluster.omit({ policyRelaxed: true, nodes: true }).extend({
  /** The tenant of a dedicated cluster; null for the platform's shared ones. */
  owner: OpsTenant.nullable(),
  createdAt: Timestamp,
  /** ms since the cluster's last heartbeat; null when it never had one. */
  heartbeatAgeMs: Count.nullable(),
  /** The providers and regions of its hosts (shared clusters run on the platform's own machines: none listed). */
  providers: z.array(z.string()),
  regions: z.array(z.string()),
  agents: z.array(OpsAgent),
  revokedAgents: Count,
  /** The Swarm nodes of its last heartbeat. */
  nodes: z.object({ total: Count, ready: Count, managers: Count, readyManagers: Count }),
  hosts: HostCounts,
  /** Apps on it (not deleted), and the services their environments run. */
  apps: Count,
  services: Count,
  health: z.enum(CLUSTER_HEALTH),
  /** Empty when healthy, worst first. */
  reasons: z.array(z.enum(CLUSTER_HEALTH_REASONS)),
});
export type AdminClusterHealth = z.infer<typeof AdminClusterHealth>;

export const AdminClustersHealth = z.object({
  items: z.array(AdminClusterHealth),
  /** An agent (and a cluster's heartbeat) older than this is stale. */
  staleAfterMs: Count,
  at: Timestamp,
});
export type AdminClustersHealth = z.infer<typeof AdminClustersHealth>;
