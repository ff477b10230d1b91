import { sql } from 'kysely';
import type { PlatformScope, TenantScope } from '../database.js';
import type { TenantId } from '../schema.js';

/** An environment of an app on a cluster, as an agent's labels name it (tenant, app slug, environment name). */
export interface StatsPlace {
  tenantId: TenantId;
  appId: string;
  app: string;
  environment: string;
}

export interface NewServiceStats {
  tenantId: TenantId;
  appId: string;
  environment: string;
  service: string;
  node: string;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  tasks: number;
}

/** One step of a service's series: averages per engine over the step, summed over the engines. */
export interface ServiceStatsBucket {
  environment: string;
  service: string;
  /** Index of the step from `since` (0 = the first). */
  bucket: number;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  tasks: number;
}

export interface SeriesWindow {
  since: Date;
  until: Date;
  stepMs: number;
  environment?: string;
}

/** Samples of the CPU and memory of services, written from the agents' reports and read per app. */
export class ServiceStatsRepository {
  /**
   * Which of `wanted` (tenant, app slug, environment) are environments of live apps on `clusterId`: an agent reports
   * only for its own cluster's apps; anything else it names is not found here.
   */
  async placesOnCluster(
    scope: PlatformScope,
    clusterId: string,
    wanted: readonly { tenantId: string; app: string; environment: string }[],
  ): Promise<StatsPlace[]> {
    if (wanted.length === 0) return [];
    const tenants = [...new Set(wanted.map((w) => w.tenantId))];
    const slugs = [...new Set(wanted.map((w) => w.app))];
    const rows = await scope.trx
      .selectFrom('apps')
      .innerJoin('appEnvironments as e', (j) => j.onRef('e.tenantId', '=', 'apps.tenantId').onRef('e.appId', '=', 'apps.id'))
      .select(['apps.tenantId', 'apps.id as appId', 'apps.slug as app', 'e.name as environment'])
      .where('apps.clusterId', '=', clusterId)
      .where('apps.deletedAt', 'is', null)
      .where('apps.tenantId', 'in', tenants as TenantId[])
      .where('apps.slug', 'in', slugs)
      .execute();
    const keys = new Set(wanted.map((w) => `${w.tenantId}/${w.app}/${w.environment}`));
    return rows.filter((r) => keys.has(`${r.tenantId}/${r.app}/${r.environment}`));
  }

  async record(scope: PlatformScope, rows: readonly NewServiceStats[]): Promise<void> {
    if (rows.length === 0) return;
    await scope.trx.insertInto('serviceStats').values(rows).execute();
  }

  /** Deletes the samples of these apps of a tenant taken before `before`. */
  async prune(scope: PlatformScope, tenantId: TenantId, appIds: readonly string[], before: Date): Promise<number> {
    if (appIds.length === 0) return 0;
    const res = await scope.trx
      .deleteFrom('serviceStats')
      .where('tenantId', '=', tenantId)
      .where('appId', 'in', appIds)
      .where('at', '<', before)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Deletes up to `limit` samples of any tenant taken before `before` (those of apps that stopped reporting). */
  async pruneAny(scope: PlatformScope, before: Date, limit: number): Promise<number> {
    const res = await sql`
      delete from service_stats
       where ctid in (select ctid from service_stats where at < ${before} limit ${limit})`.execute(scope.trx);
    return Number(res.numAffectedRows ?? 0);
  }

  /** The app's samples in the window, in steps of `stepMs` from `since`, per environment and service. */
  async series(scope: TenantScope, appId: string, window: SeriesWindow): Promise<ServiceStatsBucket[]> {
    const { since, until, stepMs, environment } = window;
    const { rows } = await sql<ServiceStatsBucket>`
      with per_node as (
        select environment, service, node,
               floor(extract(epoch from (at - ${since}::timestamptz)) * 1000 / ${stepMs}::float8)::int as bucket,
               avg(cpu_percent) as cpu, avg(memory_bytes) as mem, avg(memory_limit_bytes) as lim, avg(tasks) as tasks
          from service_stats
         where tenant_id = ${scope.tenantId} and app_id = ${appId} and at >= ${since} and at <= ${until}
               ${environment !== undefined ? sql`and environment = ${environment}` : sql``}
         group by environment, service, node, bucket
      )
      select environment, service, bucket, sum(cpu)::float8 as cpu_percent, sum(mem)::float8 as memory_bytes,
             sum(lim)::float8 as memory_limit_bytes, sum(tasks)::float8 as tasks
        from per_node
       group by environment, service, bucket
       order by environment, service, bucket`.execute(scope.trx);
    return rows;
  }
}
