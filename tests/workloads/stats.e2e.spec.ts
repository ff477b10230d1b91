import { type AppStats, appRoutes, type StatsPoint, statsRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { settled, until } from '../support/apps.js';
import { ensureHttpImage } from '../support/engine.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * Service stats end to end: the real agent samples the containers of a deployed app on the local engine (every
 * 500 ms here), reports them, and the app's members read CPU and memory per service through the API.
 */
const MIB = 1_048_576;
let p: Platform;
let owner: Account;
let stranger: Account;
let image: string;

beforeAll(async () => {
  p = await startPlatform({ agentEnv: { WHARF_STATS_MS: '500' } });
  image = await ensureHttpImage('v1', 'hello v1');
  owner = await signup(p.t, 'Stats Watcher');
  stranger = await signup(p.t, 'Stats Stranger');
}, 120_000);
afterAll(async () => p?.stop(), 60_000);

const readStats = (who: Account, tenant: string, app: string) =>
  p.t.call<AppStats>(statsRoutes.app, {
    params: { tenant, app },
    token: who.accessToken,
    query: { since: new Date(Date.now() - 30_000).toISOString() },
  });

describe('stats of a running app', () => {
  it('reach the API from the agent within seconds: both tasks, their memory within their limits', async () => {
    const created = await p.t.call(appRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { name: 'watched', image, port: 8080, replicas: 2, cpuMillis: 100, memoryMiB: 32 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await settled(p.t, owner, 'watched', created.body.deployment.id);
    expect(done.status, done.reason ?? '').toBe('live');

    let last: StatsPoint | undefined;
    await until(
      'a sample of both tasks',
      async () => {
        const res = await readStats(owner, owner.tenant.slug, 'watched');
        expect(res.status).toBe(200);
        const series = res.body.services.find((s) => s.environment === 'production' && s.service === created.body.app.service);
        last = series?.points.at(-1);
        return last?.tasks === 2;
      },
      30_000,
    );
    expect(last).toMatchObject({ tasks: 2, memoryLimitBytes: 2 * 32 * MIB });
    expect(last?.memoryBytes).toBeGreaterThan(0);
    expect(last?.memoryBytes).toBeLessThan(2 * 32 * MIB);
    expect(last?.cpuPercent).toBeGreaterThanOrEqual(0);
    // busybox httpd waiting for requests: far below the 0.1 core it may use
    expect(last?.cpuPercent).toBeLessThan(50);

    // another tenant is told the app does not exist (the owner's reads above are the positive control)
    const foreign = await readStats(stranger, owner.tenant.id, created.body.app.id);
    expect(foreign.status).toBe(404);
  }, 180_000);
});
