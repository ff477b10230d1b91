import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type CreatedHost, type Host, hostRoutes } from '@wharf/contracts';
import { type LocalProvider, localProvider, type Machine } from '@wharf/providers';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../support/app.js';
import { viaProxy } from '../support/apps.js';
import { bridgeUp, ip, runNetwork } from '../support/local-network.js';
import { type RegistryRelay, relayRegistry } from '../support/registry-relay.js';

/*
 * Bring your own host, for real: a machine of the `local` provider made WITHOUT an agent (its own network namespace
 * and dockerd on a bridge of this run) stands for the user's server. The install command the API answered is run
 * inside its namespace as it is (a `sudo` that just runs its command: the test is root), fetching the script and
 * the agent through a relay from the bridge's address to the API; Docker is there, so the script leaves it alone.
 * The agent registers, the host joins (a one-node Swarm) and is ready; removed, it is drained, leaves the Swarm and
 * ends `terminated` with its machine still running (it is the user's), its agent revoked and stopped. Needs root,
 * iproute2, iptables, dockerd, curl, nsenter.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const RUN = process.env.WHARF_TEST_RUN ?? `p${process.pid}`;
const { hash: runHash, bridge: BRIDGE, subnet: SUBNET, gateway: GATEWAY, stateDir } = runNetwork('byo', 'wy');
const API_RELAY_PORT = 30_000 + (runHash.readUInt16BE(4) % 5_000);
const API_URL = `http://${GATEWAY}:${API_RELAY_PORT}`;

let t: TestApp;
let owner: Account;
let cluster: string;
let relay: RegistryRelay | undefined;
let worker: ChildProcess | undefined;
/** The user's server: a machine of the local provider with no agent of Wharf's on it. */
let machines: LocalProvider;
let machine: Machine;
let hostId = '';
let agentPid = 0;

async function until<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const params = () => ({ tenant: owner.tenant.id, clusterId: cluster, hostId });
const getHost = async () => (await t.call<Host>(hostRoutes.get, { params: params(), token: owner.accessToken })).body;
const inState = (state: Host['state'], ms: number) =>
  until(
    async () => {
      const h = await getHost();
      if (h.state === 'failed') throw new Error(`host failed: ${h.failure}`);
      return h.state === state ? h : undefined;
    },
    ms,
    `host ${state}`,
  );

const machineDir = () => path.dirname(String(machine.extra.dockerSocket));
/** Where the install script writes (WHARF_PREFIX): inside the machine's directory, gone with it. */
const prefix = () => path.join(machineDir(), 'root');
const engine = () => new Docker({ socketPath: String(machine.extra.dockerSocket) });
/** A process that runs (an exited one may linger as a zombie until its adoptive parent reaps it). */
function alive(pid: number): boolean {
  if (pid <= 0 || !existsSync(`/proc/${pid}/stat`)) return false;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Runs `command` (the API's install command) in the machine's namespace, from a shell where `sudo` just runs. */
function runInMachine(command: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('nsenter', [`--net=/var/run/netns/${machine.extra.netns}`, 'sh', '-c', `sudo() { "$@"; }; ${command}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH, WHARF_PREFIX: prefix(), DOCKER_SOCK: String(machine.extra.dockerSocket) },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

beforeAll(async () => {
  // the agent file the API serves, fresh from apps/agent's dist (a bare `tsc -b` does not make it)
  execFileSync(process.execPath, ['apps/agent/scripts/bundle.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const queuePrefix = `wharf-byo-${RUN}-${Date.now().toString(36)}`;
  t = await startTestApp({ QUEUE_PREFIX: queuePrefix, AGENT_HEARTBEAT_MS: '1000', API_PUBLIC_URL: API_URL }, { listen: true });
  bridgeUp(BRIDGE, GATEWAY);
  relay = await relayRegistry(GATEWAY, API_RELAY_PORT, new URL(t.url).host);
  // no agent launcher: the machine is a bare server with Docker
  machines = localProvider({ stateDir, bridge: BRIDGE, subnet: SUBNET });
  worker = spawn(process.execPath, ['apps/worker/dist/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: t.db.appUrl,
      QUEUE_PREFIX: queuePrefix,
      WORKER_ROLES: 'host',
      LOCK_DURATION_MS: '3000',
      LOG_LEVEL: process.env.WHARF_WORKER_LOG_LEVEL ?? 'warn',
      HOSTS_POLL_MS: '500',
      HOSTS_AGENT_API_URL: API_URL,
      // a state directory of the worker's own: the user's server is no machine of Wharf's (a sweep must not see it)
      HOSTS_LOCAL_STATE_DIR: `${stateDir}w`,
      HOSTS_LOCAL_BRIDGE: BRIDGE,
      HOSTS_LOCAL_SUBNET: SUBNET,
      HOSTS_BOOTSTRAP_TIMEOUT_MS: '120000',
      HOSTS_DRAIN_TIMEOUT_MS: '60000',
    },
  });
  owner = await signup(t, 'Byo Owner');
  await t.owner.query(`update tenants set plan_id = 'team' where id = $1`, [owner.tenant.id]);
  const c = await t.owner.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, 'own', 'dedicated', 'own.example.test', 443) returning id`,
    [owner.tenant.id],
  );
  cluster = c.rows[0]?.id ?? '';
  machine = await machines.create({
    region: 'local',
    instanceType: 'local.small',
    clientToken: `byo-${runHash.toString('hex').slice(0, 12)}`,
    tags: { tenant: 'user', cluster: 'own', host: 'server-1' },
    name: 'users-server',
    // the provider wants a bootstrap; with no agent launcher nothing uses it
    bootstrap: { apiUrl: API_URL, registrationToken: 'unused-unused-unused', agentPackageUrl: '' },
  });
}, 120_000);

afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const file of [path.join(prefix(), 'var/log/wharf-agent.log'), path.join(machineDir(), 'dockerd.log')])
    if (existsSync(file)) console.log(`── ${file}\n${readFileSync(file, 'utf8').split('\n').slice(-40).join('\n')}`);
});

