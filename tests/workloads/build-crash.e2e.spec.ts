import { type App, appRoutes, type Build, buildRoutes, type Deployment, deploymentRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { buildLog, buildSettled } from '../support/builds.js';
import { type GitServer, startGitServer } from '../support/git-server.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * A builder killed (`kill -9`) in the middle of a build: the build ends failed with a reason, or succeeds after a
 * clean retry whose log says the builder restarted — and in no case is anything deployed before its image is in the
 * registry: every deployment of the build runs `image@digest` with the digest the registry serves for the tag.
 * And a running build that is cancelled stops within seconds and deploys nothing.
 */
const REGISTRY = 'http://127.0.0.1:5000';
const MANIFESTS = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
/** A RUN that says it started, then takes a while (each build its own cache miss: the stamp differs). */
const slowDockerfile = `FROM 127.0.0.1:5000/wharf/base/static:1\nCOPY stamp.txt /www/index.html\nRUN echo step-started && sleep 8\n`;

let p: Platform;
let git: GitServer;
let owner: Account;

beforeAll(async () => {
  [p, git] = await Promise.all([startPlatform(), startGitServer()]);
  owner = await signup(p.t, 'Crash Builder');
}, 120_000);
afterAll(async () => {
  await Promise.all([p?.stop(), git?.close()]);
}, 60_000);

async function createSlowApp(name: string): Promise<{ app: App; build: Build }> {
  await git.createRepo(name);
  await git.push(name, { Dockerfile: slowDockerfile, 'stamp.txt': `${name} ${Date.now()}\n` }, { message: name });
  const res = await p.t.call<{ app: App; build: Build }>(appRoutes.create, {
    params: { tenant: owner.tenant.id },
    token: owner.accessToken,
    body: { name, source: { repository: git.repoUrl(name) }, cpuMillis: 100, memoryMiB: 64 },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Waits until the build runs its slow step (its log shows the step's own output). */
async function untilStepRuns(app: string, build: string): Promise<void> {
  const until = Date.now() + 90_000;
  for (;;) {
    const res = await p.t.call<Build>(buildRoutes.get, {
      params: { tenant: owner.tenant.id, app, build },
      token: owner.accessToken,
    });
    if (res.body.status !== 'queued' && res.body.status !== 'running') {
      throw new Error(`build ended ${res.body.status} before its slow step: ${res.body.reason}`);
    }
    if (res.body.status === 'running') {
      const chunks = await p.t.owner.query<{ text: string }>('select text from build_logs where build_id = $1', [build]);
      // the step's output (`#6 0.244 step-started`), not its header (`#6 [3/3] RUN echo step-started && …`)
      if (chunks.rows.some((r) => /^#\d+ \d+\.\d+ step-started$/m.test(r.text))) return;
    }
    if (Date.now() > until) throw new Error(`build ${build} never reached its slow step`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function deploymentsOf(app: string, build: string): Promise<Deployment[]> {
  const res = await p.t.call<{ items: Deployment[] }>(deploymentRoutes.list, {
    params: { tenant: owner.tenant.id, app },
    token: owner.accessToken,
    query: { limit: 100 },
  });
  expect(res.status).toBe(200);
  return res.body.items.filter((d) => d.buildId === build);
}

/** The digest the registry serves for `<repo>:<tag>` (undefined when it has no such tag). */
async function registryDigest(image: string): Promise<string | undefined> {
  const path = image.slice(image.indexOf('/') + 1);
  const [repo, tag] = [path.slice(0, path.lastIndexOf(':')), path.slice(path.lastIndexOf(':') + 1)];
  const res = await fetch(`${REGISTRY}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MANIFESTS } });
  return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}

describe('a builder that crashes or a build that is cancelled', () => {
  it('a builder killed mid-build: the build fails with a reason or succeeds after a clean retry; nothing deploys before its image exists', async () => {
    const { build } = await createSlowApp('crash');
    await untilStepRuns('crash', build.id);

    p.cluster.kill('worker');
    await new Promise((r) => setTimeout(r, 500));
    p.cluster.restart('worker');

    const done = await buildSettled(p.t, owner, 'crash', build.id, 150_000);
    const log = await buildLog(p.t, owner, 'crash', build.id);
    expect(['failed', 'succeeded'], `${done.status}: ${done.reason}\n${log}`).toContain(done.status);
    const deployments = await deploymentsOf('crash', build.id);
    if (done.status === 'failed') {
      expect(done.reason ?? '').not.toBe('');
      expect(deployments).toEqual([]);
    } else {
      expect(log).toMatch(/builder restarted/);
      expect(done.image).toMatch(/^127\.0\.0\.1:5000\//);
      const served = await registryDigest(done.image ?? '');
      expect(served, 'the registry has the tag').toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(done.digest).toBe(served);
      // the build deploys to production once, pinned to the digest the registry has
      expect(deployments.length).toBe(1);
      for (const d of deployments) expect(d.image).toBe(`${done.image}@${served}`);
    }
  }, 240_000);

  it('a running build that is cancelled ends cancelled within seconds and deploys nothing', async () => {
    const { build } = await createSlowApp('cancel');
    await untilStepRuns('cancel', build.id);

    const asked = Date.now();
    const res = await p.t.call<Build>(buildRoutes.cancel, {
      params: { tenant: owner.tenant.id, app: 'cancel', build: build.id },
      token: owner.accessToken,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.cancelRequested).toBe(true);

    const done = await buildSettled(p.t, owner, 'cancel', build.id, 30_000);
    expect(done.status, done.reason ?? '').toBe('cancelled');
    // stopped, not run out: it ended before its 8 s step (already running when cancel was asked) could have finished
    expect(Date.parse(done.finishedAt ?? '')).toBeLessThan(asked + 8_000);
    expect(done.image).toBeNull();
    expect(await deploymentsOf('cancel', build.id)).toEqual([]);
    const log = await buildLog(p.t, owner, 'cancel', build.id);
    expect(log).toMatch(/cancelled/);
  }, 180_000);
});
