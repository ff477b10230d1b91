import { SecretBox } from '@wharf/crypto';
import { Database } from '@wharf/db';
import { Bus, createWorker, JobQueues } from '@wharf/queue';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Commands } from './commands.js';
import type { WorkerConfig } from './config.js';
import { AppSyncProcessor } from './deploy/app-sync.processor.js';
import { DeployProcessor } from './deploy/deploy.processor.js';
import { ReconcileProcessor } from './reconcile/reconcile.processor.js';

export interface RunningWorker {
  stop(): Promise<void>;
}

/** Starts the BullMQ workers of the `deploy` and `reconcile` queues and the reconcile schedule. */
export async function startWorker(config: WorkerConfig): Promise<RunningWorker> {
  const log = pino({ level: config.LOG_LEVEL, base: { process: 'worker' } });
  const db = new Database({ connectionString: config.DATABASE_URL, maxConnections: config.DATABASE_POOL_SIZE });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const bus = new Bus(redis);
  const box = SecretBox.fromBase64(config.MASTER_KEY);
  const queues = new JobQueues(redis, config.QUEUE_PREFIX);
  const commands = new Commands(db, bus, box);
  const deploy = new DeployProcessor(db, bus, box, commands, config, log);
  const sync = new AppSyncProcessor(db, commands, log);
  const reconcile = new ReconcileProcessor(db, box, commands, queues, config, log);
  const handlers = {
    'deploy.run': (p: Parameters<DeployProcessor['run']>[0]) => deploy.run(p),
    'app.sync': (p: Parameters<AppSyncProcessor['run']>[0]) => sync.run(p),
    'reconcile.cluster': (p: Parameters<ReconcileProcessor['cluster']>[0]) => reconcile.cluster(p),
    'reconcile.sweep': () => reconcile.sweep(),
  };
  const deps = { redis, queues };
  const options = { prefix: config.QUEUE_PREFIX, lockDurationMs: config.LOCK_DURATION_MS };
  const workers: Worker[] = [
    createWorker('deploy', handlers, deps, { ...options, concurrency: config.DEPLOY_CONCURRENCY }),
    // passes of different clusters run side by side; a slow cluster never holds up the sweep
    createWorker('reconcile', handlers, deps, { ...options, concurrency: 4 }),
  ];
  for (const w of workers) {
    w.on('failed', (job, err) => {
      log.error({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed');
      const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final && job.name === 'deploy.run') void deploy.gaveUp(job.data, err.message).catch((e: Error) => log.error(e));
    });
  }
  await queues
    .queue('reconcile')
    .upsertJobScheduler('reconcile-sweep', { every: config.RECONCILE_INTERVAL_MS }, { name: 'reconcile.sweep', data: {} });
  log.info({ queues: ['deploy', 'reconcile'], prefix: config.QUEUE_PREFIX }, 'worker started');
  return {
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      bus.close();
      redis.disconnect();
      await db.close();
    },
  };
}
