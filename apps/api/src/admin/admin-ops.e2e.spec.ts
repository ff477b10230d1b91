import { randomBytes, randomUUID } from 'node:crypto';
import { type AdminClusterHealth, type AdminQueue, adminClusterRoutes, adminRoutes, agentRoutes } from '@wharf/contracts';
import { type JobQueues, readQueueStats } from '@wharf/queue';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ENGINE, FAKE_HEARTBEAT } from '../../../../tests/support/agents.js';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { CONFIG, type Config } from '../config.js';
import { QUEUES, REDIS } from '../core/tokens.js';
import { apiToken, expectProblem, insertApp, platformAdmin } from '../security/fixtures.js';

/*
 * The admin's operations views against the real Redis and Postgres: jobs enqueued for two tenants on a queue prefix
 * of this file's own, counted per queue and per tenant; clusters with a registered agent and its heartbeats.
 */

let t: TestApp;
let admin: Account;
let alpha: Account;
let beta: Account;
let queues: JobQueues;
/** For the BullMQ worker that runs and fails jobs (blocking commands need their own connection). */
let workerRedis: Redis;

beforeAll(async () => {
  t = await startTestApp({ QUEUE_PREFIX: `wharf-ops-test-${randomBytes(4).toString('hex')}` });
  admin = await platformAdmin(t);
  alpha = await signup(t, 'Alpha Ops');
  beta = await signup(t, 'Beta Ops');
  queues = t.app.get<JobQueues>(QUEUES);
  workerRedis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await queues?.obliterate();
  workerRedis?.disconnect();
  await t?.close();
});

const listQueues = (token = admin.accessToken) =>
  t.call<{ items: AdminQueue[]; scanLimit: number }>(adminRoutes.listQueues, { token });
const clusterHealth = (token = admin.accessToken) =>
  t.call<{ items: AdminClusterHealth[]; staleAfterMs: number }>(adminRoutes.clusterHealth, { token });
const queueNamed = (items: AdminQueue[], name: string) => items.find((q) => q.name === name);

