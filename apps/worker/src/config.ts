import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

export const WorkerConfigSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: int(10, 1),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  MASTER_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('wharf'),
  /** Deploys this process runs at once (each mostly waits on its cluster). */
  DEPLOY_CONCURRENCY: int(8, 1),
  /** A deployment that has not converged after this long fails. */
  DEPLOY_TIMEOUT_MS: int(600_000, 1000),
  /** How often every cluster is reconciled. */
  RECONCILE_INTERVAL_MS: int(30_000, 500),
  /** A cluster whose agent has been silent this long is marked unreachable. */
  CLUSTER_SILENT_MS: int(20_000, 1000),
  /** A deployment still queued this long is enqueued again (its job may have been lost between API and Redis). */
  STALE_QUEUED_MS: int(60_000, 500),
  /** A killed worker's jobs are taken over after about this long. */
  LOCK_DURATION_MS: int(10_000, 1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = WorkerConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid worker configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
