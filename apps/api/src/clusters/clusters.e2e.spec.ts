import { randomUUID } from 'node:crypto';
import { adminClusterRoutes, agentRoutes, type RouteContract } from '@wharf/contracts';
import { hashToken } from '@wharf/crypto';
import { AgentCommandsRepository, type Database } from '@wharf/db';
import { type Bus, CHANNELS } from '@wharf/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ENGINE, FAKE_HEARTBEAT } from '../../../../tests/support/agents.js';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { BUS, DATABASE } from '../core/tokens.js';
import { apiToken, expectProblem, platformAdmin } from '../security/fixtures.js';

/*
 * The admin-clusters routes against the real agent endpoints: a cluster and its join token, an agent registering
 * with it (once), its heartbeats, credential rotation and revocation.
 */

let t: TestApp;
let admin: Account;

beforeAll(async () => {
  t = await startTestApp();
  admin = await platformAdmin(t);
});
afterAll(() => t?.close());

const create = (name: string, token = admin.accessToken) =>
  t.call(adminClusterRoutes.create, { token, body: { name, domain: `${name}.example.test`, proxyPort: 8443 } });
const register = (joinToken: string, name = 'agent-1') =>
  t.call(agentRoutes.register, { body: { joinToken, name, engine: FAKE_ENGINE } });
const heartbeat = (credential: string) => t.call(agentRoutes.heartbeat, { token: credential, body: FAKE_HEARTBEAT });
const agents = (clusterId: string) => t.call(adminClusterRoutes.listAgents, { token: admin.accessToken, params: { clusterId } });

