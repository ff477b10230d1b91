import { type App, adminRoutes, appRoutes, authRoutes, clusterRoutes, deploymentRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, PASSWORD, signup, startTestApp } from '../../../../tests/support/app.js';
import { createApp, engineReplicas, settled, until, waitServing } from '../../../../tests/support/apps.js';
import { engine, ensureHttpImage } from '../../../../tests/support/engine.js';
import { type Platform, startPlatform } from '../../../../tests/support/workload.js';

/*
 * Desired state in Postgres, actual state on the engine, the reconcile job between them: drift made behind Wharf's
 * back is repaired within the reconcile interval; suspension scales to zero and resuming restores; a cluster whose
 * agent stops reporting is marked unreachable and its apps show it.
 */
let p: Platform;
let owner: Account;
let admin: Account;

beforeAll(async () => {
  p = await startPlatform({ reconcileIntervalMs: 2_000 });
  const image = await ensureHttpImage('v1', 'hello v1');
  owner = await signup(p.t, 'Drift Tester');
  admin = await signup(p.t, 'Pat Platform');
  await p.t.owner.query('update users set is_platform_admin = true where id = $1', [admin.user.id]);
  const session = await p.t.call(authRoutes.login, { body: { email: admin.email, password: PASSWORD } });
  admin = { ...admin, accessToken: session.body.accessToken };
  const created = await createApp(p.t, owner, { name: 'steady', image, port: 8080, replicas: 2, cpuMillis: 50, memoryMiB: 16 });
  const done = await settled(p.t, owner, 'steady', created.deployment?.id ?? '');
  expect(done.status, done.reason ?? '').toBe('live');
}, 150_000);
afterAll(async () => p?.stop(), 60_000);

async function service() {
  const [s] = await engine().listServices({
    filters: JSON.stringify({ label: [`wharf.tenant=${owner.tenant.id}`, 'wharf.app=steady'] }),
  });
  if (!s) throw new Error('no service');
  return engine().getService(s.ID);
}

const host = () => `web.steady.${owner.tenant.slug}.${p.cluster.domain}`;

describe('reconcile', () => {
  it('restores a service scaled by hand', async () => {
    const s = await service();
    const spec = (await s.inspect()) as { Version: { Index: number }; Spec: Record<string, unknown> & { Mode: unknown } };
    await s.update({ ...spec.Spec, version: spec.Version.Index, Mode: { Replicated: { Replicas: 5 } } });
    expect(await engineReplicas(owner.tenant.id, 'steady')).toEqual([5]);
    await until('replicas restored to 2', async () => (await engineReplicas(owner.tenant.id, 'steady')).join() === '2', 30_000);
  }, 60_000);

  it('recreates a service removed by hand', async () => {
    await (await service()).remove();
    await until('the service to come back', async () => (await engineReplicas(owner.tenant.id, 'steady')).join() === '2', 30_000);
    await waitServing(p.cluster.proxyPort, host(), 'hello v1', 30_000);
  }, 60_000);

  it('scales a suspended tenant to zero, refuses its deploys, and restores it on resume', async () => {
    const suspended = await p.t.call(adminRoutes.suspend, {
      params: { tenantId: owner.tenant.id },
      token: admin.accessToken,
      body: { reason: 'unpaid invoice' },
    });
    expect(suspended.status).toBe(200);
    await until('zero replicas', async () => (await engineReplicas(owner.tenant.id, 'steady')).join() === '0', 30_000);
    const refused = await p.t.call(appRoutes.scale, {
      params: { tenant: owner.tenant.id, app: 'steady' },
      token: owner.accessToken,
      body: { replicas: 3 },
    });
    expect(refused.status).toBe(403);
    // reconcile keeps it at zero
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await engineReplicas(owner.tenant.id, 'steady')).toEqual([0]);
    const resumed = await p.t.call(adminRoutes.resume, { params: { tenantId: owner.tenant.id }, token: admin.accessToken });
    expect(resumed.status).toBe(200);
    await until('replicas restored', async () => (await engineReplicas(owner.tenant.id, 'steady')).join() === '2', 30_000);
    await waitServing(p.cluster.proxyPort, host(), 'hello v1', 30_000);
  }, 90_000);

  it('enqueues again a deployment whose job never reached the queue', async () => {
    // an API whose jobs go where no worker listens: as if it had died between its commit and the enqueue
    const lost = await startTestApp({ QUEUE_PREFIX: `lost-${process.pid}` }, { database: p.t.db });
    try {
      const res = await lost.call(deploymentRoutes.create, {
        params: { tenant: owner.tenant.id, app: 'steady' },
        token: owner.accessToken,
        body: {},
      });
      expect(res.status).toBe(202);
      const done = await settled(p.t, owner, 'steady', res.body.id, 60_000);
      expect(done.status, done.reason ?? '').toBe('live');
    } finally {
      await lost.close();
    }
  }, 90_000);

  it('marks the cluster unreachable when its agent goes silent, and ready again when it is back', async () => {
    p.cluster.kill('agent');
    const clusterStatus = async () =>
      (await p.t.call<App>(appRoutes.get, { params: { tenant: owner.tenant.id, app: 'steady' }, token: owner.accessToken })).body
        .cluster.status;
    await until('unreachable', async () => (await clusterStatus()) === 'unreachable', 30_000);
    const clusters = await p.t.call(clusterRoutes.list, { params: { tenant: owner.tenant.id }, token: owner.accessToken });
    expect(clusters.body.items.find((c: { id: string }) => c.id === p.cluster.clusterId)?.status).toBe('unreachable');
    p.cluster.restart('agent');
    await until('ready again', async () => (await clusterStatus()) === 'ready', 30_000);
  }, 90_000);
});
