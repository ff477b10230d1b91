import { existsSync } from 'node:fs';
import path from 'node:path';
import { type App, type AppSource, appRoutes, type Build, buildRoutes, deploymentRoutes, sourceRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushPayload, signWebhook } from '../../libs/git-hosting/src/testing/sign-webhook.js';
import { type Account, signup } from '../support/app.js';
import { hostOf, settled, viaProxy, waitServing } from '../support/apps.js';
import { buildLog, buildSettled } from '../support/builds.js';
import { type GitServer, startGitServer } from '../support/git-server.js';
import { startSshd } from '../support/sshd.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * Builds from source on the real engine: sample apps in the repository (Node, Python, a static site, a multi-stage
 * Dockerfile) pushed to a real git server, built by the builder from local base images, pushed to the registry,
 * deployed pinned to their digest and answering at their URLs; a signed push webhook builds and deploys the new
 * commit, while unsigned, badly signed and replayed deliveries build nothing.
 */
const SAMPLES = path.resolve(import.meta.dirname, '../fixtures/build-samples');
let p: Platform;
let git: GitServer;
let owner: Account;

beforeAll(async () => {
  // the registry keeps one image per app besides those environments run (the retention test below)
  [p, git] = await Promise.all([startPlatform({ workerEnv: { BUILD_KEEP_IMAGES: '1' } }), startGitServer()]);
  owner = await signup(p.t, 'Builder');
}, 120_000);
afterAll(async () => {
  await Promise.all([p?.stop(), git?.close()]);
}, 60_000);

