import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type App, type Host, hostRoutes } from '@wharf/contracts';
import { type LocalProvider, localProvider } from '@wharf/providers';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../support/app.js';
import { createApp, hammer, hostOf, settled, waitServing } from '../support/apps.js';
import { ensureHttpImage, REGISTRY } from '../support/engine.js';
import { ip, runNetwork } from '../support/local-network.js';
import { type RegistryRelay, relayRegistry } from '../support/registry-relay.js';

/*
 * The host workflow for real, with the `local` provider: hosts requested through the API are created (a network
 * namespace with its own dockerd on a bridge of this run), their agents (apps/agent, started in the namespace as
 * cloud-init starts it) register with their one-time tokens through a relay from the bridge's address to the API,
 * the first inits the Swarm, the others join, the cluster grows to 3 managers; an app of 3 replicas runs one task per
 * host and answers at its URL through each host's edge proxy (Caddy in the host, configured by its agent); a removed
 * host is drained (its task moves, the app keeps answering), leaves the Swarm and is terminated; at the end nothing
 * of the run is left. Images come from the registry through a relay on the bridge. Needs root, iproute2, iptables,
 * dockerd, caddy.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const RUN = process.env.WHARF_TEST_RUN ?? `p${process.pid}`;
const { hash: runHash, bridge: BRIDGE, subnet: SUBNET, gateway: GATEWAY, stateDir } = runNetwork('hosts', 'wh');
const API_RELAY_PORT = 30_000 + (runHash.readUInt16BE(2) % 5_000);

let t: TestApp;
let owner: Account;
let cluster: string;
let relay: RegistryRelay | undefined;
let registryRelay: RegistryRelay | undefined;
let worker: ChildProcess | undefined;
/** The provider's view of the worker's machines (the same state directory): sockets, and the clean-up. */
let machines: LocalProvider;
let app: App | undefined;
const netnsOf = (machineId: string) => `wharf-${machineId.slice('local-'.length)}`;

async function until<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const params = (hostId?: string) => ({ tenant: owner.tenant.id, clusterId: cluster, ...(hostId ? { hostId } : {}) });
const getHost = async (id: string) => (await t.call<Host>(hostRoutes.get, { params: params(id), token: owner.accessToken })).body;
const inState = (id: string, state: Host['state'], ms = 90_000) =>
  until(
    async () => {
      const h = await getHost(id);
      if (h.state === 'failed') throw new Error(`host ${h.name} failed: ${h.failure}`);
      return h.state === state ? h : undefined;
    },
    ms,
    `host ${id} ${state}`,
  );

async function engineOf(host: Host): Promise<Docker> {
  const m = await machines.observe('local', host.machineId ?? '');
  if (!m) throw new Error(`no machine for ${host.name}`);
  return new Docker({ socketPath: m.extra.dockerSocket as string });
}

/** Processes, namespaces and mounts of this run's state directory still on the machine. */
function leftovers() {
  const processes = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid && Number(p) !== worker?.pid)
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
}

