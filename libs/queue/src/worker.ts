import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobQueues } from './job-queues.js';
import { assertHandlers, JOBS, type JobHandlers, type JobName, type QueueName } from './jobs.js';

export interface WorkerOptions {
  concurrency?: number;
  prefix?: string;
}

/**
 * A BullMQ worker for one queue that validates each payload and hands it to the handler of its job name. Refuses to
 * start when any job name lacks a handler. A job that ends — completed, or failed after its last attempt — stops
 * counting against its tenant's share (see JobQueues).
 */
export function createWorker(
  queue: QueueName,
  handlers: Partial<JobHandlers>,
  deps: { redis: Redis; queues: JobQueues },
  options: WorkerOptions = {},
): Worker {
  assertHandlers(handlers);
  const worker = new Worker(
    queue,
    async (job: Job) => {
      const name = job.name as JobName;
      const def = JOBS[name];
      if (!def || def.queue !== queue) throw new Error(`job ${job.id}: unknown job "${job.name}" in queue ${queue}`);
      const payload = def.payload.parse(job.data);
      await (handlers[name] as (p: unknown, j: { id: string; attemptsMade: number }) => Promise<void>)(payload, {
        id: String(job.id),
        attemptsMade: job.attemptsMade,
      });
    },
    {
      connection: deps.redis.duplicate({ maxRetriesPerRequest: null }),
      prefix: options.prefix ?? 'wharf',
      concurrency: options.concurrency ?? 1,
    },
  );
  worker.on('completed', (job) => void deps.queues.finished(job));
  worker.on('failed', (job) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) void deps.queues.finished(job);
  });
  return worker;
}
