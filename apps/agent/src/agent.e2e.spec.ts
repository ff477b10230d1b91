import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENT_PATHS, AgentCommand, agentRoutes, appRoutes, type StackScope } from '@wharf/contracts';
import { hashToken } from '@wharf/crypto';
import { LABEL_TENANT } from '@wharf/engine';
import { CHANNELS, KEYS } from '@wharf/queue';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentApi, eventually, startAgentApi } from '../../../tests/support/agents.js';
import { signup } from '../../../tests/support/app.js';
import { ensureHttpImage } from '../../../tests/support/engine.js';
import { type RunningAgent, startAgent } from './agent.js';
import type { FetchFn } from './api-client.js';
import { DockerRepository } from './docker/repository.js';
import { FatalAuthError } from './errors.js';

/*
 * The whole agent in-process against the real API (its own database, Redis) and the real engine: commands are
 * written as the worker writes them and read back from agent_commands. Registration and its state file, the
 * long-poll with `restarted`, at-least-once delivery, per-stack ordering, results, progress, heartbeats, events, log
 * streams, credential rotation, revocation. main.js as a process: main.e2e.spec.ts.
 */

interface Sent {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
  status?: number;
}

/** The agent's HTTP calls, recorded on their way to the real API (sent in order; the status once answered). */
const sent: Sent[] = [];
const recording: FetchFn = async (input, init) => {
  const headers = (init?.headers ?? {}) as Record<string, string>;
  const call: Sent = {
    path: new URL(String(input)).pathname,
    auth: headers.authorization,
    body: JSON.parse(String(init?.body ?? '{}')),
  };
  sent.push(call);
  const res = await fetch(input, init);
  call.status = res.status;
  return res;
};
const of = (p: string) => sent.filter((c) => c.path === p);

const dir = mkdtempSync(path.join(tmpdir(), 'wharf-agent-'));
const statePath = path.join(dir, 'state.json');
const docker = DockerRepository.connect(process.env.DOCKER_SOCK ?? '/var/run/docker.sock');
const log = pino({ level: process.env.AGENT_TEST_LOG ?? 'silent' });
const readState = () => JSON.parse(readFileSync(statePath, 'utf8')) as { agentId: string; credential: string };

let api: AgentApi;
let agent: RunningAgent | undefined;
let image = '';
let tenantId = '';
let appId = '';
let deploymentId = '';
let scope: StackScope;

const start = (joinToken?: string) =>
  startAgent({
    apiUrl: api.t.url,
    ...(joinToken ? { joinToken } : {}),
    statePath,
    name: 'test-agent',
    docker,
    heartbeatMs: 1000,
    pollWaitMs: 1000,
    log,
    fetch: recording,
  });
const send = (command: AgentCommand) => api.send(randomUUID(), command, tenantId);
const finished = async (id: string, timeoutMs = 30_000) => {
  await eventually(async () => !['pending', 'delivered'].includes((await api.command(id)).state), timeoutMs);
  return api.command(id);
};
const apply = (replicas: number): AgentCommand =>
  AgentCommand.parse({
    kind: 'stack.apply',
    timeoutMs: 60_000,
    desired: {
      scope,
      deploymentId,
      stack: {
        services: [
          {
            name: 'web',
            image,
            command: ['httpd', '-f', '-vv', '-p', '8080', '-h', '/www'],
            replicas,
            ports: [{ containerPort: 8080, http: true }],
            resources: { limits: { memoryMiB: 32, cpuMillis: 200 } },
            stopGracePeriodMs: 1000,
          },
        ],
      },
    },
  });

beforeAll(async () => {
  image = await ensureHttpImage('agent-e2e-1', 'agent v1');
  api = await startAgentApi();
  const owner = await signup(api.t, 'Agent Owner');
  tenantId = owner.tenant.id;
  // an app with a deployment, so a stack.apply's progress has a deployment log to land in
  const created = await api.t.call(appRoutes.create, {
    params: { tenant: tenantId },
    token: owner.accessToken,
    body: { name: 'agent-e2e', image, port: 8080, cpuMillis: 200, memoryMiB: 32, cluster: api.cluster.id },
  });
  if (created.status !== 201) throw new Error(`setup: ${created.status} ${JSON.stringify(created.body)}`);
  appId = created.body.app.id;
  deploymentId = created.body.deployment.id;
  scope = { tenantId, app: 'agent-e2e', environment: 'production' };
});

afterAll(async () => {
  await agent?.stop();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
  if (!tenantId) return;
  const labels = [`${LABEL_TENANT}=${tenantId}`];
  for (const s of await docker.services(labels)) await docker.removeService(s.ID);
  await eventually(async () => (await docker.containers(labels)).length === 0, 30_000).catch(() => undefined);
  for (const n of await docker.networks(labels)) await docker.removeNetwork(n.Id).catch(() => undefined);
}, 60_000);

