import { appRoutes, tenantRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { settled, until } from '../support/apps.js';
import { engine, ensureHttpImage } from '../support/engine.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * Quota is admission: 20 concurrent creates that together exceed the tenant's CPU quota → exactly the admissible
 * ones succeed, and what the engine runs afterwards adds up to the usage Wharf reports.
 */
let p: Platform;
let owner: Account;
let image: string;

beforeAll(async () => {
  p = await startPlatform();
  image = await ensureHttpImage('v1', 'hello v1');
  owner = await signup(p.t, 'Quota Tester');
  await p.t.owner.query(
    `insert into tenant_quota_overrides (tenant_id, quota_key, limit_value)
     values ($1, 'services', 100), ($1, 'cpuMillis', 1000), ($1, 'concurrentDeploys', 5)`,
    [owner.tenant.id],
  );
}, 120_000);
afterAll(async () => p?.stop(), 60_000);

describe('CPU quota under a race, checked against the engine', () => {
  it('admits exactly 5 of 20 concurrent 200-millicore apps, and the engine runs exactly those', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        p.t.call(appRoutes.create, {
          params: { tenant: owner.tenant.id },
          token: owner.accessToken,
          body: { name: `q${i}`, image, port: 8080, cpuMillis: 200, memoryMiB: 16 },
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 403);
    expect(created).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.body).toMatchObject({ type: expect.stringMatching(/quota-exceeded$/), limit: 1000 });
    for (const r of created) {
      const done = await settled(p.t, owner, r.body.app.name, r.body.deployment.id);
      expect(done.status, done.reason ?? '').toBe('live');
    }
    const usage = await p.t.call(tenantRoutes.usage, { params: { tenant: owner.tenant.id }, token: owner.accessToken });
    const cpu = usage.body.quotas.find((q: { key: string }) => q.key === 'cpuMillis');
    expect(cpu.used).toBe(1000);
    // what the engine runs for this tenant: CPU limit × replicas of every service
    await until('the engine to match', async () => {
      const services = await engine().listServices({ filters: JSON.stringify({ label: [`wharf.tenant=${owner.tenant.id}`] }) });
      const millis = services.reduce(
        (sum, s) =>
          sum +
          (((s.Spec?.TaskTemplate as { Resources?: { Limits?: { NanoCPUs?: number } } })?.Resources?.Limits?.NanoCPUs ?? 0) /
            1e6) *
            (s.Spec?.Mode?.Replicated?.Replicas ?? 0),
        0,
      );
      return services.length === 5 && millis === cpu.used;
    });
  }, 180_000);
});
