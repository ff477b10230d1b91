import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type App, type Host, hostRoutes } from '@wharf/contracts';
import { type LocalDatacenters, localDatacenters } from '@wharf/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../support/app.js';
import { createApp, hostOf, settled } from '../support/apps.js';
import { ensureHttpImage, REGISTRY } from '../support/engine.js';
import { bridgeUp, ip, type RunNetwork, runNetwork } from '../support/local-network.js';
import { type RegistryRelay, relayRegistry } from '../support/registry-relay.js';

/*
 * Two datacenters of the `local` provider, each a bridge of its own with no route between them, both isolated: this
 * machine (the control plane) opens no connection into either. A tenant has a dedicated cluster in each, one host
 * per cluster; an app deployed to each runs and answers at its URL inside its datacenter — everything the control
 * plane did to get there went through the hosts' agents, which dialled out to the API. Then: the control plane
 * cannot connect to a host, a datacenter cannot reach the other, the hosts are removed and nothing is left.
 * Needs root, iproute2, iptables, dockerd, caddy.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const RUN = process.env.WHARF_TEST_RUN ?? `p${process.pid}`;

interface Datacenter extends RunNetwork {
  region: string;
  registry?: RegistryRelay;
  cluster: string;
  host?: Host;
  app?: App;
}

const dcs: Datacenter[] = [];
const spare = runNetwork('dc-default', 'dz');
let t: TestApp;
let owner: Account;
let apiRelay: RegistryRelay | undefined;
let worker: ChildProcess | undefined;
let machines: LocalDatacenters | undefined;

async function until<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const hostParams = (dc: Datacenter, hostId?: string) => ({
  tenant: owner.tenant.id,
  clusterId: dc.cluster,
  ...(hostId ? { hostId } : {}),
});
const getHost = async (dc: Datacenter, id: string) =>
  (await t.call<Host>(hostRoutes.get, { params: hostParams(dc, id), token: owner.accessToken })).body;
const inState = (dc: Datacenter, id: string, state: Host['state'], ms: number) =>
  until(
    async () => {
      const h = await getHost(dc, id);
      if (h.state === 'failed') throw new Error(`host ${h.name} failed: ${h.failure}`);
      return h.state === state ? h : undefined;
    },
    ms,
    `host ${id} ${state}`,
  );
const netnsOf = (h: Host) => `wharf-${(h.machineId ?? '').slice('local-'.length)}`;

/** An HTTP GET run inside a machine's network namespace (a client in that datacenter): the body, or the failure. */
function curlFrom(netns: string, address: string, hostHeader: string): string {
  try {
    return execFileSync(
      'nsenter',
      [`--net=/var/run/netns/${netns}`, 'curl', '-sS', '--max-time', '5', '-H', `Host: ${hostHeader}`, `http://${address}/`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  } catch (err) {
    return `failed: ${String((err as { stderr?: unknown }).stderr ?? err).trim()}`;
  }
}

/** Whether this machine (the control plane) can open a TCP connection to `address:port`. */
function connects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  const a = runNetwork('dc-a', 'da');
  bridgeUp(a.bridge, a.gateway);
  const b = runNetwork('dc-b', 'db'); // after a's bridge exists: its subnet is taken
  bridgeUp(b.bridge, b.gateway);
  dcs.push({ ...a, region: 'dc-a', cluster: '' }, { ...b, region: 'dc-b', cluster: '' });
  const datacenters = JSON.stringify(
    dcs.map((dc) => ({
      region: dc.region,
      bridge: dc.bridge,
      subnet: dc.subnet,
      registry: `${dc.gateway}:5000`,
      isolated: true,
      stateDir: dc.stateDir,
    })),
  );
  const prefix = `wharf-dcs-${RUN}-${Date.now().toString(36)}`;
  t = await startTestApp(
    { QUEUE_PREFIX: prefix, AGENT_HEARTBEAT_MS: '1000', HOSTS_LOCAL_DATACENTERS: datacenters },
    { listen: true },
  );
  // the agents of both datacenters dial the API through one relay on dc-a's gateway: an address of this machine,
  // which dc-b's hosts reach through their own gateway (delivered here, never routed into dc-a)
  const apiPort = 30_000 + (a.hash.readUInt16BE(2) % 5_000);
  apiRelay = await relayRegistry(a.gateway, apiPort, new URL(t.url).host);
  for (const dc of dcs) dc.registry = await relayRegistry(dc.gateway, 5000);
  const base = { stateDir: spare.stateDir, bridge: spare.bridge, subnet: spare.subnet };
  machines = localDatacenters(
    base,
    dcs.map((dc) => ({ region: dc.region, bridge: dc.bridge, subnet: dc.subnet, isolated: true, stateDir: dc.stateDir })),
  );
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
      HOSTS_AGENT_API_URL: `http://${a.gateway}:${apiPort}`,
      HOSTS_LOCAL_STATE_DIR: spare.stateDir,
      HOSTS_LOCAL_BRIDGE: spare.bridge,
      HOSTS_LOCAL_SUBNET: spare.subnet,
      HOSTS_LOCAL_DATACENTERS: datacenters,
      HOSTS_BOOT_TIMEOUT_MS: '60000',
      HOSTS_BOOTSTRAP_TIMEOUT_MS: '120000',
      HOSTS_DRAIN_TIMEOUT_MS: '60000',
    },
  });
  owner = await signup(t, 'Datacenters Owner');
  await t.owner.query(`update tenants set plan_id = 'team' where id = $1`, [owner.tenant.id]);
  for (const dc of dcs) {
    const c = await t.owner.query<{ id: string }>(
      `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, $2, 'dedicated', $3, 80) returning id`,
      [owner.tenant.id, dc.region, `${dc.region}.example.test`],
    );
    dc.cluster = c.rows[0]?.id ?? '';
  }
}, 120_000);

