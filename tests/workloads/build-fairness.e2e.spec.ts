import { type App, adminRoutes, appRoutes, type Build, buildRoutes } from '@wharf/contracts';
import { JobQueues } from '@wharf/queue';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAdmin } from '../../apps/api/src/security/fixtures.js';
import { type Account, signup } from '../support/app.js';
import { buildSettled } from '../support/builds.js';
import { type GitServer, startGitServer } from '../support/git-server.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * Fairness between tenants on the builders: a tenant that queues thirty builds runs at most its concurrent-build
 * limit at once, and another tenant's first build starts while the first one's backlog is still being worked
 * through (its job takes priority 1, theirs 2…30). The builder runs three builds at once, so what holds the first
 * tenant back is its own limit (2, an admin's quota override), not the builder.
 */
const LIMIT = 2;
const BURST = 30;
/** Quick but not instant builds, each a cache miss: the COPY differs per commit, so the RUN after it runs. */
const dockerfile = (sleep: number) =>
  `FROM 127.0.0.1:5000/wharf/base/static:1\nCOPY stamp.txt /www/index.html\nRUN sleep ${sleep}\n`;

let p: Platform;
let git: GitServer;

beforeAll(async () => {
  [p, git] = await Promise.all([
    startPlatform({ workerEnv: { BUILD_CONCURRENCY: '3', BUILD_REGIONS: 'global' } }),
    startGitServer(),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([p?.stop(), git?.close()]);
}, 60_000);

async function createSourceApp(who: Account, name: string): Promise<{ app: App; build: Build }> {
  const res = await p.t.call<{ app: App; build: Build }>(appRoutes.create, {
    params: { tenant: who.tenant.id },
    token: who.accessToken,
    body: { name, source: { repository: git.repoUrl(name) }, cpuMillis: 100, memoryMiB: 64 },
  });
  if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function listBuilds(who: Account, app: string): Promise<Build[]> {
  const res = await p.t.call<{ items: Build[] }>(buildRoutes.list, {
    params: { tenant: who.tenant.id, app },
    token: who.accessToken,
    query: { limit: 100 },
  });
  if (res.status !== 200) throw new Error(`list builds: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

/** The most builds running at one instant, from the builds' [startedAt, finishedAt] intervals. */
function maxOverlap(builds: Build[]): number {
  const edges = builds.flatMap((b) => [
    { at: Date.parse(b.startedAt ?? ''), d: 1 },
    { at: Date.parse(b.finishedAt ?? ''), d: -1 },
  ]);
  // an end and a start at the same millisecond: the end first (the builder saw it ended before starting the next)
  edges.sort((x, y) => x.at - y.at || x.d - y.d);
  let running = 0;
  let most = 0;
  for (const e of edges) {
    running += e.d;
    most = Math.max(most, running);
  }
  return most;
}

describe('fairness between tenants on the builders', () => {
  it(`a tenant with ${BURST} queued builds runs at most ${LIMIT} at once; another tenant's build starts meanwhile`, async () => {
    const admin = await platformAdmin(p.t);
    const [a, b] = await Promise.all([signup(p.t, 'Busy Builder'), signup(p.t, 'Late Builder')]);
    const override = await p.t.call(adminRoutes.setOverrides, {
      params: { tenantId: a.tenant.id },
      token: admin.accessToken,
      body: { overrides: { concurrentBuilds: LIMIT } },
    });
    expect(override.status, JSON.stringify(override.body)).toBe(200);

    // thirty commits of A's repository, each with its own stamp: the app's first build takes the newest, and A
    // asks for the other twenty-nine by commit (deploying none of them: the queue is what is under test)
    await Promise.all([git.createRepo('burst'), git.createRepo('late')]);
    const commits: string[] = [];
    for (let i = 1; i <= BURST; i++) {
      const files = { Dockerfile: dockerfile(2), 'stamp.txt': `build ${i}\n` };
      commits.push(await git.push('burst', files, { message: `stamp ${i}` }));
    }
    await git.push('late', { Dockerfile: dockerfile(2), 'stamp.txt': 'late\n' }, { message: 'late' });

    const first = await createSourceApp(a, 'burst');
    const ids = [first.build.id];
    for (const commit of commits.slice(0, -1)) {
      const res = await p.t.call<Build>(buildRoutes.create, {
        params: { tenant: a.tenant.id, app: 'burst' },
        token: a.accessToken,
        body: { commit, environments: [] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      ids.push(res.body.id);
    }
    const late = await createSourceApp(b, 'late');

    // the queue put B's one build ahead of A's backlog: priority 1, A's last one behind the rest of A's
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const queues = new JobQueues(redis, p.cluster.queuePrefix);
    try {
      const priority = async (id: string) => (await queues.queue('build-global').getJob(`build-${id}`))?.opts.priority;
      expect(await priority(late.build.id)).toBe(1);
      expect(await priority(ids.at(-1) ?? '')).toBeGreaterThan(LIMIT);
    } finally {
      await queues.close();
      redis.disconnect();
    }

    // sample A's running builds while the backlog drains: never more than the limit
    let mostSeen = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const running = (await listBuilds(a, 'burst')).filter((x) => x.status === 'running').length;
        mostSeen = Math.max(mostSeen, running);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const lateDone = await buildSettled(p.t, b, 'late', late.build.id, 120_000);
    const done: Build[] = [];
    try {
      for (const id of ids) done.push(await buildSettled(p.t, a, 'burst', id, 270_000));
    } finally {
      sampling = false;
      await sampler;
    }

    expect(lateDone.status, lateDone.reason ?? '').toBe('succeeded');
    for (const x of done) expect(x.status, `build ${x.number}: ${x.reason}`).toBe('succeeded');
    // every build was its own cache miss, so each took a while: the limit had something to hold back
    expect(new Set(done.map((x) => x.commit)).size).toBe(BURST);

    // A: at most its limit at once, by the samples and by the recorded intervals — and the limit was used (2, not 1)
    expect(mostSeen).toBeLessThanOrEqual(LIMIT);
    expect(maxOverlap(done)).toBe(LIMIT);

    // B's build started before A's third build finished (it did not wait behind A's backlog)
    const finishedA = done.map((x) => Date.parse(x.finishedAt ?? '')).sort((x, y) => x - y);
    expect(Date.parse(lateDone.startedAt ?? '')).toBeLessThan(finishedA[2] ?? 0);
  }, 300_000);
});
