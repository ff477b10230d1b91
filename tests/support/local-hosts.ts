import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Host, hostRoutes } from '@wharf/contracts';
import { type LocalProvider, localProvider } from '@wharf/providers';
import { type Account, signup, startTestApp, type TestApp } from './app.js';
import { bridgeUp, ip, runNetwork } from './local-network.js';
import { type RegistryRelay, relayRegistry } from './registry-relay.js';

/*
 * The host workflow for real on the `local` provider, for specs and benches that request hosts through the API:
 * the API in-process (listening), a bridge of the run with a relay from its address to the API (the machines'
 * agents dial it), a worker process of the `host` role (apps/worker/dist/main.js, which can be killed and started
 * again), a tenant on the team plan with a dedicated cluster, and the provider's own view of the worker's machines
 * (the same state directory). `stop()` takes all of it down, each part even when another part failed.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface WorkerProcess {
  readonly pid: number | undefined;
  start(): void;
  /** `kill -9`, resolved once the process is gone (nothing of it runs any more). */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export interface LocalHosts {
  t: TestApp;
  owner: Account;
  cluster: string;
  stateDir: string;
  bridge: string;
  /** The bridge's own address: how the machines reach this machine (the relays listen on it). */
  gateway: string;
  /** The provider's view of the worker's machines: observe, list, and destroyAll at the end. */
  machines: LocalProvider;
  worker: WorkerProcess;
  /** `POST …/hosts` of a local host; throws unless 202. */
  request(name: string): Promise<Host>;
  get(id: string): Promise<Host>;
  /** Waits for the host's state (a failed host throws, with its failure). */
  inState(id: string, state: Host['state'], ms?: number): Promise<Host>;
  /** `DELETE …/hosts/{id}`, then waits for `terminated`. */
  remove(id: string): Promise<void>;
  /** The agents' and engines' logs of the run's machines (their last lines), for a failed test's output. */
  machineLogs(): string;
  /** Processes and mounts of the run's state directory still on the machine (empty after stop()). */
  leftovers(): { processes: string[]; mounts: string[] };
  stop(): Promise<void>;
}

