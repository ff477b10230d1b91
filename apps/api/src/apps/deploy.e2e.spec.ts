import { type App, appRoutes, type Deployment, deploymentRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import {
  createApp,
  deploy,
  engineReplicas,
  hammer,
  hostOf,
  settled,
  tcpCheck,
  until,
  viaProxy,
  waitServing,
} from '../../../../tests/support/apps.js';
import { engine, ensureHttpImage, REGISTRY } from '../../../../tests/support/engine.js';
import { startWorkload, type Workload } from '../../../../tests/support/workload.js';

/*
 * The whole path on the real engine: API → Postgres → BullMQ → worker → agent command → Swarm → Caddy → the app.
 */
const prefix = `wharf-deploy-${process.pid}`;
let t: TestApp;
let cluster: Workload;
let owner: Account;
let v1: string;
let v2: string;

beforeAll(async () => {
  t = await startTestApp({ QUEUE_PREFIX: prefix, AGENT_HEARTBEAT_MS: '1000' }, { listen: true });
  cluster = await startWorkload({ apiUrl: t.url, databaseUrl: t.db.appUrl, queuePrefix: prefix });
  [v1, v2] = await Promise.all([ensureHttpImage('v1', 'hello v1'), ensureHttpImage('v2', 'hello v2')]);
  owner = await signup(t, 'Deployer');
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  await t?.close();
}, 60_000);

async function current(id: string): Promise<Deployment> {
  const res = await t.call<Deployment>(deploymentRoutes.get, {
    params: { tenant: owner.tenant.id, app: 'hello', deploymentId: id },
    token: owner.accessToken,
  });
  return res.body;
}

async function getApp(name: string): Promise<App> {
  const res = await t.call<App>(appRoutes.get, { params: { tenant: owner.tenant.id, app: name }, token: owner.accessToken });
  expect(res.status).toBe(200);
  return res.body;
}

describe('apps from an image, deployed onto Swarm', () => {
  let app: App;

  it('deploys a tiny HTTP image from the registry and serves it at its URL', async () => {
    const created = await createApp(t, owner, { name: 'hello', image: v1, port: 8080, cpuMillis: 100, memoryMiB: 32 });
    expect(created.deployment?.status).toBe('queued');
    expect(created.app.url).toBe(`http://web.hello.${owner.tenant.slug}.${cluster.domain}:${cluster.proxyPort}`);
    const done = await settled(t, owner, 'hello', created.deployment?.id ?? '');
    expect(done.status, done.reason ?? '').toBe('live');
    app = await getApp('hello');
    expect(app.status).toBe('running');
    await waitServing(cluster.proxyPort, hostOf(app), 'hello v1');
    // an unknown host is not routed anywhere
    expect((await viaProxy(cluster.proxyPort, `web.nope.${owner.tenant.slug}.${cluster.domain}`)).status).toBe(404);
  }, 120_000);

  it('scales 1 → 3 → 1', async () => {
    for (const replicas of [3, 1]) {
      const res = await t.call(appRoutes.scale, {
        params: { tenant: owner.tenant.id, app: 'hello' },
        token: owner.accessToken,
        body: { replicas },
      });
      expect(res.status).toBe(200);
      expect(res.body.replicas).toBe(replicas);
      await until(
        `${replicas} replicas on the engine`,
        async () => (await engineReplicas(owner.tenant.id, app.name)).join() === String(replicas),
      );
      await until(`${replicas} running replicas reported`, async () => (await getApp('hello')).actual.running === replicas);
    }
  }, 90_000);

  it('rolls out a new image with no failed request while a client hammers the URL', async () => {
    const patched = await t.call(appRoutes.update, {
      params: { tenant: owner.tenant.id, app: 'hello' },
      token: owner.accessToken,
      body: { image: v2 },
    });
    expect(patched.status).toBe(200);
    const load = hammer(cluster.proxyPort, hostOf(app));
    const d = await deploy(t, owner, 'hello');
    const done = await settled(t, owner, 'hello', d.id);
    await waitServing(cluster.proxyPort, hostOf(app), 'hello v2');
    const { total, failures, bodies } = await load.stop();
    console.log(`rolling update: ${total} requests, ${failures.length} failed`, Object.fromEntries(bodies));
    expect(done.status, done.reason ?? '').toBe('live');
    expect(failures).toEqual([]);
    expect(bodies.get('hello v2')).toBeGreaterThan(0);
  }, 120_000);

  it('rolls back a broken image, and the old version keeps serving throughout', async () => {
    await t.call(appRoutes.update, {
      params: { tenant: owner.tenant.id, app: 'hello' },
      token: owner.accessToken,
      body: { image: `${REGISTRY}/wharf-test/does-not-exist:nope` },
    });
    const load = hammer(cluster.proxyPort, hostOf(app));
    const d = await deploy(t, owner, 'hello');
    const done = await settled(t, owner, 'hello', d.id);
    const { total, failures, bodies } = await load.stop();
    console.log(`broken image: ${total} requests, ${failures.length} failed`);
    expect(done.status, done.reason ?? '').toBe('rolled_back');
    expect(done.reason).toBeTruthy();
    expect(failures).toEqual([]);
    expect([...bodies.keys()]).toEqual(['hello v2']);
    expect((await getApp('hello')).status).toBe('running');
  }, 120_000);

  it('rolls back an update whose health check fails, and the old version keeps serving throughout', async () => {
    await t.call(appRoutes.update, {
      params: { tenant: owner.tenant.id, app: 'hello' },
      token: owner.accessToken,
      // nothing listens on port 9: the new task never becomes healthy
      body: { image: v1, healthcheck: tcpCheck(9, 1) },
    });
    const serving = (await viaProxy(cluster.proxyPort, hostOf(app))).body.trim();
    const load = hammer(cluster.proxyPort, hostOf(app));
    const d = await deploy(t, owner, 'hello');
    const done = await settled(t, owner, 'hello', d.id);
    const { total, failures, bodies } = await load.stop();
    console.log(`failing health check: ${total} requests, ${failures.length} failed`);
    expect(done.status, done.reason ?? '').toBe('rolled_back');
    expect(failures).toEqual([]);
    expect([...bodies.keys()]).toEqual([serving]);
    // the deployment's log (replayed over SSE) tells the story: the agent's steps and the engine's events
    const log = await t.call(deploymentRoutes.events, {
      params: { tenant: owner.tenant.id, app: 'hello', deploymentId: d.id },
      token: owner.accessToken,
    });
    const messages = String(log.body)
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as { message?: string })
      .flatMap((e) => (e.message === undefined ? [] : [e.message]));
    expect(messages[0]).toBe('queued');
    expect(messages.some((m) => m.startsWith('engine: '))).toBe(true);
    expect(messages.at(-1)).toMatch(/^rolled_back: /);
  }, 120_000);

  it('rolls back to an earlier revision on request', async () => {
    const list = await t.call<{ items: Deployment[] }>(deploymentRoutes.list, {
      params: { tenant: owner.tenant.id, app: 'hello' },
      token: owner.accessToken,
    });
    const revision1 = list.body.items.find((d) => d.revision === 1);
    if (!revision1) throw new Error('no revision 1');
    const d = await deploy(t, owner, 'hello', { rollbackTo: revision1.id });
    expect(d.rollbackOf).toBe(revision1.id);
    const done = await settled(t, owner, 'hello', d.id);
    expect(done.status, done.reason ?? '').toBe('live');
    expect(done.image).toBe(v1);
    await waitServing(cluster.proxyPort, hostOf(app), 'hello v1');
  }, 120_000);

  it('cancels a rollout in progress: the previous revision keeps serving', async () => {
    // a slow health check keeps the new task starting for a few seconds: a window to cancel in
    await t.call(appRoutes.update, {
      params: { tenant: owner.tenant.id, app: 'hello' },
      token: owner.accessToken,
      body: { image: v2, healthcheck: tcpCheck(8080, 3) },
    });
    const d = await deploy(t, owner, 'hello');
    await until('rolling out', async () => (await current(d.id)).status === 'rolling_out');
    const res = await t.call(deploymentRoutes.cancel, {
      params: { tenant: owner.tenant.id, app: 'hello', deploymentId: d.id },
      token: owner.accessToken,
    });
    expect(res.status).toBe(202);
    const done = await settled(t, owner, 'hello', d.id);
    expect(done.status, done.reason ?? '').toBe('cancelled');
    await waitServing(cluster.proxyPort, hostOf(app), 'hello v1');
    const again = await t.call(deploymentRoutes.cancel, {
      params: { tenant: owner.tenant.id, app: 'hello', deploymentId: d.id },
      token: owner.accessToken,
    });
    expect(again.status).toBe(409);
  }, 120_000);

  it('streams the logs of every replica, with timestamps, over SSE', async () => {
    const created = await createApp(t, owner, {
      name: 'chatty',
      image: v1,
      port: 8080,
      replicas: 2,
      cpuMillis: 50,
      memoryMiB: 16,
      // busybox httpd logs each request with -v
      command: ['httpd', '-f', '-v', '-p', '8080', '-h', '/www'],
    });
    expect((await settled(t, owner, 'chatty', created.deployment?.id ?? '')).status).toBe('live');
    await until('lines from both replicas', async () => {
      // requests through the proxy, round-robin over the replicas, each logged by the replica that served it
      for (let i = 0; i < 4; i++) await viaProxy(cluster.proxyPort, hostOf(created.app));
      const res = await t.call(appRoutes.logs, {
        params: { tenant: owner.tenant.id, app: 'chatty', service: 'web' },
        token: owner.accessToken,
        query: { follow: 'false', tail: 50 },
      });
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/^text\/event-stream/);
      const lines = String(res.body)
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JSON.parse(l.slice(6)) as { at?: number; source?: string; line?: string })
        .filter((l) => l.line !== undefined);
      expect(lines.every((l) => typeof l.at === 'number' && l.at > Date.now() - 600_000)).toBe(true);
      return new Set(lines.map((l) => l.source)).size === 2;
    });
    // another tenant cannot read them
    const stranger = await signup(t, 'Stranger');
    const res = await t.call(appRoutes.logs, {
      params: { tenant: owner.tenant.id, app: 'chatty', service: 'web' },
      token: stranger.accessToken,
    });
    expect(res.status).toBe(404);
  }, 120_000);

  it('deletes an app: every engine object goes, and its quota is released', async () => {
    const res = await t.call(appRoutes.remove, { params: { tenant: owner.tenant.id, app: 'hello' }, token: owner.accessToken });
    expect(res.status).toBe(204);
    await until('the service removed', async () => (await engineReplicas(owner.tenant.id, app.name)).length === 0);
    const filters = JSON.stringify({ label: [`wharf.tenant=${owner.tenant.id}`, 'wharf.app=hello'] });
    await until('networks and secrets removed', async () => {
      const [n, s] = await Promise.all([engine().listNetworks({ filters }), engine().listSecrets({ filters })]);
      return n.length === 0 && s.length === 0;
    });
    const gone = await t.call(appRoutes.get, { params: { tenant: owner.tenant.id, app: 'hello' }, token: owner.accessToken });
    expect(gone.status).toBe(404);
  }, 60_000);
});
