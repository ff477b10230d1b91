import {
  adminClusterRoutes,
  adminRoutes,
  buildOpenApi,
  deploymentRoutes,
  invitationRoutes,
  type Problem,
  ROUTES,
  type RouteContract,
  tenantRoutes,
} from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type CallResult, pathOf, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { apiToken, asCall, expectProblem, platformAdmin, TENANT_REQUESTS, type World, world } from './fixtures.js';

/**
 * Tenant isolation, walked from the OpenAPI document: every operation under `/tenants/{tenant}` is called by the
 * owner of another tenant (by id, by slug, with an API token of their own tenant, and through their own tenant with
 * this tenant's resource ids). Each must be answered like a missing resource (404) and leak nothing; the tenant's
 * own owner makes the same call successfully (the positive control).
 */
interface Operation {
  operationId: string;
  'x-wharf-auth': string;
}
const DOC = buildOpenApi(ROUTES, { version: 'test' });
const PATHS = DOC.paths as Record<string, Record<string, Operation>>;
const OPERATIONS = Object.entries(PATHS).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    path,
    method: method.toUpperCase(),
    id: op.operationId,
    auth: op['x-wharf-auth'],
  })),
);
const TENANT_OPERATIONS = OPERATIONS.filter((op) => op.path.includes('{tenant}'));

function routeOf(op: { id: string; method: string; path: string }): RouteContract {
  const route = ROUTES.find((r) => r.id === op.id && r.method === op.method && r.path === op.path);
  if (!route) throw new Error(`${op.method} ${op.path}: operation ${op.id} matches no route`);
  return route;
}

let t: TestApp;
let ownerA: Account;
let memberA: Account;
let ownerB: Account;
let tokenB: string;

beforeAll(async () => {
  t = await startTestApp();
  ownerA = await signup(t, 'Alice Aardvark');
  memberA = await signup(t, 'Amos Anteater');
  ownerB = await signup(t, 'Bruno Bystander');
  tokenB = await apiToken(t, ownerB, ownerB.tenant.id);
});
afterAll(() => t?.close());

/** Everything of A's that must never show up in an answer to B. */
function secretsOf(w: World): string[] {
  return [
    w.tenant.id,
    w.tenant.slug,
    w.tenant.name,
    ...[w.owner, w.member].flatMap((a) => [a.user.id, a.email, a.user.name]),
    w.invitation.id,
    w.invitation.email,
    w.invitation.token,
    w.apiToken.id,
    w.apiToken.name,
    w.apiToken.prefix,
    w.registryCredential.id,
    w.registryCredential.server,
    w.cloudAccount.id,
    w.cloudAccount.name,
    w.cloudAccount.roleArn,
    w.host.id,
    w.host.name,
    w.spareCluster.id,
    w.spareCluster.name,
    w.app.id,
    w.app.slug,
    w.stoppedApp.id,
    w.stoppedApp.slug,
    w.variables.plain.key,
    w.variables.plain.value,
    w.variables.secret.key,
    w.variables.secret.value,
    w.deployments.live,
    w.deployments.queued,
  ];
}

/** 404 problem+json; apart from echoing the path B sent (`instance`), it names nothing of A's. */
function expectNotFoundWithoutLeak(res: CallResult, sentPath: string, secrets: string[]): void {
  const problem: Problem = expectProblem(res, 404, 'not-found');
  expect(problem.instance).toBe(sentPath);
  const { instance: _echo, ...rest } = problem;
  const text = JSON.stringify(rest) + JSON.stringify(res.headers);
  expect(secrets.filter((s) => text.includes(s))).toEqual([]);
}

