import { randomUUID } from 'node:crypto';
import { agentRoutes, JOIN_TOKEN_PREFIX } from '@wharf/contracts';
import { hashToken, randomSecret } from '@wharf/crypto';
import { AgentCommandsRepository, type Database, type HostState, HostsRepository, type TenantId } from '@wharf/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DATABASE } from '../core/tokens.js';
import { expectProblem } from '../security/fixtures.js';

/*
 * Agents of hosts: registration with a host's one-time token, and commands that go to one agent of a cluster.
 * A cluster of a tenant with two agents: A joined with the cluster's token (no host: it runs cluster-wide commands,
 * as the embedded agent does), B registered for a host that is a Swarm worker.
 */

const ENGINE = { version: '27.5.1', apiVersion: '1.41', os: 'Debian GNU/Linux 13', swarmNodeId: 'node-1' };

let t: TestApp;
let db: Database;
let tenantId: TenantId;
let clusterId: string;
const hostsRepo = new HostsRepository();
const commands = new AgentCommandsRepository();

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get<symbol, Database>(DATABASE);
  const owner = await signup(t);
  tenantId = owner.tenant.id as TenantId;
  const cluster = await t.app
    .get(ClustersService)
    .create({ name: `own-${randomUUID().slice(0, 8)}`, domain: 'own.example.test', proxyPort: 443, tenantId });
  clusterId = cluster.id;
});
afterAll(() => t?.close());

const register = (token: string, name: string) =>
  t.call(agentRoutes.register, { body: { joinToken: token, name, engine: ENGINE } });

/** A host of the tenant's cluster walked to `state`, and its registration token (in the clear, as cloud-init gets it). */
async function createHost(state: HostState, expiresInMs = 3_600_000) {
  const token = `${JOIN_TOKEN_PREFIX}${randomSecret()}`;
  const path: HostState[] = ['requested', 'creating', 'booting', 'bootstrapping'];
  const host = await db.withTenant(tenantId, null, async (s) => {
    const created = await hostsRepo.create(s, {
      clusterId,
      cloudAccountId: null,
      provider: 'local',
      region: 'local',
      zone: null,
      instanceType: 'local.small',
      vcpus: 1,
      memoryMib: 1024,
      name: `host-${randomUUID().slice(0, 8)}`,
      clientToken: randomUUID(),
      registrationTokenHash: hashToken(token),
      registrationExpiresAt: new Date(Date.now() + expiresInMs),
    });
    if (!created) throw new Error('host not created');
    for (let i = 1; i <= path.indexOf(state); i++) {
      const from = path[i - 1];
      const to = path[i];
      if (!from || !to || to === 'failed') throw new Error('bad path');
      await hostsRepo.transition(s, created.id, [from], to);
    }
    return created;
  });
  return { host, token };
}

const hostRow = async (id: string) =>
  (await t.owner.query('select state, agent_id, registration_token_hash from hosts where id = $1', [id])).rows[0];

async function joinWithClusterToken(name: string) {
  const res = await register(await t.app.get(ClustersService).issueJoinToken(clusterId), name);
  expect(res.status).toBe(201);
  return res.body as { agentId: string; clusterId: string; credential: string };
}

function enqueue(key: string, agentId?: string) {
  return db.withPlatform((p) =>
    commands.enqueue(p, {
      clusterId,
      tenantId: null,
      idempotencyKey: key,
      kind: 'stack.remove',
      payload: { kind: 'stack.remove', scope: { tenantId, app: key, environment: 'production' }, volumes: false },
      ...(agentId ? { agentId } : {}),
    }),
  );
}

async function poll(credential: string, restarted = false): Promise<string[]> {
  const res = await t.call(agentRoutes.poll, { token: credential, body: { waitMs: 0, restarted } });
  expect(res.status).toBe(200);
  return (res.body as { commands: { id: string }[] }).commands.map((c) => c.id);
}

const commandRow = async (id: string) =>
  (await t.owner.query('select state, deliveries, delivered_to from agent_commands where id = $1', [id])).rows[0];