describe('admin: clusters and agents', () => {
  it('creates a shared cluster with a one-time join token (stored hashed); non-admins and API tokens are refused', async () => {
    const created = await create('eu-1');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      cluster: {
        id: expect.any(String),
        name: 'eu-1',
        kind: 'shared',
        domain: 'eu-1.example.test',
        proxyPort: 8443,
        status: 'pending',
        lastHeartbeatAt: null,
        nodes: 0,
        policyRelaxed: [],
        tenantId: null,
        createdAt: expect.any(String),
      },
      joinToken: expect.stringMatching(/^wharfj_/),
    });
    const clusterId: string = created.body.cluster.id;
    const stored = await t.owner.query('select token_hash from cluster_join_tokens where cluster_id = $1', [clusterId]);
    expect(stored.rows).toEqual([{ token_hash: hashToken(created.body.joinToken) }]);
    const audit = await t.owner.query(`select tenant_id, outcome, target, row_to_json(a)::text as text from audit_events a
      where action = 'admin.clusters.create'`);
    expect(audit.rows).toMatchObject([{ tenant_id: null, outcome: 'success' }]);
    expect(audit.rows[0].text).not.toContain(created.body.joinToken);

    const list = await t.call(adminClusterRoutes.list, { token: admin.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(created.body.cluster);

    const user = await signup(t);
    const adminApiToken = await apiToken(t, admin, admin.tenant.id);
    const calls: [RouteContract, Record<string, string>, unknown][] = [
      [adminClusterRoutes.list, {}, undefined],
      [adminClusterRoutes.create, {}, { name: 'eu-2', domain: 'eu-2.example.test', proxyPort: 80 }],
      [adminClusterRoutes.issueJoinToken, { clusterId }, undefined],
      [adminClusterRoutes.listAgents, { clusterId }, undefined],
      [adminClusterRoutes.revokeAgent, { clusterId, agentId: clusterId }, undefined],
    ];
    for (const [route, params, body] of calls) {
      for (const token of [user.accessToken, adminApiToken]) {
        expectProblem(await t.call(route, { token, params, ...(body ? { body } : {}) }), 403, 'forbidden');
      }
    }
    expect((await t.owner.query('select name from clusters order by name')).rows).toEqual([{ name: 'eu-1' }]);
    expect((await t.owner.query('select 1 from cluster_join_tokens')).rowCount).toBe(1);
  });

  it('answers 400 to bad input, 409 to a taken name and 404 to unknown clusters and agents', async () => {
    const bad = await t.call(adminClusterRoutes.create, {
      token: admin.accessToken,
      body: { name: 'Not A Slug', domain: 'https://x.example.test', proxyPort: 70_000, extra: 1 },
    });
    const problem = expectProblem(bad, 400, 'validation');
    expect(new Set(problem.errors?.map((e) => e.path))).toEqual(
      new Set(['body.name', 'body.domain', 'body.proxyPort', 'body.extra']),
    );
    for (const domain of ['-x.example.test', 'x..test', 'x.test.', 'a_b.test', 'x.test:80', `${'a'.repeat(64)}.test`]) {
      const res = await t.call(adminClusterRoutes.create, {
        token: admin.accessToken,
        body: { name: 'ok', domain, proxyPort: 80 },
      });
      expectProblem(res, 400, 'validation');
    }
    expectProblem(
      await t.call(adminClusterRoutes.listAgents, { token: admin.accessToken, params: { clusterId: 'nope' } }),
      400,
      'validation',
    );

    expect((await create('dup-1')).status).toBe(201);
    expectProblem(await create('dup-1'), 409, 'conflict');

    const unknown = '00000000-0000-4000-8000-000000000000';
    const cluster = (await create('eu-3')).body.cluster.id as string;
    for (const [route, params] of [
      [adminClusterRoutes.issueJoinToken, { clusterId: unknown }],
      [adminClusterRoutes.listAgents, { clusterId: unknown }],
      [adminClusterRoutes.revokeAgent, { clusterId: unknown, agentId: unknown }],
      [adminClusterRoutes.revokeAgent, { clusterId: cluster, agentId: unknown }],
    ] as const) {
      expectProblem(await t.call(route, { token: admin.accessToken, params }), 404, 'not-found');
    }
  });

  it('an agent joins once per token; heartbeats make the cluster ready; rotation and revocation take effect at once', async () => {
    const created = await create('eu-4');
    const clusterId: string = created.body.cluster.id;
    const joined = await register(created.body.joinToken);
    expect(joined.status).toBe(201);
    expect(joined.body).toEqual({ agentId: expect.any(String), clusterId, credential: expect.stringMatching(/^wharfa_/) });
    expectProblem(await register(created.body.joinToken, 'agent-again'), 403, 'forbidden');
    const agentId: string = joined.body.agentId;

    expect((await heartbeat(joined.body.credential)).body).toEqual({ intervalMs: expect.any(Number) });
    const list = await t.call(adminClusterRoutes.list, { token: admin.accessToken });
    expect(list.body.items.find((c: { id: string }) => c.id === clusterId)).toMatchObject({
      status: 'ready',
      lastHeartbeatAt: expect.any(String),
      nodes: 1,
    });
    const listed = await agents(clusterId);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      {
        id: agentId,
        name: 'agent-1',
        version: '0.1.0-test',
        createdAt: expect.any(String),
        rotatedAt: null,
        revokedAt: null,
        lastSeenAt: expect.any(String),
      },
    ]);

    // rotation: the old credential is refused, the new one works
    const rotated = await t.call(agentRoutes.rotate, { token: joined.body.credential });
    expect(rotated.status).toBe(200);
    const credential: string = rotated.body.credential;
    expectProblem(await heartbeat(joined.body.credential), 401, 'unauthenticated');
    expect((await heartbeat(credential)).status).toBe(200);
    expect((await agents(clusterId)).body.items[0].rotatedAt).toEqual(expect.any(String));

    // a second agent, with a token issued for the cluster, is the positive control of the revocation
    const issued = await t.call(adminClusterRoutes.issueJoinToken, { token: admin.accessToken, params: { clusterId } });
    expect(issued.status).toBe(201);
    const other = await register(issued.body.joinToken, 'agent-2');
    expect(other.status).toBe(201);

    const revoked = await t.call(adminClusterRoutes.revokeAgent, { token: admin.accessToken, params: { clusterId, agentId } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: agentId, revokedAt: expect.any(String) });
    expect(Object.keys(revoked.body).sort()).toEqual(
      ['createdAt', 'id', 'lastSeenAt', 'name', 'revokedAt', 'rotatedAt', 'version'].sort(),
    );
    expectProblem(await heartbeat(credential), 401, 'unauthenticated');
    expectProblem(await t.call(agentRoutes.rotate, { token: credential }), 401, 'unauthenticated');
    expect((await heartbeat(other.body.credential)).status).toBe(200);
    // revoking again is no error and keeps the first revocation's time
    const again = await t.call(adminClusterRoutes.revokeAgent, { token: admin.accessToken, params: { clusterId, agentId } });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    // an agent is revoked through its own cluster only
    const elsewhere = (await create('eu-5')).body.cluster.id as string;
    const crossed = await t.call(adminClusterRoutes.revokeAgent, {
      token: admin.accessToken,
      params: { clusterId: elsewhere, agentId: other.body.agentId },
    });
    expectProblem(crossed, 404, 'not-found');
    expect((await heartbeat(other.body.credential)).status).toBe(200);
  });

  it('a long-poll that a revoked agent holds is handed no command (bug: it got them, secrets unsealed)', async () => {
    const created = await create('eu-6');
    const clusterId: string = created.body.cluster.id;
    const { agentId, credential } = (await register(created.body.joinToken)).body;
    const poll = t.call(agentRoutes.poll, { token: credential, body: { waitMs: 2_000 } });
    await new Promise((r) => setTimeout(r, 300));
    await t.call(adminClusterRoutes.revokeAgent, { token: admin.accessToken, params: { clusterId, agentId } });
    const command = await t.app.get<symbol, Database>(DATABASE).withPlatform((p) =>
      new AgentCommandsRepository().enqueue(p, {
        clusterId,
        tenantId: null,
        idempotencyKey: 'after-revocation',
        kind: 'stack.remove',
        payload: { kind: 'stack.remove', scope: { tenantId: clusterId, app: 'web', environment: 'production' }, volumes: false },
      }),
    );
    await t.app.get<symbol, Bus>(BUS).publish(CHANNELS.agentWake(clusterId));
    expect((await poll).body).toEqual({ commands: [] });
    expect((await t.owner.query('select state from agent_commands where id = $1', [command.id])).rows).toEqual([
      { state: 'pending' },
    ]);
    expectProblem(await t.call(agentRoutes.poll, { token: credential, body: { waitMs: 0 } }), 401, 'unauthenticated');
  });

  it('a command claimed for a poll its agent hung up on goes back to the queue, not counted as delivered', async () => {
    const created = await create('eu-7');
    const clusterId: string = created.body.cluster.id;
    const { agentId } = (await register(created.body.joinToken)).body;
    const db = t.app.get<symbol, Database>(DATABASE);
    const commands = new AgentCommandsRepository();
    const command = await db.withPlatform((p) =>
      commands.enqueue(p, {
        clusterId,
        tenantId: null,
        idempotencyKey: 'claimed-for-a-closed-poll',
        kind: 'stack.remove',
        payload: { kind: 'stack.remove', scope: { tenantId: clusterId, app: 'web', environment: 'production' }, volumes: false },
      }),
    );
    const row = async () =>
      (await t.owner.query('select state, deliveries from agent_commands where id = $1', [command.id])).rows[0];
    await db.withPlatform((p) => commands.claim(p, clusterId, agentId, 20, 60_000));
    expect(await row()).toEqual({ state: 'delivered', deliveries: 1 });
    // only the agent it was claimed for gives it back
    await db.withPlatform((p) => commands.release(p, clusterId, randomUUID(), [command.id]));
    expect(await row()).toEqual({ state: 'delivered', deliveries: 1 });
    await db.withPlatform((p) => commands.release(p, clusterId, agentId, [command.id]));
    expect(await row()).toEqual({ state: 'pending', deliveries: 0 });
  });
});
