import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type App, appRoutes, type Build, deploymentRoutes, environmentRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { settled, waitServing } from '../support/apps.js';
import { buildLog, buildSettled } from '../support/builds.js';
import { ensureHttpImage } from '../support/engine.js';
import { type GitServer, startGitServer } from '../support/git-server.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * A compose stack whose services `build:` from the app's repository: the builder builds each service that builds
 * (a generated Dockerfile for one, an inline Dockerfile with build args for another), pushes each, and the stack is
 * deployed with every built service pinned to its digest next to a service that runs an image.
 */
const SAMPLES = path.resolve(import.meta.dirname, '../fixtures/build-samples');
let p: Platform;
let git: GitServer;
let owner: Account;
let repoDir: string;

const compose = (image: string) => `# a stack built from its repository
services:
  web:
    build: ./web
    ports: ["8080"]
  api:
    build:
      context: ./api
      dockerfile_inline: |
        FROM 127.0.0.1:5000/wharf/base/node:20
        ARG GREETING=hello
        ENV MESSAGE_PREFIX=\${GREETING}
        WORKDIR /app
        COPY . .
        CMD ["node", "server.js"]
      args:
        GREETING: from-compose
    deploy: { resources: { limits: { cpus: "0.2", memory: 96M } } }
  sidecar:
    image: ${image}
    deploy: { resources: { limits: { cpus: "0.05", memory: 16M } } }
`;

beforeAll(async () => {
  [p, git] = await Promise.all([startPlatform(), startGitServer()]);
  owner = await signup(p.t, 'Stack Builder');
  repoDir = mkdtempSync(path.join(tmpdir(), 'wharf-stack-repo-'));
  cpSync(path.join(SAMPLES, 'static'), path.join(repoDir, 'web'), { recursive: true });
  cpSync(path.join(SAMPLES, 'node'), path.join(repoDir, 'api'), { recursive: true });
}, 120_000);
afterAll(async () => {
  await Promise.all([p?.stop(), git?.close()]);
  if (repoDir) rmSync(repoDir, { recursive: true, force: true });
}, 60_000);

describe('compose stacks that build', () => {
  it('refuses a stack that builds without a git source, at the build line', async () => {
    const res = await p.t.call(appRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { name: 'nosource', compose: compose(await ensureHttpImage('v1')) },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/services\.web\.build.*"line":4/);
  });

  it('builds every service that builds, then deploys the stack pinned to the digests', async () => {
    await git.createRepo('stack');
    const commit = await git.push('stack', { dir: repoDir }, { message: 'stack' });
    const created = await p.t.call<{ app: App; build: Build }>(appRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { name: 'stack', compose: compose(await ensureHttpImage('v1')), source: { repository: git.repoUrl('stack') } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await buildSettled(p.t, owner, 'stack', created.body.build.id);
    const log = await buildLog(p.t, owner, 'stack', done.id);
    expect(done.status, `${done.reason}\n${log}`).toBe('succeeded');
    expect(Object.keys(done.images ?? {}).sort()).toEqual(['api', 'web']);
    const repo = `127.0.0.1:5000/${owner.tenant.slug}/stack`;
    expect(done.images?.web).toMatch(new RegExp(`^${repo}/web:${commit}@sha256:[0-9a-f]{64}$`));
    expect(done.plan?.programType).toBe('compose');
    expect(log).toMatch(/web: plan: index\.html found/);

    const deployments = await p.t.call<{ items: { id: string; buildId: string | null }[] }>(deploymentRoutes.list, {
      params: { tenant: owner.tenant.id, app: 'stack' },
      token: owner.accessToken,
      query: { limit: 5 },
    });
    const deployment = deployments.body.items[0];
    expect(deployment?.buildId).toBe(done.id);
    const live = await settled(p.t, owner, 'stack', deployment?.id ?? '');
    expect(live.status, live.reason ?? '').toBe('live');
    const env = await p.t.call<{ urls: Record<string, string> }>(environmentRoutes.get, {
      params: { tenant: owner.tenant.id, app: 'stack', environment: 'production' },
      token: owner.accessToken,
    });
    const url = env.body.urls.web ?? '';
    await waitServing(p.cluster.proxyPort, new URL(url).hostname, /hello from the static sample/, 60_000);
  }, 180_000);
});
