import { appRoutes, type Deployment, stackRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { deploy, deploymentLog, settled } from '../support/apps.js';
import { engine, ensureHttpImage } from '../support/engine.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * The integration stage: a deployment with `test: true` first runs the stack's test service once against a
 * temporary copy of the whole stack; its exit code and logs are the verdict, the copy is removed either way, and
 * only a passing test lets the rollout go on.
 */
let p: Platform;
let owner: Account;
let image: string;

const SMALL = `deploy: { resources: { limits: { cpus: "0.05", memory: 16M } } }`;
const stack = (script: string) => `services:
  web:
    image: ${image}
    ports: ["8080:8080"]
    ${SMALL}
  tester:
    image: ${image}
    x-wharf-test: true
    command: ["sh", "-c", ${JSON.stringify(script)}]
    depends_on: [web]
    ${SMALL}
`;

beforeAll(async () => {
  p = await startPlatform();
  image = await ensureHttpImage('v1', 'hello v1');
  owner = await signup(p.t, 'Test Stage Owner');
}, 120_000);
afterAll(async () => {
  await p?.stop();
}, 60_000);

/** Engine objects of the app's temporary test environments (there must be none once a stage is over). */
async function leftovers(): Promise<string[]> {
  const docker = engine();
  const mine = (labels: Record<string, string> | undefined) =>
    labels?.['wharf.tenant'] === owner.tenant.id && (labels['wharf.environment'] ?? '').startsWith('wharf-test-');
  const [services, networks, volumes, secrets, containers] = await Promise.all([
    docker.listServices(),
    docker.listNetworks(),
    docker.listVolumes(),
    docker.listSecrets(),
    docker.listContainers({ all: true }),
  ]);
  return [
    ...services.filter((s) => mine(s.Spec?.Labels)).map((s) => `service ${s.Spec?.Name}`),
    ...networks.filter((n) => mine(n.Labels)).map((n) => `network ${n.Name}`),
    ...(volumes.Volumes ?? []).filter((v) => mine(v.Labels)).map((v) => `volume ${v.Name}`),
    ...secrets.filter((s) => mine(s.Spec?.Labels)).map((s) => `secret ${s.Spec?.Name}`),
    ...containers.filter((c) => mine(c.Labels)).map((c) => `container ${c.Id} (${c.State})`),
  ];
}

describe('the integration stage', () => {
  it('passes: the test reaches the stack, its logs are kept, the rollout goes on, nothing is left', async () => {
    const created = await p.t.call(appRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { name: 'gated', compose: stack('nc -w 2 web 8080 -e true && echo reached web'), deploy: false },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await settled(p.t, owner, 'gated', (await deploy(p.t, owner, 'gated', { test: true })).id, 200_000);
    expect(done.status, done.reason ?? '').toBe('live');
    expect(done.test).toEqual({ passed: true, exitCode: 0, reason: null });
    // the test service is not part of what runs in the environment
    expect(done.services).toEqual(['web']);
    const lines = await deploymentLog(p.t, done.id);
    expect(lines).toContain('test | reached web');
    expect(lines.findIndex((l) => /testing/.test(l))).toBeLessThan(lines.findIndex((l) => /rolling out/.test(l)));
    expect(await leftovers()).toEqual([]);
  }, 240_000);

  it('fails: the exit code and logs are the verdict, the environment keeps its revision, nothing is left', async () => {
    const saved = await p.t.call(stackRoutes.save, {
      params: { tenant: owner.tenant.id, app: 'gated' },
      token: owner.accessToken,
      body: { yaml: stack('echo "checking the api"; echo "boom: 2 failures" >&2; exit 3') },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const before = await p.t.call<{ currentDeploymentId: string }>(appRoutes.get, {
      params: { tenant: owner.tenant.id, app: 'gated' },
      token: owner.accessToken,
    });
    const done: Deployment = await settled(p.t, owner, 'gated', (await deploy(p.t, owner, 'gated', { test: true })).id, 200_000);
    expect(done.status).toBe('failed');
    expect(done.test).toMatchObject({ passed: false, exitCode: 3 });
    expect(done.reason).toMatch(/integration test failed: the test service tester exited with 3/);
    const lines = await deploymentLog(p.t, done.id);
    expect(lines).toEqual(expect.arrayContaining(['test | checking the api', 'test | boom: 2 failures']));
    expect(lines.some((l) => /rolling out/.test(l))).toBe(false);
    const after = await p.t.call<{ currentDeploymentId: string }>(appRoutes.get, {
      params: { tenant: owner.tenant.id, app: 'gated' },
      token: owner.accessToken,
    });
    expect(after.body.currentDeploymentId).toBe(before.body.currentDeploymentId);
    expect(await leftovers()).toEqual([]);
  }, 240_000);
});
