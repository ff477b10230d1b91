import { Inject, Injectable } from '@nestjs/common';
import {
  type AdminClustersHealth,
  type AdminQueue,
  type AdminQueues,
  type OpsTenant,
  QUEUE_SCAN_LIMIT,
  type QueueTenantCounts,
} from '@wharf/contracts';
import { type Database, OpsRepository, type TenantId } from '@wharf/db';
import { type JobQueues, type QueueStats, readAllQueueStats } from '@wharf/queue';
import type { Redis } from 'ioredis';
import { CONFIG, type Config } from '../config.js';
import { DATABASE, QUEUES, REDIS } from '../core/tokens.js';
import { clusterHealthViews, staleAfter } from './cluster-health.js';

/** The platform admin's operations views: the job queues across tenants, and the health of every cluster. */
@Injectable()
export class AdminOpsService {
  private readonly ops = new OpsRepository();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(QUEUES) private readonly queues: JobQueues,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async queueStats(): Promise<AdminQueues> {
    const stats = await readAllQueueStats(this.queues, this.redis, QUEUE_SCAN_LIMIT);
    const ids = [...new Set(stats.flatMap((q) => [...q.byTenant.keys()]))] as TenantId[];
    const rows = await this.db.withPlatform((p) => this.ops.tenants(p, ids));
    const tenants = new Map<string, OpsTenant>(rows.map((r) => [r.id, { id: r.id, slug: r.slug, name: r.name }]));
    const now = Date.now();
    return {
      items: stats.map((q) => queueView(q, tenants, now)),
      scanLimit: QUEUE_SCAN_LIMIT,
      at: new Date(now).toISOString(),
    };
  }

  async clusterHealth(): Promise<AdminClustersHealth> {
    const overview = await this.db.withPlatform((p) => this.ops.clusterOverview(p));
    const now = Date.now();
    const staleAfterMs = staleAfter(this.config.AGENT_HEARTBEAT_MS);
    return { items: clusterHealthViews(overview, now, staleAfterMs), staleAfterMs, at: new Date(now).toISOString() };
  }
}

function queueView(q: QueueStats, tenants: ReadonlyMap<string, OpsTenant>, now: number): AdminQueue {
  const byTenant: QueueTenantCounts[] = [...q.byTenant].map(([id, counts]) => ({
    tenant: tenants.get(id) ?? { id, slug: null, name: null },
    ...counts,
  }));
  byTenant.sort(
    (a, b) => b.waiting - a.waiting || b.active - a.active || b.failed - a.failed || a.tenant.id.localeCompare(b.tenant.id),
  );
  return {
    name: q.name,
    paused: q.paused,
    counts: q.counts,
    byTenant,
    platform: q.platform,
    oldestWaitingAt: q.oldestWaitingAt === null ? null : new Date(q.oldestWaitingAt).toISOString(),
    oldestWaitingAgeMs: q.oldestWaitingAt === null ? null : Math.max(0, now - q.oldestWaitingAt),
    truncated: q.truncated,
  };
}
