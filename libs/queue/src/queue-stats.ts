import type { Redis } from 'ioredis';
import type { JobQueues } from './job-queues.js';
import { QUEUES, type QueueName } from './jobs.js';

/** The states whose jobs are read to count them per tenant (BullMQ's names; `prioritized` jobs are waiting too). */
const SCANNED = ['wait', 'prioritized', 'active', 'failed'] as const;
type ScannedState = (typeof SCANNED)[number];
/** Job hashes read per Redis round trip. */
const BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ShareCounts {
  waiting: number;
  active: number;
  failed: number;
}

export interface QueueStats {
  name: QueueName;
  paused: boolean;
  /** Exact, from the lengths of the queue's lists and sets. */
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number };
  /** Tenant id → its jobs among those read. */
  byTenant: Map<string, ShareCounts>;
  /** Jobs without a tenant (the platform's own) among those read. */
  platform: ShareCounts;
  /** When the oldest waiting job read was added (ms since the epoch); null when none waits. */
  oldestWaitingAt: number | null;
  /** A state held more jobs than the limit: `byTenant`, `platform` and `oldestWaitingAt` cover the jobs read. */
  truncated: boolean;
}

const emptyShare = (): ShareCounts => ({ waiting: 0, active: 0, failed: 0 });
const shareOf = (state: ScannedState): keyof ShareCounts => (state === 'wait' || state === 'prioritized' ? 'waiting' : state);

/** The tenant a job's payload names (`tenantId`, as every tenant job's payload does), if any. */
function tenantOf(data: string | null): string | null {
  if (!data) return null;
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null || !('tenantId' in parsed)) return null;
    const tenant = parsed.tenantId;
    return typeof tenant === 'string' && UUID.test(tenant) ? tenant.toLowerCase() : null;
  } catch {
    // a payload that is not JSON names no tenant: it counts as the platform's
    return null;
  }
}

/** `data` and `timestamp` of each job (null fields for a job removed since its id was read). */
async function readJobs(redis: Redis, keys: string[]): Promise<[string | null, string | null][]> {
  const out: [string | null, string | null][] = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + BATCH)) pipeline.hmget(key, 'data', 'timestamp');
    const results = (await pipeline.exec()) ?? [];
    for (const [error, value] of results) {
      if (error) throw error;
      const [data, timestamp] = value as [string | null, string | null];
      out.push([data, timestamp]);
    }
  }
  return out;
}

/**
 * One queue's jobs per state (exact) and per tenant: at most `limit` jobs of each of the waiting, prioritised, active
 * and failed states are read (oldest waiting first), their payloads' `tenantId` counted.
 */
export async function readQueueStats(queues: JobQueues, redis: Redis, name: QueueName, limit: number): Promise<QueueStats> {
  const queue = queues.queue(name);
  const [raw, paused] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
    queue.isPaused(),
  ]);
  const count = (state: string) => raw[state] ?? 0;
  const stats: QueueStats = {
    name,
    paused,
    counts: {
      waiting: count('waiting') + count('prioritized'),
      active: count('active'),
      delayed: count('delayed'),
      failed: count('failed'),
      completed: count('completed'),
    },
    byTenant: new Map(),
    platform: emptyShare(),
    oldestWaitingAt: null,
    truncated: false,
  };
  for (const state of SCANNED) {
    const total = count(state === 'wait' ? 'waiting' : state);
    if (total === 0) continue;
    if (total > limit) stats.truncated = true;
    const ids = await queue.getRanges([state], 0, limit - 1, true);
    const jobs = await readJobs(
      redis,
      ids.map((id) => queue.toKey(id)),
    );
    const share = shareOf(state);
    for (const [data, timestamp] of jobs) {
      if (data === null) continue;
      const tenant = tenantOf(data);
      const counts = tenant ? (stats.byTenant.get(tenant) ?? emptyShare()) : stats.platform;
      counts[share] += 1;
      if (tenant) stats.byTenant.set(tenant, counts);
      const added = Number(timestamp);
      if (share === 'waiting' && Number.isFinite(added) && added > 0) {
        stats.oldestWaitingAt = stats.oldestWaitingAt === null ? added : Math.min(stats.oldestWaitingAt, added);
      }
    }
  }
  return stats;
}

/** Every Wharf queue's figures (see `readQueueStats`), in the order of QUEUES. */
export function readAllQueueStats(queues: JobQueues, redis: Redis, limit: number): Promise<QueueStats[]> {
  return Promise.all(QUEUES.map((name) => readQueueStats(queues, redis, name, limit)));
}
