import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DesiredStack, type LogLine, type StackScope } from '@wharf/contracts';
import { LABEL_APP, LABEL_TENANT, serviceName } from '@wharf/engine';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHttpImage } from '../../../../tests/support/engine.js';
import { freePort, waitFor } from '../../../../tests/support/stack.js';
import { DockerRepository } from '../docker/repository.js';
import { watchEngineEvents } from '../events.js';
import { CaddyProxy } from '../proxy/caddy.js';
import { UpstreamDns } from '../proxy/upstream-dns.js';
import { convergeCluster } from './cluster-converge.js';
import type { ExecutorContext, LogBatchBody } from './context.js';
import { streamLogs } from './logs-stream.js';
import { scaleService } from './service-scale.js';
import { isRunning } from './service-state.js';
import { applyStack, runApply } from './stack-apply.js';
import { removeStack } from './stack-remove.js';
import { rollbackStack } from './stack-rollback.js';

/*
 * The executors against the real engine, registry and Caddy: apply (create, unchanged, rolling update with no failed
 * request through the edge proxy, Swarm's automatic rollback, the rolled-back revision delivered again), rollback,
 * scale, converge (repair and prune, never another cluster's objects), logs and remove.
 */

const TENANT = randomUUID();
const CLUSTER = randomUUID();
const OTHER_CLUSTER = randomUUID();
const HOST = 'web.app.t.wharf.localhost';
const docker = DockerRepository.connect(process.env.DOCKER_SOCK ?? '/var/run/docker.sock');
const log = pino({ level: process.env.AGENT_TEST_LOG ?? 'silent' });
const stopAll = new AbortController();
const scope = (app: string): StackScope => ({ tenantId: TENANT, app, environment: 'prod' });
const MAIN = scope('app');

let progress: string[] = [];
function context(clusterId = CLUSTER, sendLogs?: ExecutorContext['sendLogs']): ExecutorContext {
  return {
    docker,
    clusterId,
    log,
    signal: stopAll.signal,
    progress: (m) => progress.push(m),
    sendLogs: sendLogs ?? (async () => ({ continue: true })),
  };
}

let v1 = '';
let v2 = '';
const BROKEN = '127.0.0.1:5000/wharf-test/missing:nope';

function desired(
  s: StackScope,
  image: string,
  options: { deploymentId?: string; replicas?: number; secret?: string } = {},
): DesiredStack {
  return DesiredStack.parse({
    scope: s,
    deploymentId: options.deploymentId ?? randomUUID(),
    stack: {
      services: [
        {
          name: 'web',
          image,
          command: ['httpd', '-f', '-vv', '-p', '8080', '-h', '/www'],
          replicas: options.replicas ?? 2,
          ports: [{ containerPort: 8080, http: true }],
          healthcheck: {
            type: 'command',
            command: ['nc', '-w', '1', '127.0.0.1', '8080'],
            intervalMs: 1000,
            timeoutMs: 2000,
            startPeriodMs: 0,
          },
          update: { monitorMs: 1000 },
          restart: { delayMs: 1000 },
          resources: { limits: { memoryMiB: 32, cpuMillis: 200 } },
          stopGracePeriodMs: 2000,
          secrets: { token: 'token' },
        },
      ],
      secrets: { token: {} },
    },
    secrets: { token: options.secret ?? 's3cret' },
    routes: { web: s.app === 'app' ? HOST : `web.${s.app}.t.wharf.localhost` },
  });
}

