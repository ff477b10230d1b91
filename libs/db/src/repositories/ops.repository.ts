import { sql } from 'kysely';
import type { PlatformScope } from '../database.js';
import type { AgentKind, ClusterRow, TenantId } from '../schema.js';
import type { HostProvider, HostState } from '../schema-hosts.js';

/** A tenant as the admin's operations views name it. */
export interface OpsTenantRow {
  id: string;
  slug: string;
  name: string;
}

export interface OpsAgentRow {
  id: string;
  clusterId: string;
  name: string;
  kind: AgentKind;
  version: string | null;
  lastSeenAt: Date | null;
}

export interface OpsHostGroup {
  clusterId: string;
  state: HostState;
  provider: HostProvider;
  region: string;
  count: number;
}

export interface OpsClusterLoad {
  clusterId: string;
  apps: number;
  services: number;
}

/** Every cluster with what the admin's health view reads of it, in four queries whatever the number of clusters. */
export interface ClusterOverview {
  clusters: (ClusterRow & { owner: OpsTenantRow | null })[];
  /** Agents not revoked, oldest first. */
  agents: OpsAgentRow[];
  /** Revoked agents per cluster. */
  revoked: Map<string, number>;
  hosts: OpsHostGroup[];
  load: OpsClusterLoad[];
}

/** Cross-tenant reads for the platform admin's operations views (queues, cluster health). */
export class OpsRepository {
  /** The tenants of these ids that exist (ids of no tenant are left out). */
  async tenants(scope: PlatformScope, ids: readonly TenantId[]): Promise<OpsTenantRow[]> {
    if (ids.length === 0) return [];
    return scope.trx
      .selectFrom('tenants')
      .select(['id', 'slug', 'name'])
      .where('id', 'in', [...ids])
      .execute();
  }

  async clusterOverview(scope: PlatformScope): Promise<ClusterOverview> {
    const clusters = await scope.trx
      .selectFrom('clusters as c')
      .leftJoin('tenants as t', 't.id', 'c.tenantId')
      .selectAll('c')
      .select(['t.id as ownerId', 't.slug as ownerSlug', 't.name as ownerName'])
      .orderBy('c.createdAt')
      .orderBy('c.id')
      .execute();
    const agents = await scope.trx
      .selectFrom('agents')
      .select(['id', 'clusterId', 'name', 'kind', 'version', 'lastSeenAt', 'revokedAt'])
      .orderBy('createdAt')
      .execute();
    const hosts = await scope.trx
      .selectFrom('hosts')
      .select(['clusterId', 'state', 'provider', 'region', sql<number>`count(*)::int`.as('count')])
      .groupBy(['clusterId', 'state', 'provider', 'region'])
      .execute();
    const load = await scope.trx
      .selectFrom('apps as a')
      .leftJoin('appEnvironments as e', (join) => join.onRef('e.tenantId', '=', 'a.tenantId').onRef('e.appId', '=', 'a.id'))
      .where('a.deletedAt', 'is', null)
      .select([
        'a.clusterId',
        sql<number>`count(distinct (a.tenant_id, a.id))::int`.as('apps'),
        sql<number>`coalesce(sum(e.services), 0)::int`.as('services'),
      ])
      .groupBy('a.clusterId')
      .execute();

    const revoked = new Map<string, number>();
    for (const agent of agents) {
      if (agent.revokedAt) revoked.set(agent.clusterId, (revoked.get(agent.clusterId) ?? 0) + 1);
    }
    return {
      clusters: clusters.map(({ ownerId, ownerSlug, ownerName, ...cluster }) => ({
        ...cluster,
        owner: ownerId && ownerSlug && ownerName ? { id: ownerId, slug: ownerSlug, name: ownerName } : null,
      })),
      agents: agents.filter((a) => !a.revokedAt).map(({ revokedAt: _, ...agent }) => agent),
      revoked,
      hosts,
      load,
    };
  }
}