/** Polls the queues view until `ready` holds of it (the worker's jobs change state on their own time). */
async function queuesWhen(ready: (items: AdminQueue[]) => boolean): Promise<AdminQueue[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await listQueues();
    expect(res.status).toBe(200);
    if (ready(res.body.items)) return res.body.items;
    if (Date.now() > deadline) throw new Error(`queues never got there: ${JSON.stringify(res.body.items)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('admin: queues', () => {
  it('counts every queue by state and by tenant, names the tenants and dates the oldest waiting job', async () => {
    const enqueuedAt = Date.now();
    for (let i = 0; i < 3; i++) await queues.enqueue('deploy.run', { tenantId: alpha.tenant.id, deploymentId: randomUUID() });
    await queues.enqueue('deploy.run', { tenantId: beta.tenant.id, deploymentId: randomUUID() });
    await queues.enqueue('build.run', { tenantId: beta.tenant.id, buildId: randomUUID(), region: 'global' });
    await queues.enqueue('reconcile.sweep', {});

    const res = await listQueues();
    expect(res.status).toBe(200);
    expect(res.body.scanLimit).toBe(5_000);
    expect(res.body.items.map((q) => q.name)).toEqual(['deploy', 'reconcile', 'build-global', 'build-cn', 'host']);
    const deploy = queueNamed(res.body.items, 'deploy');
    expect(deploy).toMatchObject({
      paused: false,
      counts: { waiting: 4, active: 0, delayed: 0, failed: 0, completed: 0 },
      platform: { waiting: 0, active: 0, failed: 0 },
      truncated: false,
      byTenant: [
        { tenant: { id: alpha.tenant.id, slug: alpha.tenant.slug, name: alpha.tenant.name }, waiting: 3, active: 0, failed: 0 },
        { tenant: { id: beta.tenant.id, slug: beta.tenant.slug, name: beta.tenant.name }, waiting: 1, active: 0, failed: 0 },
      ],
    });
    expect(Date.parse(deploy?.oldestWaitingAt ?? '')).toBeGreaterThanOrEqual(enqueuedAt - 1_000);
    expect(deploy?.oldestWaitingAgeMs).toBeGreaterThanOrEqual(0);
    expect(queueNamed(res.body.items, 'build-global')).toMatchObject({
      counts: { waiting: 1 },
      byTenant: [{ tenant: { id: beta.tenant.id }, waiting: 1 }],
    });
    expect(queueNamed(res.body.items, 'reconcile')).toMatchObject({
      counts: { waiting: 1 },
      byTenant: [],
      platform: { waiting: 1, active: 0, failed: 0 },
    });
    expect(queueNamed(res.body.items, 'build-cn')).toMatchObject({
      counts: { waiting: 0, active: 0, delayed: 0, failed: 0 },
      byTenant: [],
      oldestWaitingAt: null,
      oldestWaitingAgeMs: null,
    });
  });

  it('counts active and failed jobs per tenant as a worker runs them', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // alpha's job fails at once (one attempt), beta's stays active until released
    const worker = new Worker(
      'host',
      async (job: Job<{ tenantId: string }>) => {
        if (job.data.tenantId === alpha.tenant.id) throw new Error('machine refused');
        await held;
      },
      { connection: workerRedis, prefix: t.app.get<Config>(CONFIG).QUEUE_PREFIX, concurrency: 2 },
    );
    try {
      const host = queues.queue('host');
      await host.add('host.provision', { tenantId: alpha.tenant.id, hostId: randomUUID() }, { attempts: 1 });
      await host.add('host.provision', { tenantId: beta.tenant.id, hostId: randomUUID() }, { attempts: 1 });
      const items = await queuesWhen((qs) => {
        const q = queueNamed(qs, 'host');
        return q?.counts.failed === 1 && q.counts.active === 1;
      });
      const byTenant = queueNamed(items, 'host')?.byTenant ?? [];
      expect(byTenant).toHaveLength(2);
      expect(byTenant).toContainEqual(
        expect.objectContaining({ tenant: expect.objectContaining({ id: alpha.tenant.id }), failed: 1, active: 0 }),
      );
      expect(byTenant).toContainEqual(
        expect.objectContaining({ tenant: expect.objectContaining({ id: beta.tenant.id }), failed: 0, active: 1 }),
      );
    } finally {
      release();
      await worker.close();
    }
  });

  it('reads at most the limit of jobs of a state and says so', async () => {
    const redis = t.app.get<Redis>(REDIS);
    const stats = await readQueueStats(queues, redis, 'deploy', 2);
    expect(stats.counts.waiting).toBe(4);
    expect(stats.truncated).toBe(true);
    const read = [...stats.byTenant.values()].reduce((sum, c) => sum + c.waiting, 0);
    expect(read).toBe(2);
    expect((await readQueueStats(queues, redis, 'deploy', 4)).truncated).toBe(false);
  });

  it('answers a job whose tenant no longer exists with its id only', async () => {
    const gone = randomUUID();
    await queues.enqueue('host.deprovision', { tenantId: gone, hostId: randomUUID() });
    const host = queueNamed((await listQueues()).body.items, 'host');
    expect(host?.byTenant).toContainEqual({ tenant: { id: gone, slug: null, name: null }, waiting: 1, active: 0, failed: 0 });
  });
});

describe('admin: cluster health', () => {
  it('lists every cluster with its owner, agents, nodes, hosts, services and health', async () => {
    const name = `ops-${randomBytes(3).toString('hex')}`;
    const created = await t.call(adminClusterRoutes.create, {
      token: admin.accessToken,
      body: { name, domain: `${name}.example.test`, proxyPort: 8443 },
    });
    expect(created.status).toBe(201);
    const clusterId: string = created.body.cluster.id;
    const silent = await t.call(adminClusterRoutes.create, {
      token: admin.accessToken,
      body: { name: `${name}-d`, domain: `${name}-d.example.test`, proxyPort: 8443, tenantId: alpha.tenant.id },
    });
    const silentId: string = silent.body.cluster.id;

    // before its agent registers the cluster is down: nothing was ever heard from it
    const before = (await clusterHealth()).body.items.find((c) => c.id === clusterId);
    expect(before).toMatchObject({ health: 'down', reasons: ['no-agent', 'never-connected'], agents: [] });

    const registered = await t.call(agentRoutes.register, {
      body: { joinToken: created.body.joinToken, name: 'ops-agent', engine: FAKE_ENGINE },
    });
    expect(registered.status).toBe(201);
    expect((await t.call(agentRoutes.heartbeat, { token: registered.body.credential, body: FAKE_HEARTBEAT })).status).toBe(200);
    await insertApp(t.owner, alpha.tenant.id, clusterId, { slug: `web-${name}` });
    await insertApp(t.owner, beta.tenant.id, clusterId, { slug: `api-${name}` });

    const res = await clusterHealth();
    expect(res.status).toBe(200);
    expect(res.body.staleAfterMs).toBeGreaterThanOrEqual(15_000);
    const cluster = res.body.items.find((c) => c.id === clusterId);
    expect(cluster).toMatchObject({
      name,
      kind: 'shared',
      owner: null,
      status: 'ready',
      health: 'healthy',
      reasons: [],
      agents: [{ id: registered.body.agentId, name: 'ops-agent', kind: 'cluster', version: '0.1.0-test', link: 'connected' }],
      revokedAgents: 0,
      nodes: { total: 1, ready: 1, managers: 1, readyManagers: 1 },
      apps: 2,
      services: 2,
    });
    expect(cluster?.heartbeatAgeMs).toBeLessThan(res.body.staleAfterMs);
    expect(res.body.items.find((c) => c.id === silentId)).toMatchObject({
      kind: 'dedicated',
      owner: { id: alpha.tenant.id, slug: alpha.tenant.slug, name: alpha.tenant.name },
      health: 'down',
      hosts: { ready: 0, failed: 0 },
    });

    // silent for longer than the stale limit: down, and its agent stale
    await t.owner.query(`update clusters set last_heartbeat_at = now() - interval '1 hour' where id = $1`, [clusterId]);
    await t.owner.query(`update agents set last_seen_at = now() - interval '1 hour' where cluster_id = $1`, [clusterId]);
    const stale = (await clusterHealth()).body.items.find((c) => c.id === clusterId);
    expect(stale).toMatchObject({ health: 'down', reasons: ['heartbeat-stale'], agents: [{ link: 'stale' }] });
    expect(stale?.heartbeatAgeMs).toBeGreaterThan(3_500_000);
  });
});

describe('admin: operations views are for platform admins', () => {
  it('refuses non-admins and API tokens (403); the admin is answered (positive control)', async () => {
    const adminToken = await apiToken(t, admin, admin.tenant.id);
    for (const route of [adminRoutes.listQueues, adminRoutes.clusterHealth]) {
      for (const token of [alpha.accessToken, adminToken]) expectProblem(await t.call(route, { token }), 403, 'forbidden');
      expectProblem(await t.call(route), 401, 'unauthenticated');
      expect((await t.call(route, { token: admin.accessToken })).status).toBe(200);
    }
  });

  it('refuses unknown query parameters with a problem naming them', async () => {
    for (const route of [adminRoutes.listQueues, adminRoutes.clusterHealth]) {
      const res = await t.call(route, { token: admin.accessToken, query: { limit: 5 } });
      const problem = expectProblem(res, 400, 'validation');
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'query', code: 'unexpected' })]);
    }
  });
});