afterAll(async () => {
  try {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker?.once('exit', r));
      worker.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
    await relay?.close();
    // the user's server goes with the test: its engine, the agent if it still ran, the namespace
    await machines?.destroyAll();
    if (existsSync(`/sys/class/net/${BRIDGE}`)) ip('link', 'del', BRIDGE);
    expect(execFileSync('iptables', ['-S', 'FORWARD'], { encoding: 'utf8' })).not.toContain(BRIDGE);
    expect(alive(agentPid)).toBe(false);
    expect(await machines?.list('local')).toEqual([]);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(`${stateDir}w`, { recursive: true, force: true });
    await t?.close();
  }
}, 120_000);

describe('bring your own host', () => {
  it('the install command makes a bare server with Docker a ready host of the cluster', async () => {
    expect(machine.state).toBe('running');
    const res = await t.call<CreatedHost>(hostRoutes.create, {
      params: { tenant: owner.tenant.id, clusterId: cluster },
      token: owner.accessToken,
      body: { provider: 'byo', name: 'my-server' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    hostId = res.body.id;
    const command = res.body.install?.command ?? '';
    expect(command.startsWith(`curl -fsSL '${API_URL}/api/v1/install/`)).toBe(true);

    const run = await runInMachine(command);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Docker engine found');
    agentPid = Number(/pid (\d+)/.exec(run.stderr)?.[1] ?? 0);
    expect(alive(agentPid)).toBe(true);
    // the command is good once: curl is refused the script (and sh gets nothing to run)
    const again = await runInMachine(command);
    expect(again.stderr).toContain('404');

    const ready = await inState('ready', 120_000);
    expect(ready).toMatchObject({ provider: 'byo', swarmRole: 'manager', privateIp: machine.privateIp, machineId: null });
    // what Wharf could not know of the server, its agent told: its address and size
    expect(ready.vcpus).toBeGreaterThan(0);
    expect(ready.memoryMib).toBeGreaterThan(0);
    const info = await engine().info();
    expect(info.Swarm).toMatchObject({ LocalNodeState: 'active', ControlAvailable: true, NodeAddr: machine.privateIp });
    const agents = await t.owner.query('select name from agents where host_id = $1 and revoked_at is null', [hostId]);
    expect(agents.rowCount).toBe(1);
    // the script started Caddy too, and the agent of this manager loaded the edge's routes into it: the server
    // answers on port 80 (a host no app has: Wharf's own 404)
    const edge = await until(
      async () => {
        const res = await viaProxy(80, 'nothing.example.test', '/', 5_000, machine.privateIp);
        return res.status === 404 && res.body.includes('no such host') ? res.body : undefined;
      },
      30_000,
      "the server's edge proxy",
    );
    expect(edge.trim()).toBe('no such host');
  }, 240_000);

  it('removed, it leaves the Swarm and ends terminated, the server still running and the agent stopped', async () => {
    const res = await t.call<Host>(hostRoutes.remove, { params: params(), token: owner.accessToken });
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('draining');
    await inState('terminated', 120_000);
    expect((await engine().info()).Swarm?.LocalNodeState).toBe('inactive');
    // the server is the user's: never terminated
    expect((await machines.observe('local', machine.id))?.state).toBe('running');
    const revoked = await t.owner.query('select 1 from agents where host_id = $1 and revoked_at is not null', [hostId]);
    expect(revoked.rowCount).toBe(1);
    // the agent stops itself once Wharf refuses its credential
    await until(async () => (alive(agentPid) ? undefined : true), 60_000, 'the agent to stop');
    expect(readFileSync(path.join(prefix(), 'var/log/wharf-agent.log'), 'utf8')).toMatch(/revoked|refused|401|403/);
  }, 240_000);
});
