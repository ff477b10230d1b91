import { isUuid } from '@wharf/contracts';
import { sql } from 'kysely';
import type { PlatformScope, TenantScope } from '../database.js';
import type { ClusterRow, TenantId } from '../schema.js';

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