beforeAll(async () => {
  const prefix = `wharf-hosts-${RUN}-${Date.now().toString(36)}`;
  t = await startTestApp({ QUEUE_PREFIX: prefix, AGENT_HEARTBEAT_MS: '1000' }, { listen: true });
  // the bridge is the test's (the provider leaves a bridge it did not create): the relay listens on its address
  ip('link', 'add', BRIDGE, 'type', 'bridge');
  ip('addr', 'add', `${GATEWAY}/24`, 'dev', BRIDGE);
  ip('link', 'set', BRIDGE, 'up');
  relay = await relayRegistry(GATEWAY, API_RELAY_PORT, new URL(t.url).host);
  registryRelay = await relayRegistry(GATEWAY, 5000);
  machines = localProvider({ stateDir, bridge: BRIDGE, subnet: SUBNET });
  worker = spawn(process.execPath, ['apps/worker/dist/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: t.db.appUrl,
      QUEUE_PREFIX: prefix,
      WORKER_ROLES: 'deploy,reconcile,host',
      LOCK_DURATION_MS: '3000',
      LOG_LEVEL: process.env.WHARF_WORKER_LOG_LEVEL ?? 'warn',
      HOSTS_POLL_MS: '500',
      HOSTS_AGENT_API_URL: `http://${GATEWAY}:${API_RELAY_PORT}`,
      HOSTS_LOCAL_STATE_DIR: stateDir,
      HOSTS_LOCAL_BRIDGE: BRIDGE,
      HOSTS_LOCAL_SUBNET: SUBNET,
      HOSTS_LOCAL_REGISTRY: `${GATEWAY}:5000`,
      HOSTS_BOOT_TIMEOUT_MS: '60000',
      HOSTS_BOOTSTRAP_TIMEOUT_MS: '120000',
      HOSTS_DRAIN_TIMEOUT_MS: '60000',
    },
  });
  owner = await signup(t, 'Hosts Owner');
  await t.owner.query(`update tenants set plan_id = 'team' where id = $1`, [owner.tenant.id]);
  const c = await t.owner.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, 'own', 'dedicated', 'own.example.test', 80) returning id`,
    [owner.tenant.id],
  );
  cluster = c.rows[0]?.id ?? '';
}, 120_000);

/** The agents' and engines' logs of the run's machines (printed when a test failed). */
function machineLogs(): string {
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

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.log(machineLogs());
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
    await registryRelay?.close();
    await machines?.destroyAll();
    if (existsSync(`/sys/class/net/${BRIDGE}`)) ip('link', 'del', BRIDGE);
    expect(execFileSync('iptables', ['-S', 'FORWARD'], { encoding: 'utf8' })).not.toContain(BRIDGE);
    expect(leftovers()).toEqual({ processes: [], mounts: [] });
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
    await t?.close();
  }
}, 120_000);

describe('hosts on the local provider', () => {
  const ids: string[] = [];

  it('three hosts requested through the API become one Swarm of three managers', async () => {
    for (const name of ['h1', 'h2', 'h3']) {
      const res = await t.call<Host>(hostRoutes.create, {
        params: params(),
        token: owner.accessToken,
        body: { provider: 'local', region: 'local', instanceType: 'local.small', name },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      ids.push(res.body.id);
    }
    const ready: Host[] = [];
    for (const id of ids) ready.push(await inState(id, 'ready', 180_000));
    // every agent registered with its own token and is bound to its host
    const agents = await t.owner.query('select host_id from agents where host_id = any($1::uuid[]) and revoked_at is null', [
      ids,
    ]);
    expect(agents.rowCount).toBe(3);
    // the cluster grows to three managers (the promotions follow the third host's readiness)
    const nodes = await until(
      async () => {
        const list = await (await engineOf(ready[0] as Host)).listNodes();
        const managers = list.filter(
          (n) => n.Spec?.Role === 'manager' && n.Status?.State === 'ready' && n.ManagerStatus?.Reachability === 'reachable',
        );
        return managers.length === 3 ? list : undefined;
      },
      60_000,
      'three managers',
    );
    const addr = (n: (typeof nodes)[number]) => (n.ManagerStatus?.Addr ?? '').replace(/:\d+$/, '');
    expect(nodes.map(addr).sort()).toEqual(ready.map((h) => h.privateIp).sort());
    for (const id of ids) expect(await getHost(id)).toMatchObject({ state: 'ready', swarmRole: 'manager' });
    // the join tokens were handed over sealed: no command row at rest holds one in clear
    const joins = await t.owner.query<{ payload: string }>(
      `select payload::text from agent_commands where kind = 'swarm.join' and agent_id in (select id from agents where host_id = any($1::uuid[]))`,
      [ids],
    );
    expect(joins.rowCount).toBe(2);
    for (const row of joins.rows) expect(row.payload).not.toContain('SWMTKN');
  }, 300_000);

  it('an app of three replicas runs one task per host and answers at its URL through every host', async () => {
    const image = (await ensureHttpImage()).replace(REGISTRY, `${GATEWAY}:5000`);
    const created = await createApp(t, owner, { name: 'spread', image, port: 8080, replicas: 3, cluster });
    app = created.app;
    expect((await settled(t, owner, app.id, created.deployment?.id ?? '', 120_000)).status).toBe('live');
    const hosts = await Promise.all(ids.map(getHost));
    // one running task on each host's engine
    for (const h of hosts) {
      const running = await (await engineOf(h)).listContainers({ filters: { label: ['com.docker.swarm.service.name'] } });
      expect(running, h.name).toHaveLength(1);
    }
    // each host's edge routes the app's URL (the app is reachable whichever host DNS points at)
    for (const h of hosts) await waitServing(80, hostOf(app), 'v1', 30_000, h.privateIp ?? '');
  }, 240_000);

  it('a removed host is drained, leaves the Swarm, and its machine is gone; the app keeps answering', async () => {
    const [first, second] = [await getHost(ids[0] ?? ''), await getHost(ids[1] ?? '')];
    if (!app) throw new Error('no app');
    const load = hammer(80, hostOf(app), first.privateIp ?? '');
    const res = await t.call<Host>(hostRoutes.remove, { params: params(second.id), token: owner.accessToken });
    expect(res.status).toBe(202);
    // the removal's steps, timed, to set beside the time of any failed request
    const timeline: string[] = [];
    await until(
      async () => {
        const h = await getHost(second.id);
        if (timeline.at(-1)?.endsWith(h.state) !== true) timeline.push(`${new Date().toISOString()} ${h.state}`);
        return h.state === 'terminated' ? h : undefined;
      },
      120_000,
      'the removed host terminated',
    );
    const { total, failures } = await load.stop();
    expect(total).toBeGreaterThan(10);
    expect(failures, timeline.join(', ')).toEqual([]);
    // the task of the removed host runs again on the two left
    await until(
      async () => {
        const counts = await Promise.all(
          [first, await getHost(ids[2] ?? '')].map(
            async (h) =>
              (await (await engineOf(h)).listContainers({ filters: { label: ['com.docker.swarm.service.name'] } })).length,
          ),
        );
        return counts.reduce((a, b) => a + b, 0) === 3 ? counts : undefined;
      },
      60_000,
      'three tasks on the two hosts left',
    );
    expect(ip('netns', 'list')).not.toContain(netnsOf(second.machineId ?? ''));
    const nodes = await (await engineOf(first)).listNodes();
    expect(nodes.map((n) => (n.ManagerStatus?.Addr ?? '').replace(/:\d+$/, ''))).not.toContain(second.privateIp);
    expect(nodes).toHaveLength(2);
  }, 180_000);

  it('removing the rest leaves nothing of them', async () => {
    const rest = [ids[2] ?? '', ids[0] ?? ''];
    for (const id of rest) {
      const res = await t.call<Host>(hostRoutes.remove, { params: params(id), token: owner.accessToken });
      expect(res.status).toBe(202);
      await inState(id, 'terminated', 120_000);
    }
    const all = await Promise.all(ids.map(getHost));
    for (const h of all) expect(ip('netns', 'list')).not.toContain(netnsOf(h.machineId ?? ''));
    expect(await machines.list('local')).toEqual([]);
    expect(leftovers().processes).toEqual([]);
  }, 300_000);
});
