import { appRoutes, type Deployment, deploymentRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../../../../tests/support/app.js';
import { createApp, deploy, engineReplicas, settled, tcpCheck, until, waitServing } from '../../../../tests/support/apps.js';
import { ensureHttpImage } from '../../../../tests/support/engine.js';
import { type Platform, startPlatform } from '../../../../tests/support/workload.js';

/*
 * Crashes lose nothing: `kill -9` the worker, and separately the agent, in the middle of a rollout, then both during
 * an integration stage. After a restart the deployment ends (live), there is exactly one Swarm service, and the
 * command was neither lost nor duplicated.
 */
let p: Platform;
let owner: Account;
let v1: string;
let v2: string;

beforeAll(async () => {
  p = await startPlatform();
  [v1, v2] = await Promise.all([ensureHttpImage('v1', 'hello v1'), ensureHttpImage('v2', 'hello v2')]);
  owner = await signup(p.t, 'Crash Tester');
}, 120_000);
afterAll(async () => p?.stop(), 60_000);

async function status(app: string, id: string): Promise<Deployment['status']> {
  const res = await p.t.call<Deployment>(deploymentRoutes.get, {
    params: { tenant: owner.tenant.id, app, deploymentId: id },
    token: owner.accessToken,
  });
  return res.body.status;
}

async function applyCommands(deploymentId: string) {
  const { rows } = await p.t.owner.query<{ state: string; deliveries: number }>(
    `select state, deliveries from agent_commands where idempotency_key = $1`,
    [`deploy-${deploymentId}`],
  );
  return rows;
}

describe('crash recovery', () => {
  it('kill -9 the worker mid-deployment: after a restart the deployment ends live, once', async () => {
    // a health check every second keeps the new task `starting` for a while: a window to kill in
    const created = await createApp(p.t, owner, {
      name: 'crashy',
      image: v1,
      port: 8080,
      cpuMillis: 100,
      memoryMiB: 32,
      healthcheck: tcpCheck(8080, 2),
    });
    const id = created.deployment?.id ?? '';
    await until('the rollout to start', async () => (await status('crashy', id)) === 'rolling_out', 30_000);
    p.cluster.kill('worker');
    await new Promise((r) => setTimeout(r, 1_000));
    p.cluster.restart('worker');
    const done = await settled(p.t, owner, 'crashy', id, 90_000);
    expect(done.status, done.reason ?? '').toBe('live');
    expect(await engineReplicas(owner.tenant.id, 'crashy')).toEqual([1]);
    const commands = await applyCommands(id);
    expect(commands).toHaveLength(1);
    expect(commands[0]?.state).toBe('succeeded');
    await waitServing(p.cluster.proxyPort, `web.crashy.${owner.tenant.slug}.${p.cluster.domain}`, 'hello v1');
  }, 150_000);

  it('kill -9 the agent mid-deployment: the command is delivered again and the deployment ends live', async () => {
    const patched = await p.t.call(appRoutes.update, {
      params: { tenant: owner.tenant.id, app: 'crashy' },
      token: owner.accessToken,
      body: { image: v2 },
    });
    expect(patched.status).toBe(200);
    const d = await deploy(p.t, owner, 'crashy');
    await until('the rollout to start', async () => (await status('crashy', d.id)) === 'rolling_out', 30_000);
    await until('the agent to take the command', async () => (await applyCommands(d.id))[0]?.deliveries === 1, 10_000);
    p.cluster.kill('agent');
    await new Promise((r) => setTimeout(r, 1_000));
    p.cluster.restart('agent');
    const done = await settled(p.t, owner, 'crashy', d.id, 120_000);
    expect(done.status, done.reason ?? '').toBe('live');
    expect(await engineReplicas(owner.tenant.id, 'crashy')).toEqual([1]);
    const commands = await applyCommands(d.id);
    expect(commands).toHaveLength(1);
    expect(commands[0]?.state).toBe('succeeded');
    expect(commands[0]?.deliveries).toBeGreaterThanOrEqual(2);
    await waitServing(p.cluster.proxyPort, `web.crashy.${owner.tenant.slug}.${p.cluster.domain}`, 'hello v2');
  }, 180_000);

  it('kill -9 the worker and the agent during an integration stage: it runs again from scratch and the rollout follows', async () => {
    const compose = `services:
  web:
    image: ${v1}
    ports: ["8080"]
    deploy: { resources: { limits: { cpus: "0.05", memory: 16M } } }
  tester:
    image: ${v1}
    x-wharf-test: true
    command: ["sh", "-c", "sleep 3; nc -w 2 web 8080 -e true && echo reached web"]
    depends_on: [web]
    deploy: { resources: { limits: { cpus: "0.05", memory: 16M } } }
`;
    const created = await p.t.call(appRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { name: 'tested', compose, deploy: false },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const d = await deploy(p.t, owner, 'tested', { test: true });
    const testCommand = async () =>
      (
        await p.t.owner.query<{ state: string; deliveries: number }>(
          'select state, deliveries from agent_commands where idempotency_key = $1',
          [`test-${d.id}`],
        )
      ).rows;
    await until('the agent to take the test', async () => (await testCommand())[0]?.deliveries === 1, 30_000);
    p.cluster.kill('worker');
    p.cluster.kill('agent');
    await new Promise((r) => setTimeout(r, 1_000));
    p.cluster.restart('agent');
    p.cluster.restart('worker');
    const done = await settled(p.t, owner, 'tested', d.id, 150_000);
    expect(done.status, done.reason ?? '').toBe('live');
    expect(done.test).toEqual({ passed: true, exitCode: 0, reason: null });
    const commands = await testCommand();
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ state: 'succeeded' });
    expect(commands[0]?.deliveries).toBeGreaterThanOrEqual(2);
    // only production runs: the temporary environment is gone
    expect(await engineReplicas(owner.tenant.id, 'tested')).toEqual([1]);
  }, 200_000);
});
