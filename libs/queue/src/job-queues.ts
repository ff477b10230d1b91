import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, type JobName, type JobPayload, QUEUE_POLICIES, QUEUES, type QueueName, queueOf } from './jobs.js';

export interface EnqueueResult {
  id: string;
  /** BullMQ priority given (1 = first); 0 for jobs that belong to no tenant. */
  priority: number;
}

/**
 * Adds jobs with their fixed ids and their queue's retry and retention policy, and keeps tenants fair: a tenant's
 * job gets priority 1 + the number of that tenant's jobs still unfinished in the queue, so one tenant's hundred
 * queued deploys wait behind another tenant's first. The per-tenant counts live in Redis (a set of job ids per
 * tenant and queue), so every API and worker process sees the same ones; workers call `finished()` when a job ends.
 */
export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'wharf',
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      const policy = QUEUE_POLICIES[name];
      queue = new Queue(name, {
        connection: this.redis,
        prefix: this.prefix,
        defaultJobOptions: {
          attempts: policy.attempts,
          backoff: { type: 'exponential', delay: policy.backoffMs },
          removeOnComplete: policy.keepCompleted,
          removeOnFail: policy.keepFailed,
        },
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<EnqueueResult> {
    const def = JOBS[name];
    const data = def.payload.parse(payload) as JobPayload<N>;
    const id = def.jobId(data as never);
    const tenant = def.tenantOf?.(data as never);
    const queue = queueOf(name, data);
    let priority = 0;
    if (tenant) {
      const key = this.fairnessKey(queue, tenant);
      // re-adding a job already counted (a retried request) does not count it twice
      const [[, added], [, depth]] = (await this.redis.multi().sadd(key, id).scard(key).exec()) as [
        [null, number],
        [null, number],
      ];
      priority = added ? depth : Math.max(1, depth);
    }
    const job = await this.queue(queue).add(name, data, { jobId: id, ...(priority ? { priority } : {}) });
    return { id: job.id ?? id, priority };
  }

  /** A job ended (completed, or failed for good): it no longer counts against its tenant's share. */
  async finished(job: Pick<Job, 'id' | 'name' | 'data'>): Promise<void> {
    const def = JOBS[job.name as JobName];
    const tenant = def?.tenantOf?.(job.data as never);
    if (def && tenant && job.id) await this.redis.srem(this.fairnessKey(queueOf(job.name as JobName, job.data), tenant), job.id);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  /** Removes every job and fairness count of these queues (tests only). */
  async obliterate(): Promise<void> {
    for (const name of QUEUES) {
      await this.queue(name).obliterate({ force: true });
      const keys = await this.redis.keys(`${this.prefix}:fair:${name}:*`);
      if (keys.length) await this.redis.del(...keys);
    }
  }

  private fairnessKey(queue: QueueName, tenant: string): string {
    return `${this.prefix}:fair:${queue}:${tenant}`;
  }
}