describe('the agent against the real API and the real engine', () => {
  it('registers with the join token (once), saves its state 0600, and polls with restarted on its first poll', async () => {
    const joinToken = await api.joinToken();
    agent = await start(joinToken);
    expect(agent.clusterId).toBe(api.cluster.id);
    const [register] = of(AGENT_PATHS.register);
    expect(register).toMatchObject({
      auth: undefined,
      status: 201,
      body: { joinToken, name: 'test-agent', engine: { apiVersion: '1.41' } },
    });
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    const state = readState();
    expect(state).toEqual({ agentId: agent.agentId, clusterId: api.cluster.id, credential: expect.stringMatching(/^wharfa_/) });
    const row = await api.t.owner.query('select name, credential_hash, revoked_at from agents where id = $1', [agent.agentId]);
    expect(row.rows).toEqual([{ name: 'test-agent', credential_hash: hashToken(state.credential), revoked_at: null }]);
    // the token is spent
    const again = await api.t.call(agentRoutes.register, { body: { ...register?.body, name: 'second' } });
    expect(again.status).toBe(403);

    await eventually(() => of(AGENT_PATHS.poll).filter((p) => p.status === 200).length >= 2);
    const polls = of(AGENT_PATHS.poll);
    expect(polls.map((p) => p.body.restarted).slice(0, 2)).toEqual([true, false]);
    expect(polls[0]?.auth).toBe(`Bearer ${state.credential}`);
  });

  it('runs a command once however often it is delivered, in order within its stack, its progress in the deployment log', async () => {
    const first = await send(apply(1));
    const scale = await send({ kind: 'service.scale', scope, service: 'web', replicas: 2 });
    const steps = async () =>
      (
        await api.t.owner.query<{ message: string }>(
          `select message from deployment_events where deployment_id = $1 and kind = 'log' order by seq`,
          [deploymentId],
        )
      ).rows.map((r) => r.message);
    await eventually(async () => (await steps()).length > 0);
    // its lease runs out while it runs (as if its heartbeats were lost): the API hands it over again
    await eventually(async () => {
      await api.t.owner.query(
        `update agent_commands set lease_until = now() - interval '1 second' where id = $1 and state = 'delivered'`,
        [first.id],
      );
      await api.bus.publish(CHANNELS.agentWake(api.cluster.id));
      return (await api.command(first.id)).deliveries >= 2;
    });
    const scaled = await finished(scale.id, 60_000);
    const applied = await api.command(first.id);
    expect(applied).toMatchObject({
      state: 'succeeded',
      result: { outcome: 'live', services: [{ service: 'web', desired: 1 }] },
    });
    expect((await steps()).filter((m) => m.startsWith('creating service web'))).toHaveLength(1);
    expect(scaled).toMatchObject({
      state: 'succeeded',
      deliveries: 1,
      result: { converged: true, service: expect.objectContaining({ running: 2 }) },
    });
    // the scale ran after the apply: it found the service the apply created, and finished after the apply's result
    expect(scaled.completedAt?.getTime()).toBeGreaterThan(applied.completedAt?.getTime() ?? Number.POSITIVE_INFINITY);
    // while the apply ran, the heartbeat listed it (extending its lease)
    expect(of(AGENT_PATHS.heartbeat).some((h) => (h.body.running as string[]).includes(first.id))).toBe(true);
  });

  it('reports failures as failed commands with the error', async () => {
    const missing = await send({ kind: 'service.scale', scope, service: 'nope', replicas: 1 });
    expect(await finished(missing.id)).toMatchObject({ state: 'failed', error: expect.stringMatching(/no service "nope"/) });
  });

  it('heartbeats make the cluster ready with its engine and nodes and record what the app runs; engine events are accepted', async () => {
    const actual = async () =>
      (
        await api.t.owner.query<{ actual: Record<string, { running: number }> | null }>(
          `select actual from app_environments where app_id = $1 and name = 'production'`,
          [appId],
        )
      ).rows[0]?.actual?.web;
    await eventually(async () => (await actual())?.running === 2);
    expect(await actual()).toEqual({ desired: 2, running: 2, healthy: 2, message: null });
    const cluster = await api.t.owner.query('select status, last_heartbeat_at, engine, nodes from clusters where id = $1', [
      api.cluster.id,
    ]);
    expect(cluster.rows[0]).toMatchObject({
      status: 'ready',
      last_heartbeat_at: expect.any(Date),
      engine: { apiVersion: '1.41', swarmNodeId: expect.any(String) },
      nodes: [expect.objectContaining({ role: 'manager', state: 'ready' })],
    });
    const seen = await api.t.owner.query('select version, last_seen_at from agents where id = $1', [agent?.agentId]);
    expect(seen.rows[0]).toMatchObject({ version: expect.any(String), last_seen_at: expect.any(Date) });
    await eventually(() =>
      of(AGENT_PATHS.events).some(
        (e) =>
          e.status === 204 && (e.body.events as { message: string }[]).some((x) => /^task web\.[12] started$/.test(x.message)),
      ),
    );
  });

  it('streams logs to the API, which relays them to the stream’s reader, until the stream ends', async () => {
    const streamId = randomUUID();
    await api.redis.set(KEYS.logStreamAlive(streamId), '1', 'EX', 60);
    const batches: { lines: unknown[]; done: boolean }[] = [];
    const unsubscribe = await api.bus.subscribe(CHANNELS.logs(streamId), (m) => batches.push(JSON.parse(m)));
    try {
      const logs = await send({ kind: 'logs.stream', streamId, scope, service: 'web', follow: false, tail: 10 });
      expect(await finished(logs.id)).toMatchObject({ state: 'succeeded', result: { ended: 'stream-ended' } });
      expect(batches.at(-1)).toMatchObject({ done: true });
    } finally {
      await unsubscribe();
    }
  });

  it('restarted from its state file, it does not register again and gets back the command it had not finished', async () => {
    const streamId = randomUUID();
    await api.redis.set(KEYS.logStreamAlive(streamId), '1', 'EX', 60);
    const follow = await send({ kind: 'logs.stream', streamId, scope, service: 'web', follow: true, tail: 1 });
    await eventually(() => of(AGENT_PATHS.heartbeat).some((h) => (h.body.running as string[]).includes(follow.id)));
    await agent?.stop();
    await expect(agent?.done).resolves.toBeUndefined();
    // abandoned, not answered: still delivered, its lease valid
    expect(await api.command(follow.id)).toMatchObject({ state: 'delivered', deliveries: 1 });
    // a command written while it is down waits for it: the long-poll it hung up on (open on the API until its wait
    // would have ended) hands out nothing, or the command would reach no one until its lease ran out
    const meanwhile = await send({ kind: 'service.scale', scope, service: 'web', replicas: 2 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await api.command(meanwhile.id)).toMatchObject({ state: 'pending', deliveries: 0 });

    const registrations = of(AGENT_PATHS.register).length;
    const polls = of(AGENT_PATHS.poll).length;
    agent = await start();
    expect(agent.agentId).toBe(readState().agentId);
    expect(of(AGENT_PATHS.register)).toHaveLength(registrations);
    expect(of(AGENT_PATHS.poll)[polls]?.body.restarted).toBe(true);
    await eventually(async () => (await api.command(follow.id)).deliveries === 2);
    // the reader leaves: the next batch is told to stop
    await api.redis.del(KEYS.logStreamAlive(streamId));
    expect(await finished(follow.id)).toMatchObject({ state: 'succeeded', result: { ended: 'api-stopped' } });
    expect(await finished(meanwhile.id)).toMatchObject({ state: 'succeeded', deliveries: 1 });
    const agents = await api.t.owner.query('select id from agents where cluster_id = $1', [api.cluster.id]);
    expect(agents.rows).toEqual([{ id: agent.agentId }]);
  });

  it('rotates its credential, saves the new one before using it; the old one is refused', async () => {
    const old = readState().credential;
    await agent?.rotateCredential();
    const { credential } = readState();
    expect(credential).not.toBe(old);
    expect((await api.t.call(agentRoutes.rotate, { token: old })).status).toBe(401);
    const since = sent.length;
    await eventually(() => sent.slice(since).some((c) => c.path === AGENT_PATHS.heartbeat && c.status === 200));
    expect(sent.slice(since).every((c) => c.auth === `Bearer ${credential}`)).toBe(true);
  });

  it('removes the stack on command', async () => {
    const remove = await send({ kind: 'stack.remove', scope, volumes: false });
    expect(await finished(remove.id, 60_000)).toMatchObject({
      state: 'succeeded',
      result: { removed: expect.arrayContaining([expect.stringMatching(/^service:/)]) },
    });
  });

  it('stops for good when an admin revokes it', async () => {
    if (!agent) throw new Error('no agent');
    const since = sent.length;
    await api.revoke(agent.agentId);
    await expect(agent.done).rejects.toBeInstanceOf(FatalAuthError);
    expect(sent.slice(since).some((c) => c.status === 401)).toBe(true);
    agent = undefined;
  });
});