describe('host registration tokens', () => {
  it('a bootstrapping host’s token makes an agent bound to the host, in its cluster, and moves the host to joining', async () => {
    const { host, token } = await createHost('bootstrapping');
    const res = await register(token, 'host-agent');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ agentId: expect.any(String), clusterId, credential: expect.stringMatching(/^wharfa_/) });
    expect(await hostRow(host.id)).toEqual({ state: 'joining', agent_id: res.body.agentId, registration_token_hash: null });
    const agent = await t.owner.query('select cluster_id, host_id from agents where id = $1', [res.body.agentId]);
    expect(agent.rows).toEqual([{ cluster_id: clusterId, host_id: host.id }]);
    // the credential works
    expect(await poll(res.body.credential)).toEqual([]);
  });

  it('is used once: a second registration with it is refused and changes nothing', async () => {
    const { host, token } = await createHost('bootstrapping');
    const first = await register(token, 'first');
    expect(first.status).toBe(201);
    expectProblem(await register(token, 'second'), 403, 'forbidden');
    expect(await hostRow(host.id)).toMatchObject({ state: 'joining', agent_id: first.body.agentId });
    expect((await t.owner.query('select 1 from agents where host_id = $1', [host.id])).rowCount).toBe(1);
  });

  it('an expired token is refused; the host stays as it was', async () => {
    const { host, token } = await createHost('bootstrapping', -1_000);
    expectProblem(await register(token, 'late'), 403, 'forbidden');
    expect(await hostRow(host.id)).toEqual({ state: 'bootstrapping', agent_id: null, registration_token_hash: hashToken(token) });
    // positive control: a fresh host's token on the same path works
    expect((await register((await createHost('bootstrapping')).token, 'in-time')).status).toBe(201);
  });

  it('a host that is not bootstrapping gets its agent but keeps its state; a failed host admits none', async () => {
    const booting = await createHost('booting');
    const res = await register(booting.token, 'early');
    expect(res.status).toBe(201);
    expect(await hostRow(booting.host.id)).toMatchObject({ state: 'booting', agent_id: res.body.agentId });

    const failed = await createHost('bootstrapping');
    await db.withTenant(tenantId, null, (s) => hostsRepo.fail(s, failed.host.id, 'boot timed out'));
    expectProblem(await register(failed.token, 'too-late'), 403, 'forbidden');
    expect(await hostRow(failed.host.id)).toMatchObject({ state: 'failed', agent_id: null });
  });
});

describe('targeted commands', () => {
  let a: { agentId: string; credential: string };
  let b: { agentId: string; credential: string };
  let hostB: string;

  beforeAll(async () => {
    a = await joinWithClusterToken('cluster-agent');
    const { host, token } = await createHost('bootstrapping');
    hostB = host.id;
    const res = await register(token, 'worker-agent');
    expect(res.status).toBe(201);
    b = res.body;
    await db.withTenant(tenantId, null, (s) => hostsRepo.transition(s, hostB, ['joining'], 'ready', { swarmRole: 'worker' }));
    // drain whatever earlier tests left for the cluster's agents
    await poll(a.credential);
  });

  it('an addressed command goes to its agent only; cluster-wide ones never to a worker host’s agent', async () => {
    const toB = await enqueue('to-b', b.agentId);
    const toA = await enqueue('to-a', a.agentId);
    const wide = await enqueue('cluster-wide');
    // B polls first: its own command, not the cluster-wide one
    expect(await poll(b.credential)).toEqual([toB.id]);
    expect(await poll(a.credential)).toEqual([toA.id, wide.id]);
    expect(await poll(b.credential)).toEqual([]);
    expect(await commandRow(toB.id)).toEqual({ state: 'delivered', deliveries: 1, delivered_to: b.agentId });

    // only the addressee reports on an addressed command
    const ok = { ok: true, result: null };
    expectProblem(
      await t.call(agentRoutes.result, { token: a.credential, params: { commandId: toB.id }, body: ok }),
      404,
      'not-found',
    );
    expectProblem(
      await t.call(agentRoutes.progress, {
        token: a.credential,
        params: { commandId: toB.id },
        body: { message: 'x', at: Date.now() },
      }),
      404,
      'not-found',
    );
    expect((await commandRow(toB.id))?.state).toBe('delivered');
    expect((await t.call(agentRoutes.result, { token: b.credential, params: { commandId: toB.id }, body: ok })).status).toBe(204);
    expect((await commandRow(toB.id))?.state).toBe('succeeded');
    for (const id of [toA.id, wide.id]) {
      expect((await t.call(agentRoutes.result, { token: a.credential, params: { commandId: id }, body: ok })).status).toBe(204);
    }
  });

  it('a restart of agent A hands A its own unfinished commands again, not those B is running', async () => {
    const toB = await enqueue('restart-b', b.agentId);
    const toA = await enqueue('restart-a');
    expect(await poll(b.credential)).toEqual([toB.id]);
    expect(await poll(a.credential)).toEqual([toA.id]);
    expect(await poll(a.credential, true)).toEqual([toA.id]);
    expect(await commandRow(toA.id)).toMatchObject({ deliveries: 2, delivered_to: a.agentId });
    expect(await commandRow(toB.id)).toEqual({ state: 'delivered', deliveries: 1, delivered_to: b.agentId });
    // positive control: B's own restart gets B's command back
    expect(await poll(b.credential, true)).toEqual([toB.id]);
  });

  it('the agent of a ready manager host runs cluster-wide commands; of a manager not ready yet, not', async () => {
    await t.owner.query(`update hosts set swarm_role = 'manager', state = 'joining' where id = $1`, [hostB]);
    const wide = await enqueue('manager-wide');
    expect(await poll(b.credential)).toEqual([]);
    await t.owner.query(`update hosts set state = 'ready' where id = $1`, [hostB]);
    expect(await poll(b.credential)).toEqual([wide.id]);
    expect(await poll(a.credential)).toEqual([]);
  });
});
