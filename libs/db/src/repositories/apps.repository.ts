import { isUuid } from '@wharf/contracts';
import { sql } from 'kysely';
import type { PlatformScope, TenantScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { AppKind, AppRow, AppVariableRow, UserId } from '../schema.js';

export interface NewApp {
  slug: string;
  name: string;
  clusterId: string;
  kind: AppKind;
  compose: string | null;
  image: string | null;
  httpPort: number | null;
  command: string[] | null;
  healthcheck: unknown;
  replicas: number | null;
  cpuMillis: number | null;
  memoryMib: number | null;
  createdBy: UserId | null;
}

export type AppChanges = Partial<
  Pick<
    AppRow,
    'name' | 'image' | 'httpPort' | 'command' | 'healthcheck' | 'replicas' | 'cpuMillis' | 'memoryMib' | 'stopped' | 'compose'
  >
>;

/** Apps (desired state) and their variables. Deleted apps keep their row (marked) until the engine objects are gone. */
export class AppsRepository {
  async create(scope: TenantScope, app: NewApp): Promise<AppRow | undefined> {
    return scope.trx
      .insertInto('apps')
      .values({
        ...app,
        tenantId: scope.tenantId,
        command: app.command ? JSON.stringify(app.command) : null,
        healthcheck: app.healthcheck ? JSON.stringify(app.healthcheck) : null,
      })
      .onConflict((oc) => oc.columns(['tenantId', 'slug']).where('deletedAt', 'is', null).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = this.live(scope)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('createdAt', 'id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  /** By slug or id; deleted apps are not found. */
  async find(scope: TenantScope, ref: string): Promise<AppRow | undefined> {
    const isId = isUuid(ref);
    return this.live(scope)
      .where(isId ? 'id' : 'slug', '=', ref)
      .executeTakeFirst();
  }

  /** Locks the app row for a change (deploy, scale, delete): concurrent changes to one app serialise. */
  async lock(scope: TenantScope, id: string): Promise<AppRow | undefined> {
    return this.live(scope).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async getIncludingDeleted(scope: TenantScope, id: string): Promise<AppRow | undefined> {
    return scope.trx
      .selectFrom('apps')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async update(scope: TenantScope, id: string, changes: AppChanges): Promise<AppRow | undefined> {
    const { command, healthcheck, ...rest } = changes;
    return scope.trx
      .updateTable('apps')
      .set({
        ...rest,
        ...(command !== undefined ? { command: command ? JSON.stringify(command) : null } : {}),
        ...(healthcheck !== undefined ? { healthcheck: healthcheck ? JSON.stringify(healthcheck) : null } : {}),
        updatedAt: new Date(),
      })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async markDeleted(scope: TenantScope, id: string): Promise<void> {
    await scope.trx
      .updateTable('apps')
      .set({ deletedAt: new Date(), updatedAt: new Date() })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .execute();
  }

  /**
   * Quota use of the tenant's apps: the services of every environment, and the CPU and memory of every replica
   * that should run (none while an app is stopped).
   */
  async usage(scope: TenantScope): Promise<{ services: number; cpuMillis: number; memoryMiB: number }> {
    const row = await scope.trx
      .selectFrom('appEnvironments as e')
      .innerJoin('apps as a', (j) => j.onRef('a.tenantId', '=', 'e.tenantId').onRef('a.id', '=', 'e.appId'))
      .select([
        sql<number>`coalesce(sum(e.services), 0)`.as('services'),
        sql<number>`coalesce(sum(case when a.stopped then 0 else e.cpu_millis end), 0)`.as('cpuMillis'),
        sql<number>`coalesce(sum(case when a.stopped then 0 else e.memory_mib end), 0)`.as('memoryMiB'),
      ])
      .where('e.tenantId', '=', scope.tenantId)
      .where('a.deletedAt', 'is', null)
      .executeTakeFirstOrThrow();
    return { services: Number(row.services), cpuMillis: Number(row.cpuMillis), memoryMiB: Number(row.memoryMiB) };
  }

  /** Every app (not deleted) on a cluster, across tenants: what the reconcile job converges the cluster to. */
  async listOnCluster(scope: PlatformScope, clusterId: string): Promise<AppRow[]> {
    return scope.trx.selectFrom('apps').selectAll().where('clusterId', '=', clusterId).where('deletedAt', 'is', null).execute();
  }

  /** A tenant's apps (not deleted), for platform work on the tenant (suspension). */
  async listOfTenant(scope: PlatformScope, tenantId: string): Promise<AppRow[]> {
    return scope.trx
      .selectFrom('apps')
      .selectAll()
      .where('tenantId', '=', tenantId as AppRow['tenantId'])
      .where('deletedAt', 'is', null)
      .execute();
  }

  // --- variables ---------------------------------------------------------------------------------------------

  async variables(scope: TenantScope, appId: string, environment: string): Promise<AppVariableRow[]> {
    return scope.trx
      .selectFrom('appVariables')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('environment', '=', environment)
      .orderBy('key')
      .execute();
  }

  async setVariable(
    scope: TenantScope,
    appId: string,
    environment: string,
    v: { key: string; secret: boolean; value: string | null; valueSealed: string | null },
  ): Promise<void> {
    await scope.trx
      .insertInto('appVariables')
      .values({ tenantId: scope.tenantId, appId, environment, ...v })
      .onConflict((oc) =>
        oc.columns(['tenantId', 'appId', 'environment', 'key']).doUpdateSet({
          secret: v.secret,
          value: v.value,
          valueSealed: v.valueSealed,
          updatedAt: new Date(),
        }),
      )
      .execute();
  }

  async removeVariable(scope: TenantScope, appId: string, environment: string, key: string): Promise<boolean> {
    const res = await scope.trx
      .deleteFrom('appVariables')
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('environment', '=', environment)
      .where('key', '=', key)
      .executeTakeFirst();
    return res.numDeletedRows === 1n;
  }

  private live(scope: TenantScope) {
    return scope.trx.selectFrom('apps').selectAll().where('tenantId', '=', scope.tenantId).where('deletedAt', 'is', null);
  }
}
