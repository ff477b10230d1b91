import { ENDED_HOST_STATES, isUuid } from '@wharf/contracts';
import { sql } from 'kysely';
import type { PlatformScope, TenantScope } from '../database.js';
import type { ClusterRow, TenantId } from '../schema.js';
import type { HostState } from '../schema-hosts.js';

/** Clusters: shared ones (no tenant) that every tenant may deploy to, and a tenant's dedicated ones. */
export class ClustersRepository {
  /** A shared cluster (no tenant), or a tenant's dedicated one. Undefined when the name is taken. */
  async create(
    scope: PlatformScope,
    cluster: { name: string; domain: string; proxyPort: number },
    tenantId: TenantId | null = null,
  ): Promise<ClusterRow | undefined> {
    return scope.trx
      .insertInto('clusters')
      .values({ ...cluster, kind: tenantId ? 'dedicated' : 'shared', tenantId })
      .onConflict((oc) => oc.expression(sql`coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'), name`).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** The policy rules the tenant relaxed on one of its dedicated clusters. */
  async setPolicyRelaxed(scope: TenantScope, id: string, rules: readonly string[]): Promise<ClusterRow | undefined> {
    return scope.trx
      .updateTable('clusters')
      .set({ policyRelaxed: [...rules] })
      .where('tenantId', '=', scope.tenantId)
      .where('kind', '=', 'dedicated')
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** A dedicated cluster of the tenant; undefined when the tenant already has a cluster of that name. */
  async createDedicated(
    scope: TenantScope,
    cluster: { name: string; domain: string; proxyPort: number },
  ): Promise<ClusterRow | undefined> {
    return scope.trx
      .insertInto('clusters')
      .values({ ...cluster, kind: 'dedicated', tenantId: scope.tenantId })
      .onConflict((oc) => oc.expression(sql`coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'), name`).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** Quota usage: the tenant's dedicated clusters. */
  async countDedicated(scope: TenantScope): Promise<number> {
    const row = await scope.trx
      .selectFrom('clusters')
      .select(sql<number>`count(*)`.as('n'))
      .where('tenantId', '=', scope.tenantId)
      .where('kind', '=', 'dedicated')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** How many of the tenant's hosts each of its clusters has in each state: cluster id → state → count. */
  async hostCounts(scope: TenantScope, clusterIds: readonly string[]): Promise<Map<string, Map<HostState, number>>> {
    const out = new Map<string, Map<HostState, number>>();
    if (clusterIds.length === 0) return out;
    const rows = await scope.trx
      .selectFrom('hosts')
      .select(['clusterId', 'state', sql<number>`count(*)`.as('n')])
      .where('tenantId', '=', scope.tenantId)
      .where('clusterId', 'in', clusterIds)
      .groupBy(['clusterId', 'state'])
      .execute();
    for (const r of rows) {
      const counts = out.get(r.clusterId) ?? new Map<HostState, number>();
      counts.set(r.state, Number(r.n));
      out.set(r.clusterId, counts);
    }
    return out;
  }

  /**
   * What keeps one of the tenant's dedicated clusters from being deleted: its apps (not deleted), and its hosts that
   * may still hold a machine.
   */
  async blockers(scope: TenantScope, id: string): Promise<{ apps: number; hosts: number }> {
    const t = scope.tenantId;
    const { rows } = await sql<{ apps: number; hosts: number }>`select
        (select count(*) from apps where tenant_id = ${t} and cluster_id = ${id} and deleted_at is null) as apps,
        (select count(*) from hosts where tenant_id = ${t} and cluster_id = ${id}
           and state <> all(${[...ENDED_HOST_STATES]}::text[])) as hosts`.execute(scope.trx);
    return { apps: Number(rows[0]?.apps ?? 0), hosts: Number(rows[0]?.hosts ?? 0) };
  }

  /**
   * Deletes one of the tenant's dedicated clusters with what only records its past: hosts terminated or failed, and
   * apps deleted from it (their rows reference the cluster; with no host left nothing of theirs runs). Call after
   * `blockers` found none, in the same transaction.
   */
  async removeDedicated(scope: TenantScope, id: string): Promise<boolean> {
    await scope.trx
      .deleteFrom('hosts')
      .where('tenantId', '=', scope.tenantId)
      .where('clusterId', '=', id)
      .where('state', 'in', ENDED_HOST_STATES)
      .execute();
    await scope.trx
      .deleteFrom('apps')
      .where('tenantId', '=', scope.tenantId)
      .where('clusterId', '=', id)
      .where('deletedAt', 'is not', null)
      .execute();
    const deleted = await scope.trx
      .deleteFrom('clusters')
      .where('tenantId', '=', scope.tenantId)
      .where('kind', '=', 'dedicated')
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  async findByName(scope: PlatformScope, name: string, tenantId: TenantId | null = null): Promise<ClusterRow | undefined> {
    let q = scope.trx.selectFrom('clusters').selectAll().where('name', '=', name);
    q = tenantId === null ? q.where('tenantId', 'is', null) : q.where('tenantId', '=', tenantId);
    return q.executeTakeFirst();
  }

  async get(scope: PlatformScope, id: string): Promise<ClusterRow | undefined> {
    return scope.trx.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listAll(scope: PlatformScope): Promise<ClusterRow[]> {
    return scope.trx.selectFrom('clusters').selectAll().orderBy('createdAt').execute();
  }

  /** The clusters a tenant may deploy to: the shared ones and its own. */
  async listForTenant(scope: TenantScope): Promise<ClusterRow[]> {
    return scope.trx
      .selectFrom('clusters')
      .selectAll()
      .where((eb) => eb.or([eb('tenantId', 'is', null), eb('tenantId', '=', scope.tenantId)]))
      .orderBy('createdAt')
      .execute();
  }

  async findForTenant(scope: TenantScope, ref: string): Promise<ClusterRow | undefined> {
    const isId = isUuid(ref);
    return scope.trx
      .selectFrom('clusters')
      .selectAll()
      .where((eb) => eb.or([eb('tenantId', 'is', null), eb('tenantId', '=', scope.tenantId)]))
      .where(isId ? 'id' : 'name', '=', ref)
      .orderBy('tenantId', (ob) => ob.desc().nullsLast())
      .executeTakeFirst();
  }

  /** Where a new app goes when none is named: the tenant's own cluster if it has one, else the oldest shared one. */
  async defaultForTenant(scope: TenantScope): Promise<ClusterRow | undefined> {
    return scope.trx
      .selectFrom('clusters')
      .selectAll()
      .where((eb) => eb.or([eb('tenantId', 'is', null), eb('tenantId', '=', scope.tenantId)]))
      .orderBy('tenantId', (ob) => ob.asc().nullsLast())
      .orderBy('createdAt')
      .executeTakeFirst();
  }

  async recordHeartbeat(scope: PlatformScope, id: string, state: { engine: unknown; nodes: unknown[] }): Promise<void> {
    await scope.trx
      .updateTable('clusters')
      .set({
        lastHeartbeatAt: new Date(),
        status: 'ready',
        engine: JSON.stringify(state.engine),
        nodes: JSON.stringify(state.nodes),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Marks clusters whose agents have been silent for `silentMs` unreachable; returns the ids that changed. */
  async markUnreachable(scope: PlatformScope, silentMs: number): Promise<string[]> {
    const rows = await scope.trx
      .updateTable('clusters')
      .set({ status: 'unreachable' })
      .where('status', '=', 'ready')
      .where('lastHeartbeatAt', '<', new Date(Date.now() - silentMs))
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }
}
