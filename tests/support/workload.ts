import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { engine } from './engine.js';
import { freePort } from './stack.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

export interface WorkloadOptions {
  /** The API the agent dials. */
  apiUrl: string;
  /** The API's database (app role): the worker uses it, the cluster is registered in it. */
  databaseUrl: string;
  /** BullMQ prefix shared with the API (its QUEUE_PREFIX). */
  queuePrefix?: string;
  domain?: string;
  reconcileIntervalMs?: number;
  /** Extra environment of the worker. */
  workerEnv?: Record<string, string>;
  /** Extra environment of the agent (e.g. `WHARF_STATS_MS`). */
  agentEnv?: Record<string, string>;
}

export interface Workload {
  clusterId: string;
  proxyPort: number;
  domain: string;
  queuePrefix: string;
  /** `kill -9` the agent or the worker (crash tests), and start it again. */
  kill(which: 'agent' | 'worker'): void;
  restart(which: 'agent' | 'worker'): void;
  stop(): Promise<void>;
}

interface Proc {
  start(): ChildProcess;
  child?: ChildProcess;
}

/** Output of the cluster's processes goes to artifacts/logs/<name>.log (kept out of the test's own output). */
function logFile(name: string): number {
  const dir = path.join(ROOT, 'artifacts/logs');
  mkdirSync(dir, { recursive: true });
  return openSync(path.join(dir, name), 'a');
}

/**
 * A real cluster for the API under test, on the local Docker engine (Swarm mode): registers a shared cluster in the
 * API's database, starts its edge proxy (Caddy, admin API on a free port), its agent (`apps/agent/dist/main.js`,
 * joining with a one-time token) and a worker (`apps/worker/dist/main.js`), each as its own process.
 */
export async function startWorkload(options: WorkloadOptions): Promise<Workload> {
  const domain = options.domain ?? 'wharf.localhost';
  const queuePrefix = options.queuePrefix ?? `wharf-test-${process.pid}-${Date.now()}`;
  const [proxyPort, adminPort] = [await freePort(), await freePort()];
  const name = `test-${process.pid}-${Date.now().toString(36)}`;
  const env = { ...process.env, DATABASE_URL: options.databaseUrl, LOG_LEVEL: process.env.WHARF_WORKER_LOG_LEVEL ?? 'warn' };
  const { stdout } = await run(process.execPath, ['apps/api/dist/cli.js', 'register-cluster', name, domain, String(proxyPort)], {
    cwd: ROOT,
    env,
  });
  const clusterId = /cluster=(\S+)/.exec(stdout)?.[1];
  const joinToken = /join-token=(\S+)/.exec(stdout)?.[1];
  if (!clusterId || !joinToken) throw new Error(`register-cluster said: ${stdout}`);

  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-cluster-'));
  const caddyConfig = path.join(dir, 'caddy.json');
  writeFileSync(caddyConfig, JSON.stringify({ admin: { listen: `127.0.0.1:${adminPort}` } }));
  const out = logFile(`${name}.log`);
  const procs: Record<'caddy' | 'agent' | 'worker', Proc> = {
    caddy: {
      start: () => spawn('caddy', ['run', '--config', caddyConfig], { cwd: dir, stdio: ['ignore', out, out] }),
    },
    agent: {
      start: () =>
        spawn(process.execPath, ['apps/agent/dist/main.js'], {
          cwd: ROOT,
          stdio: ['ignore', out, out],
          env: {
            ...process.env,
            WHARF_API_URL: options.apiUrl,
            WHARF_JOIN_TOKEN: joinToken,
            WHARF_AGENT_STATE: path.join(dir, 'agent.json'),
            WHARF_AGENT_NAME: name,
            CADDY_ADMIN_URL: `http://127.0.0.1:${adminPort}`,
            WHARF_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
            WHARF_HEARTBEAT_MS: '1000',
            LOG_LEVEL: process.env.WHARF_AGENT_LOG_LEVEL ?? 'warn',
            ...options.agentEnv,
          },
        }),
    },
    worker: {
      start: () =>
        spawn(process.execPath, ['apps/worker/dist/main.js'], {
          cwd: ROOT,
          stdio: ['ignore', out, out],
          env: {
            ...env,
            QUEUE_PREFIX: queuePrefix,
            RECONCILE_INTERVAL_MS: String(options.reconcileIntervalMs ?? 3_000),
            CLUSTER_SILENT_MS: '5000',
            LOCK_DURATION_MS: '3000',
            STALE_QUEUED_MS: '3000',
            GIT_ALLOW_LOCAL: 'true',
            // the worker's `local` machines (and what its leak sweep looks at) are this cluster's own: never the
            // machines of a Wharf running on this box, which its sweep would take for leaks of this test database
            HOSTS_LOCAL_STATE_DIR: path.join(dir, 'hosts'),
            ...options.workerEnv,
          },
        }),
    },
  };
  const start = (which: keyof typeof procs) => {
    procs[which].child = procs[which].start();
  };
  start('caddy');
  start('agent');
  start('worker');

  return {
    clusterId,
    proxyPort,
    domain,
    queuePrefix,
    kill(which) {
      procs[which].child?.kill('SIGKILL');
    },
    restart(which) {
      start(which);
    },
    async stop() {
      await Promise.all(
        Object.values(procs).map(
          (p) =>
            new Promise<void>((resolve) => {
              const child = p.child;
              if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
            }),
        ),
      );
      await removeClusterObjects(clusterId);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes every engine object the cluster's agent made: its services, their containers at once (killed, not given
 * their grace period: nothing of a finished test needs a clean stop), then its networks and secrets.
 */
export async function removeClusterObjects(clusterId: string): Promise<void> {
  const docker = engine();
  const filters = JSON.stringify({ label: [`wharf.cluster=${clusterId}`] });
  const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
  const services = await docker.listServices({ filters });
  await Promise.all(services.map((s) => quietly(docker.getService(s.ID).remove())));
  for (let i = 0; i < 50; i++) {
    const left = await docker.listContainers({ all: true, filters });
    if (left.length === 0) break;
    await Promise.all(left.map((c) => quietly(docker.getContainer(c.Id).remove({ force: true }))));
  }
  const [networks, secrets] = await Promise.all([docker.listNetworks({ filters }), docker.listSecrets({ filters })]);
  await Promise.all([
    ...networks.map((n) => quietly(docker.getNetwork(n.Id).remove())),
    ...secrets.map((s) => quietly(docker.getSecret(s.ID).remove())),
  ]);
}

export interface Platform {
  t: import('./app.js').TestApp;
  cluster: Workload;
  stop(): Promise<void>;
}

/** The API (in-process, listening), and a real cluster (Caddy, agent, worker) for it, on one test database. */
export async function startPlatform(options: Partial<WorkloadOptions> = {}): Promise<Platform> {
  const { startTestApp } = await import('./app.js');
  const queuePrefix = options.queuePrefix ?? `wharf-e2e-${process.pid}-${Date.now().toString(36)}`;
  const t = await startTestApp({ QUEUE_PREFIX: queuePrefix, AGENT_HEARTBEAT_MS: '1000' }, { listen: true });
  try {
    const cluster = await startWorkload({ ...options, apiUrl: t.url, databaseUrl: t.db.appUrl, queuePrefix });
    return {
      t,
      cluster,
      async stop() {
        await cluster.stop();
        await t.close();
      },
    };
  } catch (err) {
    await t.close();
    throw err;
  }
}
