import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobQueues } from './job-queues.js';
import { assertHandlers, JOBS, type JobHandlers, type JobName, type QueueName, queueOf } from './jobs.js';

export interface WorkerOptions {
  concurrency?: number;
  prefix?: string;
  /** How long a job's lock lasts without renewal: a killed worker's job is taken over after about this long. */
  lockDurationMs?: number;
}

/**
 * Thrown by a handler that cannot run its job yet (the tenant is at its concurrent-deploy limit, another deploy of
 * the app is rolling out): the job goes back to the queue for `delayMs` without using up an attempt.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * A BullMQ worker for one queue that validates each payload and hands it to the handler of its job name. Refuses to
 * start when any job name lacks a handler. A job that ends — completed, or failed after its last attempt — stops
 * counting against its tenant's share (see JobQueues).
 */
/**
 * A failed job that will not run again: its last attempt failed, or BullMQ failed it for good before that (an
 * UnrecoverableError such as "job stalled more than allowable limit": the workers running it died twice).
 */
export function failedForGood(job: Job | undefined, err: Error): job is Job {
  return job !== undefined && (job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError');
}

export function createWorker(
  queue: QueueName,
  handlers: Partial<JobHandlers>,
  deps: { redis: Redis; queues: JobQueues },
  options: WorkerOptions = {},
): Worker {
  assertHandlers(handlers);
  const worker = new Worker(
    queue,
    async (job: Job, token?: string) => {
      const name = job.name as JobName;
      const def = JOBS[name];
      if (!def) throw new Error(`job ${job.id}: unknown job "${job.name}" in queue ${queue}`);
      const payload = def.payload.parse(job.data);
      if (queueOf(name, payload) !== queue) throw new Error(`job ${job.id}: "${job.name}" does not belong in queue ${queue}`);
      try {
        await (handlers[name] as (p: unknown, j: { id: string; attemptsMade: number }) => Promise<void>)(payload, {
          id: String(job.id),
          attemptsMade: job.attemptsMade,
        });
      } catch (err) {
        if (!(err instanceof RetryLater)) throw err;
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        throw new DelayedError(err.message);
      }
    },
    {
      connection: deps.redis.duplicate({ maxRetriesPerRequest: null }),
      prefix: options.prefix ?? 'wharf',
      concurrency: options.concurrency ?? 1,
      // a killed worker's job is stalled once its lock expires; look for stalled jobs as often
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs } : {}),
    },
  );
  worker.on('completed', (job) => void deps.queues.finished(job));
  worker.on('failed', (job, err) => {
    if (failedForGood(job, err)) void deps.queues.finished(job);
  });
  return worker;
}