/** Polls `probe` every `everyMs` until it answers a value (a probe that throws counts as no answer). */
export async function until<T>(probe: () => Promise<T | undefined>, ms: number, what: string, everyMs = 500): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, everyMs))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `env` is read at each start (the database's URL is known only once the API runs). */
function workerProcess(env: () => NodeJS.ProcessEnv): WorkerProcess {
  let child: ChildProcess | undefined;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const ended = (c: ChildProcess) => new Promise<void>((resolve) => c.once('exit', () => resolve()));
  return {
    get pid() {
      return child?.pid;
    },
    start() {
      if (running()) throw new Error('the worker runs already');
      child = spawn(process.execPath, ['apps/worker/dist/main.js'], {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: env(),
      });
    },
    async kill() {
      if (!child || !running()) return;
      const exited = ended(child);
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!child || !running()) return;
      const exited = ended(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the whole set-up. `salt` and `prefix` name the run's network (tests/support/local-network.ts): each spec or
 * bench its own, so they can run beside others. `workerEnv` adds to (or overrides) the worker's environment.
 */
export async function startLocalHosts(
  salt: string,
  prefix: string,
  options: {
    ownerName: string;
    workerEnv?: Record<string, string>;
    /** Relay the registry on `<gateway>:5000` too, the engines' insecure registry: images pushed to REGISTRY are
     * pulled as `<gateway>:5000/…` in the machines. */
    registry?: boolean;
  },
): Promise<LocalHosts> {
  const run = process.env.WHARF_TEST_RUN ?? `p${process.pid}`;
  const { hash, bridge, subnet, gateway, stateDir } = runNetwork(salt, prefix);
  const relayPort = 30_000 + (hash.readUInt16BE(2) % 5_000);
  const queuePrefix = `wharf-${salt}-${run}-${Date.now().toString(36)}`;
  let relay: RegistryRelay | undefined;
  let registryRelay: RegistryRelay | undefined;
  let t: TestApp | undefined;
  const machines = localProvider({ stateDir, bridge, subnet });
  const worker = workerProcess(() => ({
    ...process.env,
    DATABASE_URL: t?.db.appUrl,
    QUEUE_PREFIX: queuePrefix,
    WORKER_ROLES: 'host',
    LOCK_DURATION_MS: '3000',
    LOG_LEVEL: process.env.WHARF_WORKER_LOG_LEVEL ?? 'warn',
    HOSTS_POLL_MS: '500',
    HOSTS_AGENT_API_URL: `http://${gateway}:${relayPort}`,
    HOSTS_LOCAL_STATE_DIR: stateDir,
    HOSTS_LOCAL_BRIDGE: bridge,
    HOSTS_LOCAL_SUBNET: subnet,
    ...(options.registry ? { HOSTS_LOCAL_REGISTRY: `${gateway}:5000` } : {}),
    HOSTS_BOOT_TIMEOUT_MS: '60000',
    HOSTS_BOOTSTRAP_TIMEOUT_MS: '120000',
    HOSTS_DRAIN_TIMEOUT_MS: '60000',
    ...options.workerEnv,
  }));

  const leftovers = () => {
    const processes = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid && Number(p) !== worker.pid)
      .map((p) => {
        // engines name the state directory on their command line, agents in their environment (WHARF_AGENT_STATE)
        try {
          return `${readFileSync(`/proc/${p}/cmdline`, 'utf8')} ${readFileSync(`/proc/${p}/environ`, 'utf8')}`
            .split('\0')
            .join(' ');
        } catch {
          return '';
        }
      })
      .filter((c) => c.includes(stateDir));
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .filter((m) => m.startsWith(`${stateDir}/`));
    return { processes, mounts };
  };

  /** Runs every step of the clean-up, then throws the first failure, if any. */
  const stop = async () => {
    const failures: unknown[] = [];
    const step = async (work: () => unknown) => {
      try {
        await work();
      } catch (err) {
        failures.push(err);
      }
    };
    await step(() => worker.stop());
    await step(() => relay?.close());
    await step(() => registryRelay?.close());
    await step(() => machines.destroyAll());
    await step(() => existsSync(`/sys/class/net/${bridge}`) && ip('link', 'del', bridge));
    await step(() => {
      const rules = execFileSync('iptables', ['-S', 'FORWARD'], { encoding: 'utf8' });
      if (rules.includes(bridge)) throw new Error(`iptables rules of ${bridge} are left: ${rules}`);
    });
    await step(() => {
      const left = leftovers();
      if (left.processes.length + left.mounts.length > 0) throw new Error(`left behind: ${JSON.stringify(left)}`);
    });
    rmSync(stateDir, { recursive: true, force: true });
    await step(() => t?.close());
    if (failures.length > 0) throw failures[0];
  };

  try {
    t = await startTestApp({ QUEUE_PREFIX: queuePrefix, AGENT_HEARTBEAT_MS: '1000' }, { listen: true });
    const app = t;
    // the bridge is the run's own (the provider leaves a bridge it did not create): the relay listens on its address
    bridgeUp(bridge, gateway);
    relay = await relayRegistry(gateway, relayPort, new URL(app.url).host);
    if (options.registry) registryRelay = await relayRegistry(gateway, 5000);
    worker.start();
    const owner = await signup(app, options.ownerName);
    await app.owner.query(`update tenants set plan_id = 'team' where id = $1`, [owner.tenant.id]);
    const c = await app.owner.query<{ id: string }>(
      `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, 'own', 'dedicated', 'own.example.test', 80) returning id`,
      [owner.tenant.id],
    );
    const cluster = c.rows[0]?.id ?? '';
    const params = (hostId?: string) => ({ tenant: owner.tenant.id, clusterId: cluster, ...(hostId ? { hostId } : {}) });
    const get = async (id: string) =>
      (await app.call<Host>(hostRoutes.get, { params: params(id), token: owner.accessToken })).body;
    const inState = (id: string, state: Host['state'], ms = 120_000) =>
      until(
        async () => {
          const h = await get(id);
          if (h.state === 'failed' && state !== 'failed') throw new Error(`host ${h.name} failed: ${h.failure}`);
          return h.state === state ? h : undefined;
        },
        ms,
        `host ${id} ${state}`,
        100,
      );
    return {
      t: app,
      owner,
      cluster,
      stateDir,
      bridge,
      gateway,
      machines,
      worker,
      async request(name) {
        const res = await app.call<Host>(hostRoutes.create, {
          params: params(),
          token: owner.accessToken,
          body: { provider: 'local', region: 'local', instanceType: 'local.small', name },
        });
        if (res.status !== 202) throw new Error(`POST hosts ${name}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      },
      get,
      inState,
      async remove(id) {
        const res = await app.call<Host>(hostRoutes.remove, { params: params(id), token: owner.accessToken });
        if (res.status !== 202) throw new Error(`DELETE host ${id}: ${res.status} ${JSON.stringify(res.body)}`);
        await inState(id, 'terminated');
      },
      machineLogs: () => machineLogs(stateDir),
      leftovers,
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

function machineLogs(stateDir: string): string {
  const dir = path.join(stateDir, 'm');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .flatMap((key) =>
      ['agent.log', 'dockerd.log', 'caddy.log'].map((f) => {
        const file = path.join(dir, key, f);
        return existsSync(file) ? `── ${key}/${f}\n${readFileSync(file, 'utf8').split('\n').slice(-40).join('\n')}` : '';
      }),
    )
    .join('\n');
}