async function createFromSource(name: string, body: Record<string, unknown> = {}) {
  await git.createRepo(name);
  const commit = await git.push(name, { dir: path.join(SAMPLES, name) }, { message: `${name} sample` });
  const res = await p.t.call<{ app: App; build: Build }>(appRoutes.create, {
    params: { tenant: owner.tenant.id },
    token: owner.accessToken,
    body: { name, source: { repository: git.repoUrl(name), ...body }, cpuMillis: 200, memoryMiB: 96 },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...res.body, commit };
}

async function currentDeployment(app: string) {
  const res = await p.t.call<{ items: { id: string; buildId: string | null }[] }>(deploymentRoutes.list, {
    params: { tenant: owner.tenant.id, app },
    token: owner.accessToken,
    query: { limit: 5 },
  });
  return res.body.items[0];
}

describe('builds from source', () => {
  it.each([
    ['node', 'hello from the node sample'],
    ['python', 'hello from the python sample'],
    ['static', /<h1>hello from the static sample<\/h1>/],
  ] as const)(
    'builds the %s sample with a Dockerfile Wharf writes, deploys it pinned to its digest',
    async (name, expected) => {
      const { app, build, commit } = await createFromSource(name);
      const done = await buildSettled(p.t, owner, name, build.id);
      const log = await buildLog(p.t, owner, name, build.id);
      expect(done.status, `${done.reason}\n${log}`).toBe('succeeded');
      expect(done.commit).toBe(commit);
      expect(done.plan?.generated).toBe(true);
      expect(done.plan?.dockerfile).toMatch(/^FROM /m);
      expect(done.image).toBe(`127.0.0.1:5000/${owner.tenant.slug}/${name}:${commit}`);
      expect(done.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      const deployment = await currentDeployment(name);
      expect(deployment?.buildId).toBe(build.id);
      const live = await settled(p.t, owner, name, deployment?.id ?? '');
      expect(live.status, live.reason ?? '').toBe('live');
      expect(live.image).toBe(`${done.image}@${done.digest}`);
      await waitServing(p.cluster.proxyPort, hostOf(app), expected, 60_000);
    },
    180_000,
  );

  it('builds a multi-stage Dockerfile with build args passed inertly, and never sends ignored files nor .git', async () => {
    const marker = `/tmp/wharf-pwned-${process.pid}`;
    const hostile = `ahoy $(touch ${marker}); rm -rf / \`id\``;
    const { app, build } = await createFromSource('multistage', {
      settings: { buildArgs: { GREETING: hostile } },
    });
    const done = await buildSettled(p.t, owner, 'multistage', build.id);
    expect(done.status, done.reason ?? '').toBe('succeeded');
    expect(done.plan?.generated).toBe(false);
    // the value reached the program as data: no shell on the host or in the build expanded it
    await waitServing(p.cluster.proxyPort, hostOf(app), /<h1>ahoy \$\(touch [^)]+\); rm -rf \/ `id`<\/h1>/, 60_000);
    expect(existsSync(marker)).toBe(false);
    const files = await viaProxy(p.cluster.proxyPort, hostOf(app), '/files.txt');
    expect(files.body).not.toContain('secret.txt');
    // nor the checkout's .git (as BuildKit's git contexts, unless BUILDKIT_CONTEXT_KEEP_GIT_DIR=1)
    expect(files.body.split('\n')).not.toContain('.git');
    expect(files.body.split('\n')).toContain('message.txt');
  }, 180_000);

  it('fetches private repositories with a token, and over SSH with the deploy key Wharf generated', async () => {
    const token = `tok-${process.pid}`;
    // a tenant of its own: the free plan's four services are taken by the samples above
    const mine = await signup(p.t, `Private Builder ${Date.now().toString(36)}`);
    const [privateGit] = await Promise.all([startGitServer({ token })]);
    try {
      await privateGit.createRepo('private');
      await privateGit.push('private', { dir: path.join(SAMPLES, 'static') });
      const created = await p.t.call<{ build: Build }>(appRoutes.create, {
        params: { tenant: mine.tenant.id },
        token: mine.accessToken,
        body: { name: 'private', source: { repository: privateGit.repoUrl('private'), auth: { kind: 'token', token } } },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const viaToken = await buildSettled(p.t, mine, 'private', created.body.build.id);
      expect(viaToken.status, viaToken.reason ?? '').toBe('succeeded');
      expect(JSON.stringify(await buildLog(p.t, mine, 'private', viaToken.id))).not.toContain(token);

      // SSH: the app gets a deploy key; its public half goes to the server, then builds fetch over ssh://
      const source = await p.t.call<AppSource>(sourceRoutes.set, {
        params: { tenant: mine.tenant.id, app: 'private' },
        token: mine.accessToken,
        body: { repository: 'ssh://git@127.0.0.1:22/placeholder.git', auth: { kind: 'ssh' } },
      });
      expect(source.body.deployKey).toMatch(/^ssh-ed25519 /);
      const sshd = await startSshd({ authorizedKey: source.body.deployKey ?? '', repoRoot: privateGit.root });
      try {
        const moved = await p.t.call<AppSource>(sourceRoutes.set, {
          params: { tenant: mine.tenant.id, app: 'private' },
          token: mine.accessToken,
          body: { repository: sshd.sshUrl('private'), auth: { kind: 'ssh' } },
        });
        expect(moved.body.deployKey).toBe(source.body.deployKey);
        const started = await p.t.call<Build>(buildRoutes.create, {
          params: { tenant: mine.tenant.id, app: 'private' },
          token: mine.accessToken,
          body: {},
        });
        const viaSsh = await buildSettled(p.t, mine, 'private', started.body.id);
        expect(viaSsh.status, viaSsh.reason ?? '').toBe('succeeded');
      } finally {
        await sshd.close();
      }
    } finally {
      await privateGit.close();
    }
  }, 180_000);

  it('a signed push webhook builds and deploys the new commit; bad deliveries build nothing', async () => {
    const name = 'node';
    const source = await p.t.call<{ webhook: { url: string } }>(sourceRoutes.rotateHook, {
      params: { tenant: owner.tenant.id, app: name },
      token: owner.accessToken,
    });
    expect(source.status).toBe(200);
    const { url, secret } = source.body.webhook as { url: string; secret: string };
    const hook = new URL(url).pathname.split('/').pop() ?? '';
    const commit = await git.push(name, { 'message.txt': 'hello after a push\n' }, { message: 'a change' });
    const body = JSON.stringify(pushPayload('github', { repository: `wharf/${name}`, ref: 'refs/heads/main', after: commit }));
    const deliver = (headers: Record<string, string>) =>
      fetch(`${p.t.url}/api/v1/hooks/${hook}`, { method: 'POST', headers, body });
    const builds = async () =>
      (
        await p.t.call<{ items: Build[] }>(buildRoutes.list, {
          params: { tenant: owner.tenant.id, app: name },
          token: owner.accessToken,
          query: { limit: 100 },
        })
      ).body.items.length;
    const before = await builds();

    const unsigned = await deliver({ 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'd-0' });
    expect(unsigned.status).toBe(401);
    const forged = await deliver(signWebhook('github', body, 'not-the-secret', { deliveryId: 'd-1' }));
    expect(forged.status).toBe(401);
    expect(await builds()).toBe(before);

    const good = await deliver(signWebhook('github', body, secret, { deliveryId: 'd-2' }));
    expect(good.status, await good.clone().text()).toBe(202);
    const result = (await good.json()) as { result: string; builds: string[] };
    expect(result.result).toBe('building');
    const replay = await deliver(signWebhook('github', body, secret, { deliveryId: 'd-2' }));
    expect(replay.status).toBe(409);
    expect(await builds()).toBe(before + 1);

    const done = await buildSettled(p.t, owner, name, result.builds[0] ?? '');
    expect(done.status, done.reason ?? '').toBe('succeeded');
    expect(done.commit).toBe(commit);
    expect(done.trigger).toBe('webhook');
    const app = await p.t.call<App>(appRoutes.get, { params: { tenant: owner.tenant.id, app: name }, token: owner.accessToken });
    await waitServing(p.cluster.proxyPort, hostOf(app.body), 'hello after a push', 60_000);
  }, 180_000);

  it('keeps the newest images and those environments run, deleting older ones from the registry', async () => {
    const mine = await signup(p.t, `Retention ${Date.now().toString(36)}`);
    await git.createRepo('kept');
    const commits = [await git.push('kept', { dir: path.join(SAMPLES, 'static') })];
    const created = await p.t.call<{ build: Build }>(appRoutes.create, {
      params: { tenant: mine.tenant.id },
      token: mine.accessToken,
      body: { name: 'kept', source: { repository: git.repoUrl('kept') } },
    });
    expect((await buildSettled(p.t, mine, 'kept', created.body.build.id)).status).toBe('succeeded');
    for (const n of [2, 3]) {
      commits.push(await git.push('kept', { 'message.txt': `change ${n}\n` }));
      const started = await p.t.call<Build>(buildRoutes.create, {
        params: { tenant: mine.tenant.id, app: 'kept' },
        token: mine.accessToken,
        body: {},
      });
      expect((await buildSettled(p.t, mine, 'kept', started.body.id)).status).toBe('succeeded');
      const deployment = await p.t.call<{ items: { id: string }[] }>(deploymentRoutes.list, {
        params: { tenant: mine.tenant.id, app: 'kept' },
        token: mine.accessToken,
        query: { limit: 1 },
      });
      await settled(p.t, mine, 'kept', deployment.body.items[0]?.id ?? '');
    }
    const tags = await fetch(`http://127.0.0.1:5000/v2/${mine.tenant.slug}/kept/tags/list`).then(
      (r) => r.json() as Promise<{ tags: string[] | null }>,
    );
    // the newest (build 3) and the one production ran when build 3 finished (build 2) stay; build 1's is gone
    expect([...(tags.tags ?? [])].sort()).toEqual([commits[1], commits[2]].sort());
  }, 180_000);
});
