import { type Deployment, deploymentRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { createApp, deploy, settled } from '../support/apps.js';
import { ensureHttpImage } from '../support/engine.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * Fairness: tenant A queues 30 deploys, then tenant B queues one. A's deploys run within A's concurrent-deploy quota,
 * and B's is taken before A's queue (priority by the tenant's depth at enqueue time): B is live before A's 5th.
 */
let p: Platform;
let a: Account;
let b: Account;
let image: string;

beforeAll(async () => {
  p = await startPlatform();
  image = await ensureHttpImage('v1', 'hello v1');
  [a, b] = [await signup(p.t, 'Busy A'), await signup(p.t, 'Quiet B')];
  await p.t.owner.query(
    `insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'services', 40), ($1, 'cpuMillis', 40000)`,
    [a.tenant.id],
  );
}, 120_000);
afterAll(async () => p?.stop(), 90_000);

describe('fairness between tenants', () => {
  it("runs B's single deploy before A's fifth of thirty", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `a${i}`);
    for (const name of names) await createApp(p.t, a, { name, image, port: 8080, cpuMillis: 10, memoryMiB: 8, deploy: false });
    const aDeploys: { app: string; id: string }[] = [];
    for (const name of names) aDeploys.push({ app: name, id: (await deploy(p.t, a, name)).id });
    const bApp = await createApp(p.t, b, { name: 'bee', image, port: 8080, cpuMillis: 10, memoryMiB: 8 });
    const bDone = await settled(p.t, b, 'bee', bApp.deployment?.id ?? '', 120_000);
    expect(bDone.status, bDone.reason ?? '').toBe('live');

    const aNow = await Promise.all(
      aDeploys.map(async (d) => {
        const res = await p.t.call<Deployment>(deploymentRoutes.get, {
          params: { tenant: a.tenant.id, app: d.app, deploymentId: d.id },
          token: a.accessToken,
        });
        return res.body;
      }),
    );
    const aLiveBefore = aNow.filter((d) => d.finishedAt && d.finishedAt < (bDone.finishedAt ?? '')).length;
    console.log(`B live after ${aLiveBefore} of A's 30 deploys finished`);
    expect(aLiveBefore).toBeLessThan(5);
    // A's deploys stay within A's concurrent-deploy quota (free plan: 1)
    const active = aNow.filter((d) => d.status === 'preparing' || d.status === 'rolling_out');
    expect(active.length).toBeLessThanOrEqual(1);
    // the rest of A's queue can be called off: each ends live or cancelled, none is left hanging
    for (const d of aDeploys) {
      await p.t.call(deploymentRoutes.cancel, {
        params: { tenant: a.tenant.id, app: d.app, deploymentId: d.id },
        token: a.accessToken,
      });
    }
    for (const d of aDeploys) expect(['live', 'cancelled']).toContain((await settled(p.t, a, d.app, d.id, 120_000)).status);
  }, 300_000);
});
