import { z } from 'zod';

/**
 * Queue names. They are persisted in Redis (every key of a queue carries its name): renaming one strands the jobs
 * already in it.
 */
export const QUEUES = ['deploy', 'reconcile'] as const;
export type QueueName = (typeof QUEUES)[number];

const id = z.uuid();

/**
 * Every job Wharf runs: its queue, its payload schema, and its fixed job id (enqueueing the same work twice is a
 * no-op). Job names are persisted too: renaming one strands its jobs. `tenantOf` names the tenant whose share of
 * the queue the job counts against (fairness); jobs of the platform itself have none.
 */
export const JOBS = {
  /** Roll a deployment out on its cluster: queued → preparing → rolling out → live | failed | rolled back. */
  'deploy.run': {
    queue: 'deploy',
    payload: z.strictObject({ tenantId: id, deploymentId: id }),
    // BullMQ refuses ':' in custom ids
    jobId: (p: { deploymentId: string }) => `deploy-${p.deploymentId}`,
    tenantOf: (p: { tenantId: string }) => p.tenantId,
  },
  /**
   * Bring an app's engine objects in line with its row after a scale, stop, start, suspension or delete, or
   * remove those of an environment that was deleted (`removedEnvironment`). `version` (the row's `updated_at` in
   * ms) makes each change its own job.
   */
  'app.sync': {
    queue: 'deploy',
    payload: z.strictObject({
      tenantId: id,
      appId: id,
      version: z.number().int().min(0),
      removedEnvironment: z.string().min(1).max(32).optional(),
    }),
    jobId: (p: { appId: string; version: number; removedEnvironment?: string | undefined }) =>
      `app-sync-${p.appId}-${p.version}${p.removedEnvironment ? `-${p.removedEnvironment}` : ''}`,
    tenantOf: (p: { tenantId: string }) => p.tenantId,
  },
  /**
   * Compare one cluster's desired state with its engine and repair drift. `round` (the sweep's time slot) is part
   * of the id: one reconcile per cluster and slot, however many sweeps ask for it.
   */
  'reconcile.cluster': {
    queue: 'reconcile',
    payload: z.strictObject({ clusterId: id, round: z.number().int().min(0) }),
    jobId: (p: { clusterId: string; round: number }) => `reconcile-${p.clusterId}-${p.round}`,
    tenantOf: undefined,
  },
  /** Repeated by a job scheduler: marks silent clusters unreachable and enqueues a reconcile of every cluster. */
  'reconcile.sweep': {
    queue: 'reconcile',
    payload: z.strictObject({}),
    jobId: () => 'reconcile-sweep',
    tenantOf: undefined,
  },
} as const satisfies Record<string, JobDefinition>;

interface JobDefinition {
  queue: QueueName;
  payload: z.ZodType;
  /** Each job narrows its own payload (a function of a narrower argument is assignable to one of `never`). */
  jobId: (payload: never) => string;
  tenantOf: ((payload: never) => string) | undefined;
}

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;

/** One handler per job name: a missing one does not compile, and `assertHandlers` refuses it at start-up too. */
export type JobHandlers = {
  [N in JobName]: (payload: JobPayload<N>, job: { id: string; attemptsMade: number }) => Promise<void>;
};

export function assertHandlers(handlers: Partial<Record<string, unknown>>): asserts handlers is JobHandlers {
  const missing = (Object.keys(JOBS) as JobName[]).filter((name) => typeof handlers[name] !== 'function');
  if (missing.length) throw new Error(`no handler for job${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
}

/** Retries and retention per queue: failed jobs are kept longer than completed ones, and never dropped at once. */
export const QUEUE_POLICIES: Record<QueueName, { attempts: number; backoffMs: number; keepCompleted: Keep; keepFailed: Keep }> = {
  deploy: {
    attempts: 3,
    backoffMs: 2_000,
    keepCompleted: { age: 7 * 86_400, count: 10_000 },
    keepFailed: { age: 30 * 86_400, count: 50_000 },
  },
  reconcile: {
    attempts: 2,
    backoffMs: 5_000,
    keepCompleted: { age: 86_400, count: 1_000 },
    keepFailed: { age: 7 * 86_400, count: 10_000 },
  },
};
interface Keep {
  /** seconds */
  age: number;
  count: number;
}