/** GET / through the edge proxy with a Host header; "<status> <body>". */
function viaProxy(port: number, host = HOST): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function eventually(fn: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const webService = async (s: StackScope = MAIN) => docker.serviceByName(serviceName(s, 'web'));

/** Removes every object of the test tenant, whatever cluster made it. */
async function sweep(): Promise<void> {
  const labels = [`${LABEL_TENANT}=${TENANT}`];
  for (const s of await docker.services(labels)) await docker.removeService(s.ID);
  await eventually(async () => (await docker.containers(labels)).length === 0, 60_000).catch(() => undefined);
  for (const n of await docker.networks(labels)) await docker.removeNetwork(n.Id).catch(() => undefined);
  for (const s of await docker.fileObjects('secret', labels))
    await docker.removeFileObject('secret', s.ID).catch(() => undefined);
  for (const v of await docker.volumes(labels)) await docker.removeVolume(v.Name).catch(() => undefined);
}

let caddy: ChildProcess | undefined;
let caddyDir = '';
let proxy: CaddyProxy | undefined;
let proxyPort = 0;
let adminPort = 0;
const dns = new UpstreamDns();

beforeAll(async () => {
  [v1, v2] = await Promise.all([ensureHttpImage('agent-e2e-1', 'agent v1'), ensureHttpImage('agent-e2e-2', 'agent v2')]);
  adminPort = await freePort();
  proxyPort = await freePort();
  await dns.listen();
  caddyDir = mkdtempSync(path.join(tmpdir(), 'wharf-caddy-'));
  const config = path.join(caddyDir, 'caddy.json');
  writeFileSync(config, JSON.stringify({ admin: { listen: `127.0.0.1:${adminPort}` } }));
  caddy = spawn('/usr/bin/caddy', ['run', '--config', config], {
    env: { ...process.env, HOME: caddyDir, XDG_CONFIG_HOME: caddyDir, XDG_DATA_HOME: caddyDir },
    stdio: 'ignore',
  });
  await waitFor(`http://127.0.0.1:${adminPort}/config/`, 10_000);
  proxy = new CaddyProxy({
    docker,
    clusterId: CLUSTER,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    listen: `127.0.0.1:${proxyPort}`,
    log,
    resyncMs: 1000,
    dns,
  });
  proxy.start();
  void watchEngineEvents({ docker, clusterId: CLUSTER, log, signal: stopAll.signal, onEvent: () => proxy?.poke() });
});

afterAll(async () => {
  stopAll.abort();
  await proxy?.stop();
  await dns.close();
  if (caddy && caddy.exitCode === null) {
    const exited = new Promise((r) => caddy?.once('exit', r));
    caddy.kill('SIGTERM');
    await exited;
  }
  if (caddyDir) rmSync(caddyDir, { recursive: true, force: true });
  await sweep();
}, 90_000);

describe('stack executors against the real engine', () => {
  let d1: DesiredStack;
  let webVersion = 0;

  it('applies a new stack: live, and served through the edge proxy by host name', async () => {
    d1 = desired(MAIN, v1);
    progress = [];
    const report = await applyStack(context(), d1, { wait: true, deadline: Date.now() + 60_000 });
    expect(report.result).toMatchObject({ outcome: 'live' });
    expect(report.result.services).toEqual([
      expect.objectContaining({ scope: MAIN, service: 'web', desired: 2, running: 2, deploymentId: d1.deploymentId }),
    ]);
    expect(report.created.filter((c) => c.startsWith('service:'))).toHaveLength(1);
    expect(progress.some((m) => m.startsWith('creating network'))).toBe(true);
    expect(progress).toContain('web: 2/2 replicas running');
    await eventually(async () => (await viaProxy(proxyPort)) === '200 agent v1');
    expect(await viaProxy(proxyPort, 'nobody.wharf.localhost')).toMatch(/^404 /);
    // once in step, the proxy does not load the same configuration again (Caddy is asked what it has)
    await proxy?.resync(false);
    expect(await proxy?.sync(true)).toBe(false);
  });

  it('reports a new service whose tasks keep failing as failed, and a stack it cannot render as failed', async () => {
    const report = await applyStack(context(), desired(scope('broken'), BROKEN, { replicas: 1 }), {
      wait: true,
      deadline: Date.now() + 30_000,
    });
    expect(report.result).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/tasks failed.*No such image/) });
    const unrenderable = desired(scope('broken'), v1);
    unrenderable.secrets = {};
    await expect(runApply(context(), unrenderable, 10_000)).resolves.toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/no current secret/),
    });
    await removeStack(context(), scope('broken'), { volumes: false });
  });

  it('applies the same revision again without touching the service', async () => {
    webVersion = (await webService())?.Version.Index ?? 0;
    progress = [];
    const report = await applyStack(context(), d1, { wait: true, deadline: Date.now() + 30_000 });
    expect(report.result.outcome).toBe('live');
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(progress).toContain('service web unchanged');
    expect((await webService())?.Version.Index).toBe(webVersion);
  });

  it('rolls out a new image start-first without one failed request, and drops the old secret', async () => {
    // from revision 1 (already there on the first attempt; put back on a retry)
    expect((await applyStack(context(), d1, { wait: true, deadline: Date.now() + 60_000 })).result.outcome).toBe('live');
    await eventually(async () => (await viaProxy(proxyPort)) === '200 agent v1');
    const d2 = desired(MAIN, v2, { secret: 's3cret-2' });
    const loadsBefore = proxy?.loads;
    const statuses: string[] = [];
    let load = true;
    const hammer = (async () => {
      while (load) statuses.push(await viaProxy(proxyPort).catch((err: unknown) => `error ${String(err)}`));
    })();
    const report = await applyStack(context(), d2, { wait: true, deadline: Date.now() + 60_000 });
    await eventually(async () => (await viaProxy(proxyPort)) === '200 agent v2');
    load = false;
    await hammer;
    expect(report.result.outcome).toBe('live');
    expect(report.updated).toHaveLength(1);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => !/^200 agent v[12]$/.test(s))).toEqual([]);
    // the new task came in and the old one went out through the agent's DNS: Caddy was not reloaded
    expect(proxy?.loads).toBe(loadsBefore);
    const caddyConfig = await fetch(`http://127.0.0.1:${adminPort}/config/`).then((r) => r.text());
    expect(caddyConfig).toContain('"dynamic_upstreams"');
    // the old value's secret is kept while the previous spec (the rollback target) refers to it
    expect((await docker.fileObjects('secret', [`${LABEL_TENANT}=${TENANT}`, `${LABEL_APP}=app`])).length).toBe(2);
  });

  it('rolls the stack back to its previous spec', async () => {
    const result = await rollbackStack(context(), MAIN);
    expect(result.outcome).toBe('rolled_back');
    await eventually(async () => (await viaProxy(proxyPort)) === '200 agent v1');
  });

  const broken = desired(MAIN, BROKEN);
  it('reports a broken image on an existing service as rolled back, and the old revision keeps serving', async () => {
    progress = [];
    const report = await applyStack(context(), broken, { wait: true, deadline: Date.now() + 60_000 });
    expect(report.result.outcome).toBe('rolled_back');
    expect(report.result.reason).toMatch(/No such image|rollback/i);
    expect(progress.some((m) => m.startsWith('web: rollback:'))).toBe(true);
    expect(await viaProxy(proxyPort)).toBe('200 agent v1');
  });

  it('reports the same command delivered again as rolled back without updating again', async () => {
    const before = await webService();
    progress = [];
    const report = await applyStack(context(), broken, { wait: true, deadline: Date.now() + 30_000 });
    expect(report.result.outcome).toBe('rolled_back');
    expect(report.updated).toEqual([]);
    expect(progress.some((m) => m.includes('already rolled back'))).toBe(true);
    expect((await webService())?.Version.Index).toBe(before?.Version.Index);
  });

  it('scales a service', async () => {
    const result = await scaleService(context(), { scope: MAIN, service: 'web', replicas: 3 });
    expect(result).toMatchObject({ converged: true, service: { service: 'web', desired: 3, running: 3 } });
    await expect(scaleService(context(), { scope: MAIN, service: 'nope', replicas: 1 })).rejects.toThrow(/no service "nope"/);
  });

  it('converges: restores hand-scaled replicas, recreates a removed service, prunes only its own cluster', async () => {
    const main = { ...d1, stack: { ...d1.stack, services: d1.stack.services.map((s) => ({ ...s, replicas: 3 })) } };
    const other = desired(scope('other'), v1, { replicas: 1 });
    const orphan = desired(scope('orphan'), v1, { replicas: 1 });
    const foreign = desired(scope('foreign'), v1, { replicas: 1 });
    for (const d of [other, orphan]) await applyStack(context(), d, { wait: false, deadline: Date.now() });
    await applyStack(context(OTHER_CLUSTER), foreign, { wait: false, deadline: Date.now() });

    const web = await webService();
    if (!web) throw new Error('web is gone');
    await docker.updateService(web.ID, web.Version.Index, { ...web.Spec, Mode: { Replicated: { Replicas: 1 } } });
    // `orphan` is being deployed (keep): neither converged nor pruned this time
    const first = await convergeCluster(context(), { stacks: [main, other], prune: true, keep: [scope('orphan')] });
    expect(first.updated).toEqual([`service:${serviceName(MAIN, 'web')}`]);
    expect(first.created).toEqual([]);
    expect(first.removed).toEqual([]);
    expect(await webService(scope('orphan'))).toBeDefined();
    expect((await webService())?.Spec.Mode?.Replicated?.Replicas).toBe(3);

    const gone = await webService();
    if (gone) await docker.removeService(gone.ID);
    const second = await convergeCluster(context(), { stacks: [main, other], prune: true, keep: [] });
    expect(second.created).toEqual([`service:${serviceName(MAIN, 'web')}`]);
    expect(second.updated).toEqual([]);
    expect(second.removed).toEqual(expect.arrayContaining([`service:${serviceName(scope('orphan'), 'web')}`]));
    expect(second.removed.some((r) => r.includes('foreign'))).toBe(false);
    expect(await webService(scope('orphan'))).toBeUndefined();
    expect(await docker.networks([`${LABEL_TENANT}=${TENANT}`, `${LABEL_APP}=orphan`])).toEqual([]);
    expect(await webService(scope('foreign'))).toBeDefined();
    const recreated = await webService();
    await eventually(async () => (await docker.tasks({ service: [recreated?.ID ?? ''] })).filter(isRunning).length === 3, 30_000);
    await eventually(async () => (await viaProxy(proxyPort)) === '200 agent v1');
  });

  it('streams a service’s log lines with the replica they came from', async () => {
    const batches: LogBatchBody[] = [];
    let result: Awaited<ReturnType<typeof streamLogs>> | undefined;
    // each request through the proxy makes the replica that served it log a line
    await eventually(async () => {
      await viaProxy(proxyPort);
      batches.length = 0;
      result = await streamLogs(
        context(CLUSTER, async (_id, batch) => {
          batches.push(batch);
          return { continue: true };
        }),
        { streamId: randomUUID(), scope: MAIN, service: 'web', follow: false, tail: 50 },
      );
      return batches.flatMap((b) => b.lines).some((l) => /url:\//.test(l.line));
    });
    const lines: LogLine[] = batches.flatMap((b) => b.lines);
    expect(result?.ended).toBe('stream-ended');
    expect(batches.at(-1)?.done).toBe(true);
    expect(lines.some((l) => /url:\//.test(l.line) && l.stream === 'stderr' && /^web\.[123]$/.test(l.source))).toBe(true);

    // a followed stream ends when the API says so
    const followed = await streamLogs(
      context(CLUSTER, async () => ({ continue: false })),
      { streamId: randomUUID(), scope: MAIN, service: 'web', follow: true, tail: 5 },
    );
    expect(followed.ended).toBe('api-stopped');
  });

  it('removes a stack: no object with its labels is left', async () => {
    const removed = await removeStack(context(), MAIN, { volumes: true });
    expect(removed).toEqual(expect.arrayContaining([`service:${serviceName(MAIN, 'web')}`]));
    const labels = [`${LABEL_TENANT}=${TENANT}`, `${LABEL_APP}=app`];
    expect(await docker.services(labels)).toEqual([]);
    expect(await docker.containers(labels)).toEqual([]);
    expect(await docker.networks(labels)).toEqual([]);
    expect(await docker.fileObjects('secret', labels)).toEqual([]);
    expect(await docker.volumes(labels)).toEqual([]);
    // removing again: everything already gone is success
    expect(await removeStack(context(), MAIN, { volumes: true })).toEqual([]);
    await eventually(async () => (await viaProxy(proxyPort)).startsWith('404'));
  });
});