describe('the OpenAPI document', () => {
  it('is what ROUTES produce, as the API serves it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const served = JSON.parse(res.body) as typeof DOC & { info: { version: string } };
    expect({ ...served, info: { ...served.info, version: 'test' } }).toEqual(JSON.parse(JSON.stringify(DOC)));
  });

  it('has a request builder for every tenant-scoped operation, and every tenant route lives under {tenant}', () => {
    expect(TENANT_OPERATIONS.length).toBeGreaterThan(0);
    expect(TENANT_OPERATIONS.filter((op) => !TENANT_REQUESTS[op.id]).map((op) => `${op.method} ${op.path}`)).toEqual([]);
    expect(OPERATIONS.filter((op) => op.auth === 'tenant' && !op.path.includes('{tenant}')).map((op) => op.id)).toEqual([]);
  });
});

describe("another tenant's owner gets 404 on every tenant-scoped operation", () => {
  const covered = TENANT_OPERATIONS.filter((op) => TENANT_REQUESTS[op.id]);
  it.each(covered.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', async (_, op) => {
    const route = routeOf(op);
    const build = TENANT_REQUESTS[op.id];
    if (!build) throw new Error(`${op.id}: no request builder`);
    const w = await world(t, ownerA, memberA, `Alpha ${op.id}`);
    const secrets = secretsOf(w);
    const probe = build(w, w.tenant.id);

    const attempts: { label: string; token: string; tenant: string }[] = [
      { label: "B's session, A's id", token: ownerB.accessToken, tenant: w.tenant.id },
      { label: "B's session, A's slug", token: ownerB.accessToken, tenant: w.tenant.slug },
      { label: "B's API token, A's id", token: tokenB, tenant: w.tenant.id },
    ];
    // through B's own tenant with A's resource ids: the repositories, not only the guard, must scope by tenant
    if (Object.keys(probe.params).length > 1) {
      attempts.push({ label: "B's own tenant, A's ids", token: ownerB.accessToken, tenant: ownerB.tenant.id });
    }
    for (const a of attempts) {
      const options = asCall(probe, a.token, { tenant: a.tenant });
      const res = await t.call(route, options);
      expect(res.status, a.label).toBe(404);
      expectNotFoundWithoutLeak(res, pathOf(route, options.params), secrets);
    }
    if (probe.changed) expect(await probe.changed(t.owner)).toBe(false);

    // positive control: A's owner, same request
    const own = await t.call(route, asCall(probe, ownerA.accessToken));
    if (probe.allowedAnswer) expectProblem(own, probe.allowedAnswer.status, probe.allowedAnswer.kind);
    else expect(own.status, JSON.stringify(own.body)).toBe(route.status);
    if (probe.changed) expect(await probe.changed(t.owner)).toBe(true);
  });
});

describe("ids nested under B's own app: A's deployments are not found there", () => {
  it("B's owner, through B's own app, cannot read, follow, cancel or roll back to A's deployments", async () => {
    const wA = await world(t, ownerA, memberA, 'Alpha nested');
    const wB = await world(t, ownerB, await signup(t, 'Bea Bystander'), 'Bravo nested');
    const at = (deploymentId: string) => ({ tenant: wB.tenant.id, app: wB.app.id, deploymentId });
    const state = () =>
      t.owner.query('select id, status, cancel_requested from deployments where tenant_id = $1 order by id', [wA.tenant.id]);
    const before = (await state()).rows;

    const answers = [
      await t.call(deploymentRoutes.get, { params: at(wA.deployments.live), token: ownerB.accessToken }),
      await t.call(deploymentRoutes.events, { params: at(wA.deployments.live), token: ownerB.accessToken }),
      await t.call(deploymentRoutes.cancel, { params: at(wA.deployments.queued), token: ownerB.accessToken }),
      await t.call(deploymentRoutes.create, {
        params: { tenant: wB.tenant.id, app: wB.app.id },
        token: ownerB.accessToken,
        body: { rollbackTo: wA.deployments.live },
      }),
    ];
    for (const res of answers) expectProblem(res, 404, 'not-found');
    expect((await state()).rows).toEqual(before);
    const bRevisions = await t.owner.query('select revision from deployments where app_id = $1 order by revision', [wB.app.id]);
    expect(bRevisions.rows).toEqual([{ revision: 1 }, { revision: 2 }]);

    // positive control: B's own deployments, same calls
    const own = [
      await t.call(deploymentRoutes.get, { params: at(wB.deployments.live), token: ownerB.accessToken }),
      await t.call(deploymentRoutes.events, { params: at(wB.deployments.live), token: ownerB.accessToken }),
      await t.call(deploymentRoutes.cancel, { params: at(wB.deployments.queued), token: ownerB.accessToken }),
      await t.call(deploymentRoutes.create, {
        params: { tenant: wB.tenant.id, app: wB.app.id },
        token: ownerB.accessToken,
        body: { rollbackTo: wB.deployments.live },
      }),
    ];
    expect(own.map((r) => r.status)).toEqual([200, 200, 202, 202]);
  });
});