afterAll(async () => {
  try {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker?.once('exit', r));
      worker.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
    await apiRelay?.close();
    for (const dc of dcs) await dc.registry?.close();
    await machines?.destroyAll();
    const rules = execFileSync('iptables', ['-S'], { encoding: 'utf8' });
    for (const dc of dcs) {
      if (existsSync(`/sys/class/net/${dc.bridge}`)) ip('link', 'del', dc.bridge);
      expect(rules).not.toContain(dc.bridge);
    }
  } finally {
    for (const dir of [spare.stateDir, ...dcs.map((dc) => dc.stateDir)]) rmSync(dir, { recursive: true, force: true });
    await t?.close();
  }
}, 120_000);

describe('two datacenters the control plane cannot dial into', () => {
  it('a host in each becomes ready through its agent alone', async () => {
    for (const dc of dcs) {
      const res = await t.call<Host>(hostRoutes.create, {
        params: hostParams(dc),
        token: owner.accessToken,
        body: { provider: 'local', region: dc.region, instanceType: 'local.small', name: `${dc.region}-1` },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      dc.host = res.body;
    }
    for (const dc of dcs) {
      dc.host = await inState(dc, dc.host?.id ?? '', 'ready', 180_000);
      // the host's address is in its datacenter's subnet
      expect(dc.host.privateIp?.startsWith(dc.subnet.replace(/0\/24$/, ''))).toBe(true);
    }
  }, 300_000);

  it('a host is admitted only to a cluster whose hosts are in the same datacenter', async () => {
    const [east, west] = dcs as [Datacenter, Datacenter];
    const res = await t.call(hostRoutes.create, {
      params: hostParams(east),
      token: owner.accessToken,
      body: { provider: 'local', region: west.region, instanceType: 'local.small', name: 'astray' },
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain(east.region);
  });

  it('each datacenter runs its app, which answers at its URL inside the datacenter', async () => {
    for (const dc of dcs) {
      const image = (await ensureHttpImage()).replace(REGISTRY, `${dc.gateway}:5000`);
      const created = await createApp(t, owner, { name: `app-${dc.region}`, image, port: 8080, cluster: dc.cluster });
      expect((await settled(t, owner, created.app.id, created.deployment?.id ?? '', 120_000)).status).toBe('live');
      dc.app = created.app;
    }
    for (const dc of dcs) {
      const host = dc.host as Host;
      const app = dc.app as App;
      await until(
        async () => (curlFrom(netnsOf(host), host.privateIp ?? '', hostOf(app)) === 'v1' ? true : undefined),
        30_000,
        `${app.name} answering in ${dc.region}`,
      );
    }
  }, 300_000);

  it('the control plane cannot connect to a host, and neither datacenter reaches the other', async () => {
    const [east, west] = dcs as [Datacenter, Datacenter];
    const [eastHost, westHost] = [east.host as Host, west.host as Host];
    for (const h of [eastHost, westHost]) expect(await connects(h.privateIp ?? '', 80)).toBe(false);
    expect(curlFrom(netnsOf(eastHost), westHost.privateIp ?? '', hostOf(west.app as App))).toMatch(/^failed/);
    expect(curlFrom(netnsOf(westHost), eastHost.privateIp ?? '', hostOf(east.app as App))).toMatch(/^failed/);
    // the positive control: inside its own datacenter, the same request is answered
    expect(curlFrom(netnsOf(westHost), westHost.privateIp ?? '', hostOf(west.app as App))).toBe('v1');
  });

  it('removing the hosts leaves nothing of them', async () => {
    for (const dc of dcs) {
      const res = await t.call<Host>(hostRoutes.remove, { params: hostParams(dc, dc.host?.id), token: owner.accessToken });
      expect(res.status).toBe(202);
    }
    for (const dc of dcs) {
      const gone = await inState(dc, dc.host?.id ?? '', 'terminated', 120_000);
      expect(ip('netns', 'list')).not.toContain(netnsOf(gone));
      expect(await machines?.list(dc.region)).toEqual([]);
    }
  }, 300_000);
});
