import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AppStats, NotFoundError, type StatsReport } from '@wharf/contracts';
import {
  AppsRepository,
  Database,
  type NewServiceStats,
  ServiceStatsRepository,
  type TenantId,
  type TenantScope,
} from '@wharf/db';
import type { AgentPrincipal } from '../agents/agent-auth.service.js';
import { DATABASE } from '../core/tokens.js';
import { RETENTION_MS, statsWindow, toSeries } from './stats-series.js';

/** One report in this many also deletes its apps' expired samples; one in PRUNE_ANY_EVERY any app's. */
const PRUNE_EVERY = 20;
const PRUNE_ANY_EVERY = 500;
const PRUNE_ANY_LIMIT = 10_000;

/** CPU and memory samples: recorded from the agents' reports, read per app by the tenant's members. */
@Injectable()
export class StatsService {
  private readonly log = new Logger(StatsService.name);
  private readonly stats = new ServiceStatsRepository();
  private readonly apps = new AppsRepository();

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Records an agent's report. Only services of apps on the agent's own cluster are recorded (matched by tenant, app
   * and environment, as heartbeats are); the rest are ignored. Returns how many were recorded.
   */
  async record(agent: AgentPrincipal, report: StatsReport): Promise<number> {
    // a broker has no engine of its own: it has nothing to report
    if (agent.kind === 'broker' || report.services.length === 0) return 0;
    const scopes = report.services.map((s) => s.scope);
    const rows = await this.db.withPlatform(async (p) => {
      const places = await this.stats.placesOnCluster(p, agent.clusterId, scopes);
      const byKey = new Map(places.map((pl) => [`${pl.tenantId}/${pl.app}/${pl.environment}`, pl]));
      const seen = new Set<string>();
      const rows: NewServiceStats[] = [];
      for (const s of report.services) {
        const place = byKey.get(`${s.scope.tenantId}/${s.scope.app}/${s.scope.environment}`);
        const key = `${s.scope.tenantId}/${s.scope.app}/${s.scope.environment}/${s.service}`;
        if (!place || seen.has(key)) continue;
        seen.add(key);
        rows.push({
          tenantId: place.tenantId,
          appId: place.appId,
          environment: place.environment,
          service: s.service,
          node: report.node,
          cpuPercent: s.cpuPercent,
          memoryBytes: s.memoryBytes,
          memoryLimitBytes: s.memoryLimitBytes,
          tasks: s.tasks,
        });
      }
      await this.stats.record(p, rows);
      return rows;
    });
    await this.pruneSometimes(rows);
    return rows.length;
  }

  /** The app's series since `since` (default: the last hour), one per environment and service. */
  async read(scope: TenantScope, appRef: string, query: { environment?: string; since?: string }): Promise<AppStats> {
    const app = await this.apps.find(scope, appRef);
    if (!app) throw new NotFoundError('app');
    const window = statsWindow(query.since, Date.now());
    const buckets = await this.stats.series(scope, app.id, {
      ...window,
      ...(query.environment !== undefined ? { environment: query.environment } : {}),
    });
    return {
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      stepSeconds: window.stepMs / 1000,
      services: toSeries(buckets, window),
    };
  }

  /**
   * Retention, as reports come in (any API replica may take any report): now and then the expired samples of the
   * reported apps go, and more rarely a batch of anyone's (apps that no longer report). A failure here loses nothing.
   */
  private async pruneSometimes(rows: readonly NewServiceStats[]): Promise<void> {
    const before = new Date(Date.now() - RETENTION_MS);
    try {
      if (rows.length > 0 && Math.random() * PRUNE_EVERY < 1) {
        const byTenant = new Map<TenantId, Set<string>>();
        for (const r of rows) byTenant.set(r.tenantId, (byTenant.get(r.tenantId) ?? new Set()).add(r.appId));
        await this.db.withPlatform(async (p) => {
          for (const [tenantId, apps] of byTenant) await this.stats.prune(p, tenantId, [...apps], before);
        });
      }
      if (Math.random() * PRUNE_ANY_EVERY < 1) {
        await this.db.withPlatform((p) => this.stats.pruneAny(p, before, PRUNE_ANY_LIMIT));
      }
    } catch (err) {
      this.log.warn(`could not delete expired service stats: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
