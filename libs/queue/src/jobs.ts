import { z } from 'zod';

/**
 * Queue names. They are persisted in Redis (every key of a queue carries its name): renaming one strands the jobs
 * already in it.
 */
export const QUEUES = ['deploy', 'reconcile', 'build-global', 'build-cn', 'host'] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * Build regions and their queues: each region's builders (domestic and international build nodes) take only its
 * queue. BullMQ refuses `:` in queue names, hence `build-<region>`.
 */
export const BUILD_QUEUES = { global: 'build-global', cn: 'build-cn' } as const satisfies Record<string, QueueName>;
export type BuildRegionName = keyof typeof BUILD_QUEUES;

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
  /**
   * Build an app's image (clone at the exact commit or unpack the upload, plan, build, push) and deploy it to the
   * environments the build names. Goes to its region's builder queue.
   */
  'build.run': {
    queue: (p: { region: BuildRegionName }) => BUILD_QUEUES[p.region],
    payload: z.strictObject({ tenantId: id, buildId: id, region: z.enum(['global', 'cn']) }),
    jobId: (p: { buildId: string }) => `build-${p.buildId}`,
    tenantOf: (p: { tenantId: string }) => p.tenantId,
  },
  /**
   * Provision a host: requested → creating → booting → bootstrapping → joining → ready, each step persisted on the
   * host row (a resumed job continues from there); waiting steps put the job back with a delay (RetryLater).
   */
  'host.provision': {
    queue: 'host',
    payload: z.strictObject({ tenantId: id, hostId: id }),
    jobId: (p: { hostId: string }) => `host-provision-${p.hostId}`,
    tenantOf: (p: { tenantId: string }) => p.tenantId,
  },
  /** Remove a host: draining (its tasks move off) → leaving (the Swarm) → terminating (the machine) → terminated. */
  'host.deprovision': {
    queue: 'host',
    payload: z.strictObject({ tenantId: id, hostId: id }),
    jobId: (p: { hostId: string }) => `host-deprovision-${p.hostId}`,
    tenantOf: (p: { tenantId: string }) => p.tenantId,
  },
  /** Repeated by a job scheduler: marks silent clusters unreachable and enqueues a reconcile of every cluster. */
  'reconcile.sweep': {
    queue: 'reconcile',
    payload: z.strictObject({}),
    jobId: () => 'reconcile-sweep',
    tenantOf: undefined,
  },
  /**
   * Repeated by a job scheduler (`host-sweep`): lists the machines carrying Wharf's tags in every connected cloud
   * account and region, and on the local provider, and terminates those no live host owns (the leak sweep).
   */
  'host.sweep': {
    queue: 'host',
    payload: z.strictObject({}),
    jobId: () => 'host-sweep',
    tenantOf: undefined,
  },
} as const satisfies Record<string, JobDefinition>;

interface JobDefinition {
  /** The job's queue, or how its payload chooses one (builds: their region's). */
  queue: QueueName | ((payload: never) => QueueName);
  payload: z.ZodType;
  /** Each job narrows its own payload (a function of a narrower argument is assignable to one of `never`). */
  jobId: (payload: never) => string;
  tenantOf: ((payload: never) => string) | undefined;
}

export type JobName = keyof typeof JOBS;

/** The queue a job goes to. */
export function queueOf(name: JobName, payload: unknown): QueueName {
  const q: JobDefinition['queue'] = JOBS[name].queue;
  return typeof q === 'function' ? q(payload as never) : q;
}
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
  // a builder killed mid-build: the build is taken over and starts again from a clean checkout
  'build-global': {
    attempts: 3,
    backoffMs: 2_000,
    keepCompleted: { age: 7 * 86_400, count: 10_000 },
    keepFailed: { age: 30 * 86_400, count: 50_000 },
  },
  'build-cn': {
    attempts: 3,
    backoffMs: 2_000,
    keepCompleted: { age: 7 * 86_400, count: 10_000 },
    keepFailed: { age: 30 * 86_400, count: 50_000 },
  },
  // a host's steps are idempotent (client token, guarded transitions); waiting is a delay, not an attempt
  host: {
    attempts: 5,
    backoffMs: 5_000,
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
