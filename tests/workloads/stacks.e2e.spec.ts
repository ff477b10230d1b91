import { type App, appRoutes, type Deployment, stackRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { deploy, deploymentLog, settled, waitServing } from '../support/apps.js';
import { engine, ensureHttpImage } from '../support/engine.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * A compose stack on the real engine: services deployed in dependency order (db healthy, a migration job completed →
 * api healthy → web),
 * web reachable at its URL; a revision whose api never becomes healthy takes the whole stack back.
 */
let p: Platform;
let owner: Account;
let v1: string;
let v2: string;

/** A connect-only health check the busybox image runs without a shell. */
const HEALTHY = `["CMD", "nc", "-w", "1", "127.0.0.1", "8080", "-e", "true"]`;
const SMALL = `deploy: { resources: { limits: { cpus: "0.05", memory: 16M } } }`;

const stack = (o: { webImage: string; apiCheck: string; dbMarker?: string }) => `# a three-tier stack
x-check: &check
  interval: 1s
  timeout: 1s
  retries: 2
  start_period: 0s

services:
  db:
    image: ${v1}
    healthcheck: { <<: *check, test: ${HEALTHY} }
    environment:
      ROLE: db${o.dbMarker ? `\n      MARKER: ${o.dbMarker}` : ''}
    ${SMALL}
  migrate:
    image: ${v1}
    command: ["true"]
    deploy: { mode: replicated-job, resources: { limits: { cpus: "0.05", memory: 16M } } }
    depends_on: [db]
  api:
    image: ${v1}
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
    healthcheck: { <<: *check, test: ${o.apiCheck} }
    ${SMALL}
  web:
    image: ${o.webImage}
    ports: ["8080"]
    depends_on:
      api: { condition: service_healthy }
    ${SMALL}
`;

beforeAll(async () => {
  p = await startPlatform();
  [v1, v2] = await Promise.all([ensureHttpImage('v1', 'hello v1'), ensureHttpImage('v2', 'hello v2')]);
  owner = await signup(p.t, 'Stack Owner');
}, 120_000);
afterAll(async () => {
  await p?.stop();
}, 60_000);

/** Index of the first log line matching, failing the test when there is none. */
function at(lines: string[], pattern: RegExp): number {
  const i = lines.findIndex((l) => pattern.test(l));
  expect(i, `no log line matches ${pattern}:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
  return i;
}

async function serviceEnv(name: string): Promise<string[]> {
  const services = await engine().listServices({
    filters: JSON.stringify({ label: [`wharf.tenant=${owner.tenant.id}`, 'wharf.app=shop', `wharf.service=${name}`] }),
  });
  const task = services[0]?.Spec?.TaskTemplate as { ContainerSpec?: { Env?: string[] } } | undefined;
  return task?.ContainerSpec?.Env ?? [];
}

describe('compose stacks on Swarm', () => {
  let first: Deployment;

  it('deploys web → api → db in dependency order, each after what it depends on is healthy', async () => {
    const res = await p.t.call<{ app: App; deployment: Deployment }>(appRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { name: 'shop', compose: stack({ webImage: v1, apiCheck: HEALTHY }) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.app.kind).toBe('compose');
    first = await settled(p.t, owner, 'shop', res.body.deployment.id, 150_000);
    expect(first.status, first.reason ?? '').toBe('live');
    expect(first.services.sort()).toEqual(['api', 'db', 'migrate', 'web']);

    const lines = await deploymentLog(p.t, first.id);
    const db = at(lines, /creating service db\b/);
    const apiWaited = Math.max(at(lines, /api: db is healthy/), at(lines, /api: migrate is completed/));
    const api = at(lines, /creating service api\b/);
    const webWaited = at(lines, /web: api is healthy/);
    const web = at(lines, /creating service web\b/);
    expect([db, apiWaited, api, webWaited, web]).toEqual([...[db, apiWaited, api, webWaited, web]].sort((a, b) => a - b));

    const app = await p.t.call<App>(appRoutes.get, {
      params: { tenant: owner.tenant.id, app: 'shop' },
      token: owner.accessToken,
    });
    expect(app.body.url).toBe(`http://web.shop.${owner.tenant.slug}.${p.cluster.domain}:${p.cluster.proxyPort}`);
    await waitServing(p.cluster.proxyPort, new URL(app.body.url ?? '').hostname, 'hello v1');
  }, 200_000);

  it('rolls the whole stack back when the api of a new revision never becomes healthy', async () => {
    const saved = await p.t.call(stackRoutes.save, {
      params: { tenant: owner.tenant.id, app: 'shop' },
      token: owner.accessToken,
      body: { yaml: stack({ webImage: v2, apiCheck: '["CMD", "false"]', dbMarker: 'revision-2' }) },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const second = await settled(p.t, owner, 'shop', (await deploy(p.t, owner, 'shop')).id, 200_000);
    expect(second.status, second.reason ?? '').toBe('rolled_back');
    expect(second.reason).toMatch(/api/);
    expect(second.reason).toMatch(/whole stack was rolled back/);
    const lines = await deploymentLog(p.t, second.id);
    // the migration job did not change: it is not run again
    expect(lines, lines.filter((l) => l.includes('migrate')).join('\n')).toContain('service migrate unchanged');
    // web waits for an api that never becomes healthy: it is never updated to v2
    expect(
      lines.some((l) => /web: not deployed/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    // db was updated (healthy) in revision 2, then put back with the rest
    expect(await serviceEnv('db')).not.toContain('MARKER=revision-2');
    const app = await p.t.call<App>(appRoutes.get, {
      params: { tenant: owner.tenant.id, app: 'shop' },
      token: owner.accessToken,
    });
    expect(app.body.currentDeploymentId).toBe(first.id);
    await waitServing(p.cluster.proxyPort, new URL(app.body.url ?? '').hostname, 'hello v1');
  }, 260_000);
});
