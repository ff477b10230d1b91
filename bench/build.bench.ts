import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type App, appRoutes, type Build, buildRoutes, deploymentRoutes, sourceRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { SseParser } from '../apps/cli/src/sse.js';
import { pushPayload, signWebhook } from '../libs/git-hosting/src/testing/sign-webhook.js';
import { type Account, signup } from '../tests/support/app.js';
import { hostOf, settled, viaProxy } from '../tests/support/apps.js';
import { buildSettled } from '../tests/support/builds.js';
import { engine } from '../tests/support/engine.js';
import { type GitServer, startGitServer } from '../tests/support/git-server.js';
import { type Platform, startPlatform } from '../tests/support/workload.js';

/*
 * Builds from source: Wharf's build of the Node sample (tests/fixtures/build-samples/node) through the platform —
 * pushed to a git server, `POST …/builds` (or `POST …/apps` with the source: the app's first build), until the
 * build's log stream ends (the `end` event of `GET …/builds/{id}/logs`, what `wharf deploy` waits for) — against a bare `docker build` (DOCKER_BUILDKIT=1) of the same context with the Dockerfile Wharf
 * wrote, plus `docker push` to the same registry, on the same engine, in the same run:
 *
 *   cold  the engine's build cache pruned (`POST /build/prune?all=true`) and the bench's images removed before each
 *         run; Wharf builds a new app each time (so no earlier image of the app is a cache source)
 *   warm  after a one-line change of message.txt (each side and round its own text, so neither reuses the other's)
 *
 * and a warm rebuild + deploy from a signed GitHub push webhook to the app's URL serving the new text through the
 * edge proxy. Prints the figures; asserts nothing about speed.
 *
 *   npm run bench:build            (BENCH_ROUNDS=7 to change the number of rounds)
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SAMPLE = path.resolve(import.meta.dirname, '../tests/fixtures/build-samples/node');
const REGISTRY = '127.0.0.1:5000';
const BARE_REPO = `${REGISTRY}/bench-bare/node`;
const DOCKER = '/usr/bin/docker';
const run = promisify(execFile);
const docker = engine();

let p: Platform;
let git: GitServer;
let owner: Account;

beforeAll(async () => {
  [p, git] = await Promise.all([
    startPlatform({ reconcileIntervalMs: 60_000, workerEnv: { BUILD_CONCURRENCY: '1', BUILD_REGIONS: 'global' } }),
    startGitServer(),
  ]);
  owner = await signup(p.t, 'Build Bench');
  await p.t.owner.query(
    `insert into tenant_quota_overrides (tenant_id, quota_key, limit_value)
     values ($1, 'services', 100), ($1, 'buildMinutesPerMonth', 100000)`,
    [owner.tenant.id],
  );
}, 300_000);
afterAll(async () => {
  await Promise.all([p?.stop(), git?.close()]);
  if (owner) await removeBenchImages();
}, 120_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => (ms / 1000).toFixed(2);
const list = (xs: number[]) => xs.map(s).join(', ');

/** Removes the images this bench made from the engine (not the base images). */
async function removeBenchImages(): Promise<void> {
  const images = await docker.listImages({
    filters: JSON.stringify({ reference: [`${REGISTRY}/${owner.tenant.slug}/*`, `${BARE_REPO}`] }),
  });
  for (const image of images) {
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

/** Forgets every build: the engine's whole build cache, and the images this bench made. */
async function coldEngine(): Promise<void> {
  await removeBenchImages();
  await new Promise<void>((resolve, reject) =>
    docker.modem.dial(
      { path: '/build/prune?', method: 'POST', options: { all: true }, statusCodes: { 200: true, 500: 'server error' } },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}

/** `docker build` + `docker push` of the sample with Wharf's Dockerfile and `message`; build and push times. */
async function bareBuild(dockerfile: string, message: string, tag: string): Promise<{ build: number; push: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wharf-bench-bare-'));
  try {
    await cp(SAMPLE, dir, { recursive: true });
    await writeFile(path.join(dir, 'Dockerfile'), dockerfile);
    await writeFile(path.join(dir, 'message.txt'), `${message}\n`);
    const env = { ...process.env, DOCKER_BUILDKIT: '1' };
    const t0 = performance.now();
    await run(DOCKER, ['build', '-q', '-t', `${BARE_REPO}:${tag}`, '-f', path.join(dir, 'Dockerfile'), dir], { env });
    const t1 = performance.now();
    await run(DOCKER, ['push', '-q', `${BARE_REPO}:${tag}`], { env });
    return { build: t1 - t0, push: performance.now() - t1 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface WharfRun {
  /** request → `succeeded` */
  total: number;
  /** created → started (queue pickup and admission) */
  pickup: number;
  /** started → finished on the builder (checkout, plan, context, build, push, the succeeded transaction) */
  builder: number;
  build: Build;
  /** When each log line was first seen, ms after the request (lines are written in chunks every 250 ms). */
  timeline: { at: number; line: string }[];
}

/**
 * Follows the build's log stream (`GET …/builds/{id}/logs`, Server-Sent Events, as `wharf deploy` does) until its
 * `end` event, noting when each log line arrives; then reads the build.
 */
async function followBuild(app: string, buildId: string, t0: number): Promise<Omit<WharfRun, 'total'> & { doneAt: number }> {
  const timeline: { at: number; line: string }[] = [];
  const url = `${p.t.url}/api/v1/tenants/${owner.tenant.id}/apps/${app}/builds/${buildId}/logs`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${owner.accessToken}`, accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`build log ${buildId}: ${res.status}`);
  const parser = new SseParser();
  let ended = false;
  for await (const chunk of res.body) {
    const at = performance.now() - t0;
    for (const e of parser.push(chunk)) {
      if (e.event === 'log') {
        const { text } = JSON.parse(e.data) as { text: string };
        for (const line of text.split('\n').filter(Boolean)) timeline.push({ at, line });
      } else if (e.event === 'end') ended = true;
    }
    if (ended) break;
  }
  const doneAt = performance.now() - t0;
  await res.body.cancel().catch(() => undefined);
  const { body: build } = await p.t.call<Build>(buildRoutes.get, {
    params: { tenant: owner.tenant.id, app, build: buildId },
    token: owner.accessToken,
  });
  if (build.status !== 'succeeded') throw new Error(`build ${build.number} ${build.status}: ${build.reason}`);
  const started = Date.parse(build.startedAt ?? '');
  return {
    doneAt,
    build,
    timeline,
    pickup: started - Date.parse(build.createdAt),
    builder: Date.parse(build.finishedAt ?? '') - started,
  };
}

/** Cold: a new app from the source (its first build), until the build succeeded; then the app is removed. */
async function wharfCold(name: string, message: string): Promise<WharfRun> {
  await git.createRepo(name);
  await git.push(name, { dir: SAMPLE }, { message: 'node sample' });
  await git.push(name, { 'message.txt': `${message}\n` }, { message: 'the message' });
  const t0 = performance.now();
  const res = await p.t.call<{ app: App; build: Build; deployment: { id: string } | null }>(appRoutes.create, {
    params: { tenant: owner.tenant.id },
    token: owner.accessToken,
    body: { name, source: { repository: git.repoUrl(name) }, cpuMillis: 200, memoryMiB: 96 },
  });
  if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  const followed = await followBuild(name, res.body.build.id, t0);
  await quiet(name);
  await p.t.call(appRoutes.remove, { params: { tenant: owner.tenant.id, app: name }, token: owner.accessToken });
  return { ...followed, total: followed.doneAt };
}

/** Warm: a one-line change pushed, `POST …/builds` of that commit (deploying nowhere), until it succeeded. */
async function wharfWarm(name: string, message: string): Promise<WharfRun> {
  const commit = await git.push(name, { 'message.txt': `${message}\n` }, { message: 'a one-line change' });
  const t0 = performance.now();
  const res = await p.t.call<Build>(buildRoutes.create, {
    params: { tenant: owner.tenant.id, app: name },
    token: owner.accessToken,
    body: { commit, environments: [] },
  });
  if (res.status !== 202) throw new Error(`build ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  const followed = await followBuild(name, res.body.id, t0);
  return { ...followed, total: followed.doneAt };
}

/** Waits for the app's deployments to settle, so a rollout does not run during the next measurement. */
async function quiet(name: string): Promise<void> {
  const res = await p.t.call<{ items: { id: string }[] }>(deploymentRoutes.list, {
    params: { tenant: owner.tenant.id, app: name },
    token: owner.accessToken,
    query: { limit: 5 },
  });
  for (const d of res.body.items) await settled(p.t, owner, name, d.id, 120_000);
}

/** Phase times of one Wharf build from its log: first line of each phase, ms after the request. */
function phases(r: WharfRun): string {
  const first = (re: RegExp) => r.timeline.find((x) => re.test(x.line))?.at;
  const marks: [string, number | undefined][] = [
    ['started', Date.parse(r.build.startedAt ?? '') - Date.parse(r.build.createdAt)],
    ['fetching', first(/^fetching /)],
    ['checked out', first(/^checked out /)],
    ['planned', first(/^plan: /)],
    ['engine build', first(/^building /)],
    ['pushing', first(/ pushing$/)],
    ['pushed', first(/^pushed /)],
    ['succeeded', r.total],
  ];
  const steps = r.timeline
    .filter((x) => /^#\d+ (DONE|CACHED)/.test(x.line))
    .map((x) => x.line)
    .join(' · ');
  return `${marks.map(([k, v]) => `${k} +${v === undefined ? '?' : Math.round(v)}`).join('  ')}\n      steps: ${steps}`;
}

it('builds: Wharf vs a bare docker build + push, cold and warm; webhook → serving', async () => {
  const load = loadavg();
  console.log(`\nload average before: ${load.map((x) => x.toFixed(2)).join(' ')}`);

  // warm-up, and Wharf's Dockerfile for the sample (the bare side builds exactly that text)
  await wharfCold('node-warmup', 'warm-up');
  const { rows } = await p.t.owner.query<{ plan: { dockerfile: string } }>(
    'select plan from builds where tenant_id = $1 and plan is not null order by created_at limit 1',
    [owner.tenant.id],
  );
  const dockerfile = rows[0]?.plan.dockerfile ?? '';
  if (!/^FROM /m.test(dockerfile)) throw new Error(`no Dockerfile from the plan: ${dockerfile}`);
  console.log(`Wharf's Dockerfile for the sample:\n${dockerfile.replace(/^/gm, '  | ')}`);
  await bareBuild(dockerfile, 'warm-up', 'warmup');

  // cold: alternate which side goes first, so drift in the machine's load hits both alike
  const cold = { wharf: [] as WharfRun[], bare: [] as { build: number; push: number }[] };
  for (let i = 0; i < ROUNDS; i++) {
    const sides = [
      async () => {
        await coldEngine();
        cold.bare.push(await bareBuild(dockerfile, `bare cold ${i}`, `cold-${i}`));
      },
      async () => {
        await coldEngine();
        cold.wharf.push(await wharfCold(`cold${i}`, `wharf cold ${i}`));
      },
    ];
    if (i % 2) sides.reverse();
    for (const side of sides) {
      await side();
      await sleep(500);
    }
  }

  // warm: one app and one bare context, each rebuilt after a one-line change (caches from the builds before)
  await git.createRepo('node');
  await git.push('node', { dir: SAMPLE }, { message: 'node sample' });
  const created = await p.t.call<{ app: App; build: Build }>(appRoutes.create, {
    params: { tenant: owner.tenant.id },
    token: owner.accessToken,
    body: { name: 'node', source: { repository: git.repoUrl('node') }, cpuMillis: 200, memoryMiB: 96 },
  });
  if (created.status !== 201) throw new Error(`create node: ${created.status} ${JSON.stringify(created.body)}`);
  await buildSettled(p.t, owner, 'node', created.body.build.id);
  await quiet('node');
  await bareBuild(dockerfile, 'bare warm start', 'warm-start');
  const warm = { wharf: [] as WharfRun[], bare: [] as { build: number; push: number }[] };
  for (let i = 0; i < ROUNDS; i++) {
    const sides = [
      async () => warm.bare.push(await bareBuild(dockerfile, `bare warm ${i}`, `warm-${i}`)),
      async () => warm.wharf.push(await wharfWarm('node', `wharf warm ${i}`)),
    ];
    if (i % 2) sides.reverse();
    for (const side of sides) {
      await side();
      await sleep(500);
    }
  }

  // webhook → serving: a one-line change pushed, a signed push delivery, until the URL serves the new text
  const hook = await p.t.call<{ webhook: { url: string; secret: string } }>(sourceRoutes.rotateHook, {
    params: { tenant: owner.tenant.id, app: 'node' },
    token: owner.accessToken,
  });
  const hookUrl = `${p.t.url}/api/v1/hooks/${new URL(hook.body.webhook.url).pathname.split('/').pop()}`;
  const host = hostOf(created.body.app);
  const served: number[] = [];
  const servedParts: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const text = `hello from webhook round ${i} ${Date.now()}`;
    const commit = await git.push('node', { 'message.txt': `${text}\n` }, { message: `webhook ${i}` });
    const body = JSON.stringify(pushPayload('github', { repository: 'wharf/node', ref: 'refs/heads/main', after: commit }));
    const t0 = performance.now();
    const res = await fetch(hookUrl, {
      method: 'POST',
      headers: signWebhook('github', body, hook.body.webhook.secret, { deliveryId: `bench-${i}-${Date.now()}` }),
      body,
    });
    if (res.status !== 202) throw new Error(`webhook: ${res.status} ${await res.text()}`);
    const buildId = ((await res.json()) as { builds: string[] }).builds[0] ?? '';
    let builtAt: number | undefined;
    for (;;) {
      const r = await viaProxy(p.cluster.proxyPort, host).catch(() => ({ status: 0, body: '' }));
      if (r.status === 200 && r.body.trim() === text) break;
      if (builtAt === undefined) {
        const b = await p.t.call<Build>(buildRoutes.get, {
          params: { tenant: owner.tenant.id, app: 'node', build: buildId },
          token: owner.accessToken,
        });
        if (b.body.status === 'succeeded') builtAt = performance.now() - t0;
        if (b.body.status === 'failed' || b.body.status === 'cancelled') throw new Error(`webhook build ${b.body.status}`);
      }
      await sleep(25);
    }
    const ms = performance.now() - t0;
    served.push(ms);
    servedParts.push(`${s(builtAt ?? ms)} built + ${s(ms - (builtAt ?? ms))} deployed`);
    await quiet('node');
    await sleep(500);
  }

  const bareTotal = (xs: { build: number; push: number }[]) => xs.map((x) => x.build + x.push);
  const row = (label: string, xs: number[], note = '') =>
    `| ${label.padEnd(44)} | ${s(median(xs)).padStart(7)} s | ${list(xs)}${note ? ` | ${note}` : ''}`;
  const coldRatio = median(cold.wharf.map((r) => r.total)) / median(bareTotal(cold.bare));
  const warmRatio = median(warm.wharf.map((r) => r.total)) / median(bareTotal(warm.bare));
  console.log(`\nbuilds of the Node sample, ${ROUNDS} rounds each (medians; seconds)`);
  console.log('| | median | rounds');
  console.log(row('cold: bare docker build + push', bareTotal(cold.bare)));
  console.log(
    row(
      'cold:   of which docker build',
      cold.bare.map((x) => x.build),
    ),
  );
  console.log(
    row(
      'cold:   of which docker push',
      cold.bare.map((x) => x.push),
    ),
  );
  console.log(
    row(
      'cold: Wharf, POST /apps → succeeded',
      cold.wharf.map((r) => r.total),
    ),
  );
  console.log(
    row(
      'cold:   of which queue pickup',
      cold.wharf.map((r) => r.pickup),
    ),
  );
  console.log(
    row(
      'cold:   of which on the builder',
      cold.wharf.map((r) => r.builder),
    ),
  );
  console.log(row('warm: bare docker build + push', bareTotal(warm.bare)));
  console.log(
    row(
      'warm:   of which docker build',
      warm.bare.map((x) => x.build),
    ),
  );
  console.log(
    row(
      'warm:   of which docker push',
      warm.bare.map((x) => x.push),
    ),
  );
  console.log(
    row(
      'warm: Wharf, POST /builds → succeeded',
      warm.wharf.map((r) => r.total),
    ),
  );
  console.log(
    row(
      'warm:   of which queue pickup',
      warm.wharf.map((r) => r.pickup),
    ),
  );
  console.log(
    row(
      'warm:   of which on the builder',
      warm.wharf.map((r) => r.builder),
    ),
  );
  console.log(row('webhook → new text served through the URL', served));
  console.log(`  cold ratio Wharf/bare ${coldRatio.toFixed(2)}×, warm ratio ${warmRatio.toFixed(2)}× (goal ≤ 1.15×)`);
  console.log(`  webhook → serving median ${s(median(served))} s (goal ≤ 10 s): ${servedParts.join('; ')}`);
  console.log('\nwhere one Wharf build goes (ms after the request; log lines are stored every 250 ms):');
  for (const [label, r] of [
    ['cold', cold.wharf.at(-1)],
    ['warm', warm.wharf.at(-1)],
  ] as const) {
    if (r) console.log(`  ${label}: ${phases(r)}`);
    // BENCH_VERBOSE=1: the whole log of that build, with when each line was first seen
    if (r && process.env.BENCH_VERBOSE) for (const x of r.timeline) console.log(`    +${Math.round(x.at)} ${x.line}`);
  }
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
});
