import { registryClient } from '@wharf/build';
import { Keyring, SecretBox } from '@wharf/crypto';
import { Database } from '@wharf/db';
import { BUILD_QUEUES, Bus, createWorker, failedForGood, JobQueues, type QueueName } from '@wharf/queue';
import { Releases } from '@wharf/releases';
import type { Worker } from 'bullmq';
import Docker from 'dockerode';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { BuildProcessor } from './build/build.processor.js';
import { BuildRelease } from './build/build-release.js';
import { Commands } from './commands.js';
import type { WorkerConfig } from './config.js';
import { AppSyncProcessor } from './deploy/app-sync.processor.js';
import { DeployProcessor } from './deploy/deploy.processor.js';
import { HostProcessor } from './hosts/host.processor.js';
import { BrokerCommands } from './hosts/host-broker.js';
import { HostDeprovisionProcessor } from './hosts/host-deprovision.processor.js';
import { HostMachines } from './hosts/host-machines.js';
import { HostSweepProcessor } from './hosts/host-sweep.processor.js';
import { openLocalRelays } from './hosts/local-relays.js';
import { ReconcileProcessor } from './reconcile/reconcile.processor.js';

export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * Starts the BullMQ workers of this process's roles: `deploy`, `reconcile` (and its schedule), `build` (the
 * builder queues of its regions, on the Docker engine it builds with), and `host` (provisioning and removing hosts,
 * and the leak sweep's schedule).
 */
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
  const registry = registryClient({
    url: config.REGISTRY_URL,
    ...(config.REGISTRY_USERNAME ? { username: config.REGISTRY_USERNAME, password: config.REGISTRY_PASSWORD ?? '' } : {}),
  });
  const release = new BuildRelease(db, bus, new Releases(box, queues), registry, config.BUILD_KEEP_IMAGES);
  const docker = new Docker({ socketPath: config.BUILD_DOCKER_SOCKET });
  const build = new BuildProcessor(db, bus, box, docker, release, config, log);
  const machines = new HostMachines(config, Keyring.fromBase64(config.MASTER_KEY, config.MASTER_KEYS_PREVIOUS));
  // BrokerCommands: the host workflow's commands and broker mode's (`ssh` hosts)
  const hostCommands = new BrokerCommands(commands, box, config.HOSTS_POLL_MS);
  const provision = new HostProcessor(db, machines, hostCommands, config, log, hostCommands);
  const deprovision = new HostDeprovisionProcessor(db, machines, hostCommands, config, log, hostCommands);
  const hostSweep = new HostSweepProcessor(db, machines, log);
  const handlers = {
    'deploy.run': (p: Parameters<DeployProcessor['run']>[0]) => deploy.run(p),
    'app.sync': (p: Parameters<AppSyncProcessor['run']>[0]) => sync.run(p),
    'reconcile.cluster': (p: Parameters<ReconcileProcessor['cluster']>[0]) => reconcile.cluster(p),
    'reconcile.sweep': () => reconcile.sweep(),
    'build.run': (p: Parameters<BuildProcessor['run']>[0], job: { attemptsMade: number }) => build.run(p, job),
    'host.provision': (p: Parameters<HostProcessor['provision']>[0]) => provision.provision(p),
    'host.deprovision': (p: Parameters<HostDeprovisionProcessor['deprovision']>[0]) => deprovision.deprovision(p),
    'host.sweep': async () => {
      await hostSweep.sweep();
    },
  };
  const deps = { redis, queues };
  const options = { prefix: config.QUEUE_PREFIX, lockDurationMs: config.LOCK_DURATION_MS };
  const roles = new Set(config.WORKER_ROLES);
  const served: QueueName[] = [];
  const workers: Worker[] = [];
  const serve = (queue: QueueName, concurrency: number) => {
    served.push(queue);
    workers.push(createWorker(queue, handlers, deps, { ...options, concurrency }));
  };
  if (roles.has('deploy')) serve('deploy', config.DEPLOY_CONCURRENCY);
  // passes of different clusters run side by side; a slow cluster never holds up the sweep
  if (roles.has('reconcile')) serve('reconcile', 4);
  if (roles.has('build'))
    for (const region of new Set(config.BUILD_REGIONS)) serve(BUILD_QUEUES[region], config.BUILD_CONCURRENCY);
  if (roles.has('host')) serve('host', config.HOSTS_CONCURRENCY);
  for (const w of workers) {
    w.on('failed', (job, err) => {
      log.error({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed');
      if (!failedForGood(job, err)) return;
      const gaveUp =
        job.name === 'deploy.run'
          ? deploy.gaveUp(job.data, err.message)
          : job.name === 'build.run'
            ? build.gaveUp(job.data, err.message)
            : job.name === 'host.provision'
              ? provision.gaveUp(job.data, err.message)
              : undefined;
      void gaveUp?.catch((e: Error) => log.error(e));
    });
  }
  if (roles.has('reconcile')) {
    await queues
      .queue('reconcile')
      .upsertJobScheduler('reconcile-sweep', { every: config.RECONCILE_INTERVAL_MS }, { name: 'reconcile.sweep', data: {} });
  }
  if (roles.has('host')) {
    // the leak sweep: machines carrying Wharf's tags that no live host owns are terminated
    await queues
      .queue('host')
      .upsertJobScheduler('host-sweep', { every: config.HOSTS_SWEEP_INTERVAL_MS }, { name: 'host.sweep', data: {} });
  }
  const relays = roles.has('host') ? await openLocalRelays(machines.localProvider(), config.HOSTS_LOCAL_RELAYS, log) : [];
  log.info({ queues: served, prefix: config.QUEUE_PREFIX }, 'worker started');
  return {
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(relays.map((r) => r.close()));
      await queues.close();
      bus.close();
      redis.disconnect();
      await db.close();
    },
  };
}
