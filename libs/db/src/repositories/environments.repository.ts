import type { PlatformScope, TenantScope } from '../database.js';
import type { AppEnvironmentRow, AppRow, EnvironmentStatus, TenantId } from '../schema.js';

/** The quota an environment holds. */
export interface EnvironmentUsage {
  services: number;
  cpuMillis: number;
  memoryMib: number;
}

export type EnvironmentChanges = Partial<
  EnvironmentUsage & {
    bindings: Record<string, unknown>;
    status: EnvironmentStatus;
    currentDeploymentId: string | null;
    branch: string | null;
  }
>;

/** An environment with the app it belongs to (platform work across tenants: reconcile, heartbeats). */
export type EnvironmentOfApp = AppEnvironmentRow & { app: AppRow };

/** Environments of apps (production, staging, …): their bindings, current deployment, status and held quota. */
export class EnvironmentsRepository {
  /** Undefined when the app already has an environment of that name. */
  async create(
    scope: TenantScope,
    e: { appId: string; name: string; bindings?: Record<string, unknown> } & EnvironmentUsage,
  ): Promise<AppEnvironmentRow | undefined> {
    const { bindings, ...rest } = e;
    return scope.trx
      .insertInto('appEnvironments')
      .values({ tenantId: scope.tenantId, ...rest, bindings: JSON.stringify(bindings ?? {}) })
      .onConflict((oc) => oc.columns(['tenantId', 'appId', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  async list(scope: TenantScope, appId: string): Promise<AppEnvironmentRow[]> {
    return this.ofApp(scope, appId).orderBy('createdAt').orderBy('name').execute();
  }

  /** The environments of several apps at once (list views). */
  async listForApps(scope: TenantScope, appIds: readonly string[]): Promise<AppEnvironmentRow[]> {
    if (appIds.length === 0) return [];
    return scope.trx
      .selectFrom('appEnvironments')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', 'in', appIds)
      .orderBy('createdAt')
      .orderBy('name')
      .execute();
  }

  /** The environments that track `branch` (a push to it builds and deploys them). */
  async tracking(scope: TenantScope, appId: string, branch: string): Promise<AppEnvironmentRow[]> {
    return this.ofApp(scope, appId).where('branch', '=', branch).orderBy('name').execute();
  }

  async find(scope: TenantScope, appId: string, name: string): Promise<AppEnvironmentRow | undefined> {
    return this.ofApp(scope, appId).where('name', '=', name).executeTakeFirst();
  }

  /** Locks the environment row (a deploy, a binding change) so changes to one environment serialise. */
  async lock(scope: TenantScope, appId: string, name: string): Promise<AppEnvironmentRow | undefined> {
    return this.ofApp(scope, appId).where('name', '=', name).forUpdate().executeTakeFirst();
  }

  async update(
    scope: TenantScope,
    appId: string,
    name: string,
    changes: EnvironmentChanges,
  ): Promise<AppEnvironmentRow | undefined> {
    const { bindings, ...rest } = changes;
    return scope.trx
      .updateTable('appEnvironments')
      .set({ ...rest, ...(bindings !== undefined ? { bindings: JSON.stringify(bindings) } : {}), updatedAt: new Date() })
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
  }

  async remove(scope: TenantScope, appId: string, name: string): Promise<boolean> {
    const res = await scope.trx
      .deleteFrom('appEnvironments')
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('name', '=', name)
      .executeTakeFirst();
    return res.numDeletedRows === 1n;
  }

  async recordActual(scope: PlatformScope, tenantId: string, appId: string, name: string, actual: unknown): Promise<void> {
    await scope.trx
      .updateTable('appEnvironments')
      .set({ actual: JSON.stringify(actual), actualAt: new Date() })
      .where('tenantId', '=', tenantId as TenantId)
      .where('appId', '=', appId)
      .where('name', '=', name)
      .execute();
  }

  /** Every environment of every app (not deleted) on a cluster, across tenants. */
  async listOnCluster(scope: PlatformScope, clusterId: string): Promise<EnvironmentOfApp[]> {
    const apps = await scope.trx
      .selectFrom('apps')
      .selectAll()
      .where('clusterId', '=', clusterId)
      .where('deletedAt', 'is', null)
      .execute();
    if (apps.length === 0) return [];
    const byId = new Map(apps.map((a) => [`${a.tenantId}/${a.id}`, a]));
    const envs = await scope.trx
      .selectFrom('appEnvironments')
      .selectAll()
      .where(
        'appId',
        'in',
        apps.map((a) => a.id),
      )
      .execute();
    return envs.flatMap((e) => {
      const app = byId.get(`${e.tenantId}/${e.appId}`);
      return app ? [{ ...e, app }] : [];
    });
  }

  private ofApp(scope: TenantScope, appId: string) {
    return scope.trx.selectFrom('appEnvironments').selectAll().where('tenantId', '=', scope.tenantId).where('appId', '=', appId);
  }
}
