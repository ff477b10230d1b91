import { existsSync } from 'node:fs';
import {
  type AppSource,
  adminRoutes,
  appRoutes,
  authRoutes,
  type Build,
  buildRoutes,
  gitConnectionRoutes,
  sourceRoutes,
  tenantRoutes,
} from '@wharf/contracts';
import type { GitProvider } from '@wharf/git-hosting';
import type { JobQueues } from '@wharf/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHosting, startFakeHosting } from '../../../../libs/git-hosting/src/testing/fake-hosting.js';
import { pushPayload, signWebhook } from '../../../../libs/git-hosting/src/testing/sign-webhook.js';
import { type Account, PASSWORD, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { QUEUES } from '../core/tokens.js';
import { sharedCluster } from '../security/workload-fixtures.js';

/*
 * Builds from source through the API alone (no builder runs here): git connections listing every repository of
 * GitHub, GitLab and Gitee through local fakes of their APIs, push webhooks of each provider (signatures, replays,
 * freshness, what is ignored), hostile repository URLs, branches and build args, and build minutes.
 */
const TOKEN = 'fake-token-123';
let fake: FakeHosting;
let t: TestApp;
let owner: Account;
let admin: Account;

beforeAll(async () => {
  fake = await startFakeHosting({ repos: 250, branchesPerRepo: 120, token: TOKEN });
  t = await startTestApp({
    GITHUB_API_URL: fake.url('github'),
    GITLAB_API_URL: fake.url('gitlab'),
    GITEE_API_URL: fake.url('gitee'),
    // as in production: repositories on private and loopback addresses are refused
    GIT_ALLOW_LOCAL: 'false',
  });
  owner = await signup(t, 'Source Owner');
  admin = await signup(t, 'Platform Admin');
  await t.owner.query('update users set is_platform_admin = true where id = $1', [admin.user.id]);
  const login = await t.call<{ accessToken: string }>(authRoutes.login, { body: { email: admin.email, password: PASSWORD } });
  admin = { ...admin, ...login.body };
  await sharedCluster(t.owner);
  const more = await t.call(adminRoutes.setOverrides, {
    params: { tenantId: owner.tenant.id },
    token: admin.accessToken,
    body: { overrides: { services: 20, cpuMillis: 20_000, memoryMiB: 20_000 } },
  });
  expect(more.status).toBe(200);
  await sourceApp('victim');
}, 60_000);
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const T = () => ({ tenant: owner.tenant.id });

async function sourceApp(name: string, tracking: Record<string, string> = { production: 'main' }) {
  const res = await t.call<{ build: Build | null }>(appRoutes.create, {
    params: T(),
    token: owner.accessToken,
    body: { name, source: { repository: `https://git.example.test/team/${name}.git`, tracking }, deploy: false },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const rotated = await t.call<AppSource>(sourceRoutes.rotateHook, { params: { ...T(), app: name }, token: owner.accessToken });
  const { url, secret } = rotated.body.webhook;
  return { hook: new URL(url).pathname, secret: secret ?? '' };
}

async function buildCount(app: string): Promise<number> {
  const res = await t.call<{ items: Build[] }>(buildRoutes.list, {
    params: { ...T(), app },
    token: owner.accessToken,
    query: { limit: 100 },
  });
  return res.body.items.length;
}

describe('git connections', () => {
  it.each(['github', 'gitlab', 'gitee'] as GitProvider[])(
    '%s: the token is checked, then every repository across pages and every branch are listed',
    async (provider) => {
      const wrong = await t.call(gitConnectionRoutes.create, {
        params: T(),
        token: owner.accessToken,
        body: { provider, token: 'nope' },
      });
      expect(wrong.status).toBe(400);
      expect(JSON.stringify(wrong.body)).toContain('body.token');
      const created = await t.call<{ id: string; account: string }>(gitConnectionRoutes.create, {
        params: T(),
        token: owner.accessToken,
        body: { provider, token: TOKEN },
      });
      expect(created.status).toBe(201);
      const repos = await t.call<{ items: { fullName: string }[] }>(gitConnectionRoutes.repositories, {
        params: { ...T(), connection: created.body.id },
        token: owner.accessToken,
      });
      expect(repos.status).toBe(200);
      expect(repos.body.items).toHaveLength(250);
      expect(new Set(repos.body.items.map((r) => r.fullName)).size).toBe(250);
      const branches = await t.call<{ items: { name: string }[] }>(gitConnectionRoutes.branches, {
        params: { ...T(), connection: created.body.id },
        token: owner.accessToken,
        query: { repository: repos.body.items[0]?.fullName ?? '' },
      });
      expect(branches.status).toBe(200);
      expect(branches.body.items).toHaveLength(120);
      // the token is never returned
      const list = await t.call(gitConnectionRoutes.list, { params: T(), token: owner.accessToken });
      expect(JSON.stringify(list.body)).not.toContain(TOKEN);
    },
  );
});

describe('push webhooks', () => {
  const payload = (provider: GitProvider, ref = 'refs/heads/main') =>
    JSON.stringify(pushPayload(provider, { repository: 'team/app', ref, after: 'a'.repeat(40) }));
  const deliver = (hook: string, headers: Record<string, string>, body: string) =>
    t.app.inject({ method: 'POST', url: hook, headers, payload: body });

  it.each(['github', 'gitlab', 'gitee'] as GitProvider[])(
    '%s: a signed push to a tracked branch builds once; unsigned, forged, replayed deliveries build nothing',
    async (provider) => {
      const name = `hook-${provider}`;
      const { hook, secret } = await sourceApp(name);
      const body = payload(provider);
      const unsigned = await deliver(hook, { 'content-type': 'application/json' }, body);
      expect(unsigned.statusCode).toBe(401);
      const forged = await deliver(hook, signWebhook(provider, body, 'wrong-secret', { deliveryId: `${provider}-1` }), body);
      expect(forged.statusCode).toBe(401);
      expect(forged.headers['content-type']).toContain('application/problem+json');
      expect(await buildCount(name)).toBe(0);

      const good = await deliver(hook, signWebhook(provider, body, secret, { deliveryId: `${provider}-2` }), body);
      expect(good.statusCode, good.body).toBe(202);
      expect(good.json()).toMatchObject({ result: 'building' });
      const replay = await deliver(hook, signWebhook(provider, body, secret, { deliveryId: `${provider}-2` }), body);
      expect(replay.statusCode).toBe(409);
      expect(await buildCount(name)).toBe(1);

      const other = payload(provider, 'refs/heads/untracked');
      const untracked = await deliver(hook, signWebhook(provider, other, secret, { deliveryId: `${provider}-3` }), other);
      expect(untracked.statusCode).toBe(202);
      expect(untracked.json()).toMatchObject({ result: 'ignored' });
      const tag = payload(provider, 'refs/tags/v1');
      const tagPush = await deliver(hook, signWebhook(provider, tag, secret, { deliveryId: `${provider}-4` }), tag);
      expect(tagPush.json()).toMatchObject({ result: 'ignored' });
      expect(await buildCount(name)).toBe(1);
    },
  );

  it('gitee: a stale or future signed timestamp is refused', async () => {
    const { hook, secret } = await sourceApp('hook-gitee-time');
    const body = payload('gitee');
    for (const [id, timestamp] of [
      ['old', Date.now() - 10 * 60_000],
      ['future', Date.now() + 10 * 60_000],
    ] as const) {
      const res = await deliver(hook, signWebhook('gitee', body, secret, { deliveryId: id, timestamp }), body);
      expect(res.statusCode).toBe(401);
      expect(res.json().detail).toContain('stale');
    }
    expect(await buildCount('hook-gitee-time')).toBe(0);
  });

  it('an unknown webhook is 404, a hostile one is refused as malformed', async () => {
    const body = payload('github');
    const headers = signWebhook('github', body, 'x', { deliveryId: 'd' });
    expect((await deliver('/api/v1/hooks/AAAAAAAAAAAAAAAAAAAAAAAA', headers, body)).statusCode).toBe(404);
    expect((await deliver('/api/v1/hooks/..%2f..%2fetc', headers, body)).statusCode).toBe(400);
  });
});

describe('bad input', () => {
  const marker = `/tmp/wharf-pwned-${process.pid}`;
  const hostileUrls = [
    `https://example.com/repo.git; touch ${marker}`,
    `$(touch ${marker})`,
    `--upload-pack=touch ${marker}`,
    `ext::sh -c touch% ${marker}`,
    'file:///etc/passwd',
    'https://example.com/repo.git\ntouch /tmp/x',
    'https://user:password@example.com/repo.git',
    'https://169.254.169.254/latest/meta-data',
  ];

  it.each(hostileUrls)('refuses the repository %j and changes nothing', async (repository) => {
    const before = await t.call<AppSource>(sourceRoutes.get, { params: { ...T(), app: 'victim' }, token: owner.accessToken });
    const res = await t.call(sourceRoutes.set, {
      params: { ...T(), app: 'victim' },
      token: owner.accessToken,
      body: { repository },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('body.repository');
    const after = await t.call<AppSource>(sourceRoutes.get, { params: { ...T(), app: 'victim' }, token: owner.accessToken });
    expect(after.body.repository).toBe(before.body.repository);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([`main; rm -rf /`, `--upload-pack=touch ${marker}`, 'a..b', 'feature\nx', '-x', 'refs/heads/@{1}'])(
    'refuses the branch %j',
    async (branch) => {
      const res = await t.call(buildRoutes.create, {
        params: { ...T(), app: 'victim' },
        token: owner.accessToken,
        body: { branch },
      });
      expect(res.status).toBe(400);
      expect(existsSync(marker)).toBe(false);
    },
  );

  it('refuses build args with bad names or NUL, and unknown fields', async () => {
    for (const settings of [
      { buildArgs: { 'A B': 'x' } },
      { buildArgs: { A: 'x\u0000y' } },
      { dockerfilePath: '../../etc/passwd' },
      { nope: 1 },
    ]) {
      const res = await t.call(sourceRoutes.set, {
        params: { ...T(), app: 'victim' },
        token: owner.accessToken,
        body: { repository: 'https://git.example.test/team/victim.git', settings },
      });
      expect(res.status, JSON.stringify(settings)).toBe(400);
    }
  });
});

describe('source access', () => {
  it('keeps the stored token when a change leaves it out, and asks for one when none is stored', async () => {
    const set = (auth: Record<string, unknown>) =>
      t.call(sourceRoutes.set, {
        params: { ...T(), app: 'victim' },
        token: owner.accessToken,
        body: { repository: 'https://git.example.test/team/victim.git', auth },
      });
    expect((await set({ kind: 'token' })).status).toBe(400);
    expect((await set({ kind: 'token', token: 'tok-first' })).status).toBe(200);
    const sealed = async () =>
      (
        await t.owner.query<{ s: string }>(
          'select token_sealed s from app_sources where hook_id is not null and repository = $1',
          ['https://git.example.test/team/victim.git'],
        )
      ).rows[0]?.s;
    const before = await sealed();
    const kept = await set({ kind: 'token' });
    expect(kept.status).toBe(200);
    expect(JSON.stringify(kept.body)).not.toContain('tok-first');
    expect(await sealed()).toBe(before);
    expect((await set({ kind: 'none' })).status).toBe(200);
  });
});

describe('build regions', () => {
  it("a build goes to its region's builder queue, and only there", async () => {
    const created = await t.call<{ build: Build }>(appRoutes.create, {
      params: T(),
      token: owner.accessToken,
      body: { name: 'in-china', source: { repository: 'https://gitee.example.test/team/app.git', region: 'cn' } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.build.region).toBe('cn');
    const queues = t.app.get<JobQueues>(QUEUES);
    const id = `build-${created.body.build.id}`;
    expect(await queues.queue('build-cn').getJob(id)).toBeDefined();
    expect(await queues.queue('build-global').getJob(id)).toBeUndefined();
  });
});

describe('build minutes', () => {
  it('are metered in usage and enforced: none left → the build is refused with the limit', async () => {
    await sourceApp('metered');
    await t.owner.query(
      `insert into builds (tenant_id, app_id, number, kind, trigger, region, status, started_at, finished_at, billed_seconds)
       select tenant_id, id, 100, 'upload', 'cli', 'global', 'succeeded', now() - interval '5 minutes', now(), 150
       from apps where slug = 'metered' and tenant_id = $1`,
      [owner.tenant.id],
    );
    const usage = await t.call<{ quotas: { key: string; used: number }[] }>(tenantRoutes.usage, {
      params: T(),
      token: owner.accessToken,
    });
    // 150 s is 3 started minutes
    expect(usage.body.quotas.find((q) => q.key === 'buildMinutesPerMonth')?.used).toBe(3);
    const limited = await t.call(adminRoutes.setOverrides, {
      params: { tenantId: owner.tenant.id },
      token: admin.accessToken,
      body: { overrides: { buildMinutesPerMonth: 3 } },
    });
    expect(limited.status, JSON.stringify(limited.body)).toBeLessThan(300);
    const refused = await t.call(buildRoutes.create, { params: { ...T(), app: 'metered' }, token: owner.accessToken, body: {} });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      type: expect.stringMatching(/quota-exceeded$/),
      quota: 'buildMinutesPerMonth',
      limit: 3,
    });
  });
});
