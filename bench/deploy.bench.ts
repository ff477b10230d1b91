import http from 'node:http';
import { appRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { type Account, signup } from '../tests/support/app.js';
import { createApp, hostOf, until, viaProxy } from '../tests/support/apps.js';
import { engine, ensureHttpImage } from '../tests/support/engine.js';
import { type Platform, startPlatform } from '../tests/support/workload.js';

/*
 * Deploy latency: from `POST /apps` (with its first deployment) to the first HTTP 200 through the app's URL, against
 * the bare engine doing the same (`docker service create` of the same image with the same settings, then polling
 * the task's port the same way), in the same run. Then 20 apps of 4 tenants deployed at once. Prints the figures.
 *
 *   npm run bench:deploy            (BENCH_ROUNDS=7 to change the number of rounds)
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POLL_MS = 25;
let p: Platform;
let image: string;
const docker = engine();

beforeAll(async () => {
  p = await startPlatform({ reconcileIntervalMs: 60_000 });
  image = await ensureHttpImage('bench', 'bench');
}, 300_000);
afterAll(async () => p?.stop(), 120_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Wharf: POST the app, then poll its URL through the edge proxy until it answers 200. */
async function wharfDeploy(who: Account, name: string, timeline = false): Promise<number> {
  const started = Date.now();
  const t0 = performance.now();
  const { app, deployment } = await createApp(p.t, who, { name, image, port: 8080, cpuMillis: 50, memoryMiB: 16 });
  const created = performance.now() - t0;
  const host = hostOf(app);
  while ((await viaProxy(p.cluster.proxyPort, host).catch(() => ({ status: 0 }))).status !== 200) await sleep(POLL_MS);
  const ms = performance.now() - t0;
  if (timeline) {
    // where the time goes: the deployment's events (API, worker, agent) against the POST
    const { rows } = await p.t.owner.query<{ at: Date; message: string }>(
      'select at, message from deployment_events where deployment_id = $1 order by seq',
      [deployment?.id],
    );
    console.log(`  timeline of ${name}: POST answered +${created.toFixed(0)} ms, first 200 +${ms.toFixed(0)} ms`);
    for (const e of rows) console.log(`    +${String(e.at.getTime() - started).padStart(5)} ms  ${e.message}`);
  }
  return ms;
}

async function wharfRemove(who: Account, name: string): Promise<void> {
  await p.t.call(appRoutes.remove, { params: { tenant: who.tenant.id, app: name }, token: who.accessToken });
}

/** The bare engine: create the same service, find its task's host port, poll it until it answers 200. */
async function bareDeploy(name: string, withNetwork = false): Promise<{ ms: number; id: string; network?: string }> {
  const t0 = performance.now();
  const network = withNetwork
    ? (await docker.createNetwork({ Name: name, Driver: 'overlay', Labels: { 'wharf.bench': '1' } })).id
    : undefined;
  const created = await docker.createService({
    Name: name,
    Labels: { 'wharf.bench': '1' },
    TaskTemplate: {
      ContainerSpec: { Image: image, Init: true },
      Resources: { Limits: { NanoCPUs: 50_000_000, MemoryBytes: 16 * 1024 * 1024 } },
      ...(network ? { Networks: [{ Target: network }] } : {}),
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: { Mode: 'dnsrr', Ports: [{ Protocol: 'tcp', TargetPort: 8080, PublishMode: 'host' }] },
  } as never);
  const id = (created as { id?: string; ID?: string }).id ?? (created as { ID?: string }).ID ?? '';
  for (;;) {
    const tasks = (await docker.listTasks({ filters: JSON.stringify({ service: [id], 'desired-state': ['running'] }) })) as {
      Status?: { PortStatus?: { Ports?: { PublishedPort?: number }[] } };
    }[];
    const port = tasks[0]?.Status?.PortStatus?.Ports?.[0]?.PublishedPort;
    if (port && (await get(port)) === 200) return { ms: performance.now() - t0, id, ...(network ? { network } : {}) };
    await sleep(POLL_MS);
  }
}

it('deploy latency: Wharf vs the bare engine', async () => {
  const owner = await signup(p.t, 'Bench');
  await p.t.owner.query(`insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'services', 100)`, [
    owner.tenant.id,
  ]);
  const wharf: number[] = [];
  const bare: number[] = [];
  const bareNet: number[] = [];
  // warm-up: one of each (image in the engine's cache, first overlay network, Caddy's first config)
  await wharfDeploy(owner, 'warm');
  await wharfRemove(owner, 'warm');
  const warm = await bareDeploy(`bench-warm-${Date.now()}`);
  await docker.getService(warm.id).remove();
  for (let i = 0; i < ROUNDS; i++) {
    // alternate, so drift in the machine's load hits both sides alike
    const b = await bareDeploy(`bench-bare-${Date.now()}-${i}`);
    bare.push(b.ms);
    await docker.getService(b.id).remove();
    // the same with its own overlay network, as Wharf gives every app environment (isolation)
    const n = await bareDeploy(`bench-net-${Date.now()}-${i}`, true);
    bareNet.push(n.ms);
    await docker.getService(n.id).remove();
    wharf.push(await wharfDeploy(owner, `w${i}`, i === ROUNDS - 1));
    await wharfRemove(owner, `w${i}`);
    await sleep(1_000);
  }
  const ratio = median(wharf) / median(bare);
  console.log(`\ndeploy → first 200, ${ROUNDS} rounds`);
  console.log(`  bare engine  median ${median(bare).toFixed(0)} ms   (${bare.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  bare + overlay median ${median(bareNet).toFixed(0)} ms   (${bareNet.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  Wharf        median ${median(wharf).toFixed(0)} ms   (${wharf.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(
    `  ratio        ${ratio.toFixed(2)}× the bare engine   (goal ≤ 1.25×); ${(median(wharf) / median(bareNet)).toFixed(2)}× bare + overlay`,
  );
  // overlay networks of removed bench services
  for (const net of await docker.listNetworks({ filters: JSON.stringify({ label: ['wharf.bench=1'] }) })) {
    await docker
      .getNetwork(net.Id)
      .remove()
      .catch(() => undefined);
  }
});

it('20 apps of 4 tenants deployed at once', async () => {
  const tenants = await Promise.all([1, 2, 3, 4].map((i) => signup(p.t, `Tenant ${i}`)));
  for (const who of tenants) {
    await p.t.owner.query(
      `insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'services', 100), ($1, 'concurrentDeploys', 5)`,
      [who.tenant.id],
    );
  }
  const t0 = performance.now();
  const times = await Promise.all(tenants.flatMap((who) => [0, 1, 2, 3, 4].map((i) => wharfDeploy(who, `burst${i}`))));
  const total = performance.now() - t0;
  console.log(
    `\n20 apps of 4 tenants at once: total ${(total / 1000).toFixed(1)} s, per deploy median ${median(times).toFixed(0)} ms, p95 ${p95(times).toFixed(0)} ms`,
  );
  await until('cleanup', async () => {
    for (const who of tenants) for (const i of [0, 1, 2, 3, 4]) await wharfRemove(who, `burst${i}`);
    return true;
  });
});