describe('routes outside {tenant} that take ids or secrets of a tenant', () => {
  it("an invitation cannot be accepted by someone with another email, and A's tenant stays as it was", async () => {
    const w = await world(t, ownerA, memberA, 'Alpha invitations');
    const members = await t.owner.query('select user_id, role from memberships where tenant_id = $1 order by user_id', [
      w.tenant.id,
    ]);

    const accepted = await t.call(invitationRoutes.accept, { token: ownerB.accessToken, body: { token: w.invitation.token } });
    expectProblem(accepted, 403, 'forbidden');
    const byApiToken = await t.call(invitationRoutes.accept, { token: tokenB, body: { token: w.invitation.token } });
    expectProblem(byApiToken, 403, 'forbidden');

    const after = await t.owner.query('select user_id, role from memberships where tenant_id = $1 order by user_id', [
      w.tenant.id,
    ]);
    expect(after.rows).toEqual(members.rows);
    const inv = await t.owner.query('select accepted_at, accepted_by, revoked_at from invitations where id = $1', [
      w.invitation.id,
    ]);
    expect(inv.rows).toEqual([{ accepted_at: null, accepted_by: null, revoked_at: null }]);
    expect((await t.call(tenantRoutes.get, { params: { tenant: w.tenant.id }, token: ownerB.accessToken })).status).toBe(404);

    // an unknown token is simply not found
    const forged = await t.call(invitationRoutes.preview, {
      token: ownerB.accessToken,
      body: { token: `winv_${'x'.repeat(43)}` },
    });
    expectProblem(forged, 404, 'not-found');
  });

  it('an invitation preview shows the holder of the link the invitation and nothing else of the tenant', async () => {
    // By design the dashboard previews /invite/{token} for whoever holds the secret link and, when the signed-in
    // email differs, says whom it is for (apps/web invitation-card). So this is 200, but limited to these fields.
    const w = await world(t, ownerA, memberA, 'Alpha preview');
    const res = await t.call(invitationRoutes.preview, { token: ownerB.accessToken, body: { token: w.invitation.token } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tenant: { name: w.tenant.name, slug: w.tenant.slug },
      email: w.invitation.email,
      role: 'viewer',
      status: 'pending',
      expiresAt: expect.any(String),
    });
    const text = JSON.stringify(res.body);
    const unrelated = [w.tenant.id, w.owner.user.id, w.owner.email, w.member.email, w.invitation.id, w.apiToken.id];
    expect(unrelated.filter((s) => text.includes(s))).toEqual([]);
  });

  it('admin routes refuse non-admins (403) and change nothing; a platform admin may (positive control)', async () => {
    const admin = await platformAdmin(t);
    const w = await world(t, ownerA, memberA, 'Alpha admin');
    const clusterName = `isolation-${Date.now().toString(36)}`;
    const agent = await t.owner.query<{ id: string }>(
      `insert into agents (cluster_id, name, credential_hash) values ($1, 'isolation', md5(random()::text)) returning id`,
      [w.cluster.id],
    );
    const agentId = agent.rows[0]?.id ?? '';
    const calls: Record<
      string,
      { route: RouteContract; params?: Record<string, string>; query?: Record<string, string>; body?: unknown }
    > = {
      'admin.tenants.list': { route: adminRoutes.listTenants, query: { q: w.tenant.slug } },
      'admin.tenants.get': { route: adminRoutes.getTenant, params: { tenantId: w.tenant.id } },
      'admin.tenants.change-plan': {
        route: adminRoutes.changePlan,
        params: { tenantId: w.tenant.id },
        body: { planId: 'business' },
      },
      'admin.tenants.set-quota-overrides': {
        route: adminRoutes.setOverrides,
        params: { tenantId: w.tenant.id },
        body: { overrides: { members: 500 } },
      },
      'admin.tenants.suspend': {
        route: adminRoutes.suspend,
        params: { tenantId: w.tenant.id },
        body: { reason: 'isolation test' },
      },
      'admin.tenants.resume': { route: adminRoutes.resume, params: { tenantId: w.tenant.id } },
      'admin.host-sweeps.list': { route: adminRoutes.listHostSweeps },
      'admin.queues.list': { route: adminRoutes.listQueues },
      'admin.cluster-health.list': { route: adminRoutes.clusterHealth },
      'admin.clusters.list': { route: adminClusterRoutes.list },
      'admin.clusters.create': {
        route: adminClusterRoutes.create,
        body: { name: clusterName, domain: 'isolation.example.test', proxyPort: 8443 },
      },
      'admin.clusters.issue-join-token': { route: adminClusterRoutes.issueJoinToken, params: { clusterId: w.cluster.id } },
      'admin.agents.list': { route: adminClusterRoutes.listAgents, params: { clusterId: w.cluster.id } },
      'admin.agents.revoke': { route: adminClusterRoutes.revokeAgent, params: { clusterId: w.cluster.id, agentId } },
    };
    expect(ROUTES.filter((r) => r.auth === 'admin' && !calls[r.id]).map((r) => r.id)).toEqual([]);
    const state = () =>
      t.owner.query(
        `select t.plan_id, t.status, t.suspended_reason, (select count(*)::int from tenant_quota_overrides o where o.tenant_id = t.id) as overrides,
                (select count(*)::int from clusters where name = $2) as clusters,
                (select count(*)::int from cluster_join_tokens where cluster_id = $3) as join_tokens,
                (select revoked_at is not null from agents where id = $4) as revoked
           from tenants t where t.id = $1`,
        [w.tenant.id, clusterName, w.cluster.id, agentId],
      );
    const before = (await state()).rows;
    const tokens: number = before[0].join_tokens;
    expect(before).toEqual([
      {
        plan_id: 'free',
        status: 'active',
        suspended_reason: null,
        // the world's room for hosts (host-fixtures.ts) and clusters (cluster-fixtures.ts)
        overrides: 3,
        clusters: 0,
        join_tokens: tokens,
        revoked: false,
      },
    ]);

    const adminApiToken = await apiToken(t, admin, admin.tenant.id);
    for (const [id, { route, ...call }] of Object.entries(calls)) {
      for (const token of [ownerB.accessToken, tokenB, w.owner.accessToken, adminApiToken]) {
        const res = await t.call(route, { ...call, token });
        expect(res.status, id).toBe(403);
        expectProblem(res, 403, 'forbidden');
      }
    }
    expect((await state()).rows).toEqual(before);

    for (const [id, { route, ...call }] of Object.entries(calls)) {
      const res = await t.call(route, { ...call, token: admin.accessToken });
      expect(res.status, `${id}: ${JSON.stringify(res.body)}`).toBe(route.status);
    }
    expect((await state()).rows).toEqual([
      {
        plan_id: 'business',
        status: 'active',
        suspended_reason: null,
        overrides: 4,
        clusters: 1,
        join_tokens: tokens + 1,
        revoked: true,
      },
    ]);
  });
});
