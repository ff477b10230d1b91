import { randomBytes } from 'node:crypto';
import {
  apiTokenRoutes,
  authRoutes,
  invitationRoutes,
  PROBLEM_BASE,
  type Problem,
  type RouteContract,
  type RouteOutput,
  tenantRoutes,
} from '@wharf/contracts';
import type pg from 'pg';
import { expect } from 'vitest';
import {
  type Account,
  type CallOptions,
  type CallResult,
  PASSWORD,
  signup,
  type TestApp,
  uniqueEmail,
} from '../../../../tests/support/app.js';
import { join } from '../../../../tests/support/tenants.js';
import { exists, TEST_IMAGE, tag, workload } from './workload-fixtures.js';

export { insertApp, secretBox, sharedCluster, TEST_IMAGE } from './workload-fixtures.js';

import { BUILD_REQUESTS } from './build-fixtures.js';
import { CLOUD_REQUESTS, insertCloudAccount } from './cloud-fixtures.js';
import { CLUSTER_REQUESTS, insertSpareCluster } from './cluster-fixtures.js';
import { HOST_REQUESTS, insertBroker, insertHost } from './host-fixtures.js';
import { STACK_REQUESTS } from './stack-fixtures.js';

export { join };

/** Shared setup of the security suites: worlds of real resources, request builders, problem and database checks. */

/** `call()` that fails loudly when a setup step does not succeed with the expected status. */
export async function must<R extends RouteContract>(
  t: TestApp,
  route: R,
  options: CallOptions,
  status = route.status,
): Promise<CallResult<RouteOutput<R>>> {
  const res = await t.call<RouteOutput<R>>(route, options);
  if (res.status !== status) throw new Error(`setup ${route.id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** A platform admin, signed in (admin routes take a session, not an API token). */
export async function platformAdmin(t: TestApp): Promise<Account> {
  const admin = await signup(t, 'Pat Platform');
  await t.owner.query('update users set is_platform_admin = true where id = $1', [admin.user.id]);
  const session = await must(t, authRoutes.login, { body: { email: admin.email, password: PASSWORD } });
  return { ...admin, accessToken: session.body.accessToken, refreshToken: session.body.refreshToken };
}

/** A tenant with one of each resource the tenant routes act on. */
export interface World {
  tenant: { id: string; slug: string; name: string };
  owner: Account;
  /** A developer who is neither the owner nor the caller: the target of member changes. */
  member: Account;
  invitation: { id: string; email: string; token: string };
  apiToken: { id: string; name: string; prefix: string };
  registryCredential: { id: string; server: string };
  /** A connected AWS account (by role). */
  cloudAccount: { id: string; name: string; roleArn: string };
  /** The platform's shared cluster (status 'pending': no agent runs in these suites). */
  cluster: { id: string };
  /** A running app of one replica, its current deployment the `live` one. */
  app: { id: string; slug: string };
  /** A second app, stopped (the target of apps.start). */
  stoppedApp: { id: string; slug: string };
  /** Variables of `app`: one plain, one secret (sealed as the API seals them). */
  variables: { plain: { key: string; value: string }; secret: { key: string; value: string } };
  /** Deployments of `app`: revision 1 (live) and revision 2 (queued, the target of deployments.cancel). */
  deployments: { live: string; queued: string };
  /** A compose app (never deployed) with a second environment besides production. */
  composeApp: { id: string; slug: string; environment: string };
  /** An app built from source: its queued build, a git connection of the tenant, its webhook's path id. */
  sourceApp: { id: string; slug: string; build: string; finishedBuild: string; connection: string; hook: string };
  /** A dedicated cluster of the tenant (its policy can be relaxed). */
  dedicatedCluster: { id: string };
  /** A ready host of the dedicated cluster (a row only: no machine). */
  host: { id: string; name: string };
  /** A broker of the dedicated cluster, never registered (a row only: no agent). */
  broker: { id: string };
  /** A second dedicated cluster, empty (the target of clusters.delete). */
  spareCluster: { id: string; name: string };
}

/**
 * A new team tenant of `owner` with `member` as developer, a pending invitation, an API token, a registry credential,
 * a cloud account and a workload (two apps on the shared cluster, variables, deployments). The token is `tokenOf`'s
 * (default: the owner's). Everything after the invitation is inserted directly, so that building the world never
 * depends on the matrix.
 */
export async function world(t: TestApp, owner: Account, member: Account, name: string, tokenOf: Account = owner): Promise<World> {
  const created = await must(t, tenantRoutes.create, { token: owner.accessToken, body: { name } });
  const tenant = { id: created.body.id, slug: created.body.slug, name };
  await join(t, owner, tenant.id, member, 'developer');
  const email = uniqueEmail('pending');
  const inv = await must(t, invitationRoutes.create, {
    params: { tenant: tenant.id },
    token: owner.accessToken,
    body: { email, role: 'viewer' },
  });
  const apiToken = { name: `token ${tag()}`, prefix: `wharf_${tag().slice(0, 6)}` };
  const row = await t.owner.query<{ id: string }>(
    'insert into api_tokens (tenant_id, user_id, name, prefix, token_hash) values ($1, $2, $3, $4, $5) returning id',
    [tenant.id, tokenOf.user.id, apiToken.name, apiToken.prefix, randomBytes(32).toString('hex')],
  );
  const id = row.rows[0]?.id;
  if (!id) throw new Error('setup: api token not inserted');
  const server = `registry-${tag()}.example.test`;
  const credential = await t.owner.query<{ id: string }>(
    `insert into registry_credentials (tenant_id, server, username, password_sealed) values ($1, $2, 'ci', 'v1.x.x.x')
     returning id`,
    [tenant.id, server],
  );
  const credentialId = credential.rows[0]?.id;
  if (!credentialId) throw new Error('setup: registry credential not inserted');
  const workloadRows = await workload(t.owner, tenant.id);
  return {
    tenant,
    owner,
    member,
    invitation: { id: inv.body.invitation.id, email, token: inv.body.token },
    apiToken: { ...apiToken, id },
    registryCredential: { id: credentialId, server },
    cloudAccount: await insertCloudAccount(t.owner, tenant.id),
    ...workloadRows,
    host: await insertHost(t.owner, tenant.id, workloadRows.dedicatedCluster.id),
    broker: await insertBroker(t.owner, tenant.id, workloadRows.dedicatedCluster.id),
    spareCluster: await insertSpareCluster(t.owner, tenant.id),
  };
}

/** An API token created through the API (for callers that authenticate with one). */
export async function apiToken(t: TestApp, account: Account, tenantId: string): Promise<string> {
  const res = await must(t, apiTokenRoutes.create, {
    params: { tenant: tenantId },
    token: account.accessToken,
    body: { name: 'cli' },
  });
  return res.body.token;
}

/** A valid request for a tenant route against a world, and how to see its change in the database. */
export interface Probe {
  params: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  /** For mutating routes: whether the change the call asks for is in the database now. */
  changed?: (db: pg.Pool) => Promise<boolean>;
  /**
   * What a caller who may use the route gets when it is not the route's success status: a problem document that
   * follows the permission check (so it still tells "allowed" from 403 `/forbidden` and 404 `/not-found`).
   */
  allowedAnswer?: { status: number; kind: string };
}

/**
 * One valid request per tenant-scoped route, keyed by route id. A new tenant route must be added here: the role
 * matrix and the isolation suite fail until it is.
 */
export const TENANT_REQUESTS: Record<string, (w: World, tenant: string) => Probe> = {
  'tenants.get': (_, tenant) => ({ params: { tenant } }),
  'tenants.update': (w, tenant) => {
    const name = `Renamed ${tag()}`;
    return {
      params: { tenant },
      body: { name },
      changed: (db) => exists(db, 'select 1 from tenants where id = $1 and name = $2', [w.tenant.id, name]),
    };
  },
  'tenants.usage': (_, tenant) => ({ params: { tenant } }),
  'members.list': (_, tenant) => ({ params: { tenant }, query: { limit: 10 } }),
  'members.update': (w, tenant) => ({
    params: { tenant, userId: w.member.user.id },
    body: { role: 'viewer' },
    changed: (db) =>
      exists(db, `select 1 from memberships where tenant_id = $1 and user_id = $2 and role = 'viewer'`, [
        w.tenant.id,
        w.member.user.id,
      ]),
  }),
  'members.remove': (w, tenant) => ({
    params: { tenant, userId: w.member.user.id },
    changed: async (db) =>
      !(await exists(db, 'select 1 from memberships where tenant_id = $1 and user_id = $2', [w.tenant.id, w.member.user.id])),
  }),
  'invitations.list': (_, tenant) => ({ params: { tenant }, query: { limit: 10 } }),
  'invitations.create': (w, tenant) => {
    const email = uniqueEmail('invitee');
    return {
      params: { tenant },
      body: { email, role: 'developer' },
      changed: (db) => exists(db, 'select 1 from invitations where tenant_id = $1 and email = $2', [w.tenant.id, email]),
    };
  },
  'invitations.revoke': (w, tenant) => ({
    params: { tenant, invitationId: w.invitation.id },
    changed: (db) => exists(db, 'select 1 from invitations where id = $1 and revoked_at is not null', [w.invitation.id]),
  }),
  'api-tokens.list': (_, tenant) => ({ params: { tenant }, query: { limit: 10 } }),
  'api-tokens.create': (w, tenant) => {
    const name = `ci ${tag()}`;
    return {
      params: { tenant },
      body: { name, expiresInDays: 30 },
      changed: (db) => exists(db, 'select 1 from api_tokens where tenant_id = $1 and name = $2', [w.tenant.id, name]),
    };
  },
  'api-tokens.revoke': (w, tenant) => ({
    params: { tenant, tokenId: w.apiToken.id },
    changed: (db) => exists(db, 'select 1 from api_tokens where id = $1 and revoked_at is not null', [w.apiToken.id]),
  }),
  'audit-events.list': (_, tenant) => ({ params: { tenant }, query: { limit: 10 } }),
  'registry-credentials.list': (_, tenant) => ({ params: { tenant }, query: { limit: 10 } }),
  'registry-credentials.create': (w, tenant) => {
    const server = `ghcr-${tag()}.example.test:5000`;
    return {
      params: { tenant },
      body: { server, username: 'robot', password: `pw-${tag()}` },
      changed: (db) =>
        exists(db, 'select 1 from registry_credentials where tenant_id = $1 and server = $2', [w.tenant.id, server]),
    };
  },
  'registry-credentials.delete': (w, tenant) => ({
    params: { tenant, credentialId: w.registryCredential.id },
    changed: async (db) => !(await exists(db, 'select 1 from registry_credentials where id = $1', [w.registryCredential.id])),
  }),
  'apps.list': (_, tenant) => ({ params: { tenant }, query: { limit: 10 } }),
  'apps.create': (w, tenant) => {
    const name = `new-${tag()}`;
    return {
      params: { tenant },
      // small enough for the free plan next to the world's apps; creating one also enqueues its first deployment
      body: { name, image: TEST_IMAGE, port: 8080, cpuMillis: 50, memoryMiB: 16, env: { GREETING: 'hi' } },
      changed: (db) =>
        exists(db, 'select 1 from apps where tenant_id = $1 and slug = $2 and deleted_at is null', [w.tenant.id, name]),
    };
  },
  'apps.get': (w, tenant) => ({ params: { tenant, app: w.app.id } }),
  'apps.update': (w, tenant) => {
    const displayName = `Renamed ${tag()}`;
    return {
      params: { tenant, app: w.app.id },
      body: { displayName },
      changed: (db) => exists(db, 'select 1 from apps where id = $1 and name = $2', [w.app.id, displayName]),
    };
  },
  'apps.delete': (w, tenant) => ({
    params: { tenant, app: w.app.id },
    changed: (db) => exists(db, 'select 1 from apps where id = $1 and deleted_at is not null', [w.app.id]),
  }),
  'apps.scale': (w, tenant) => ({
    params: { tenant, app: w.app.id },
    body: { replicas: 2 },
    changed: (db) => exists(db, 'select 1 from apps where id = $1 and replicas = 2', [w.app.id]),
  }),
  'apps.stop': (w, tenant) => ({
    params: { tenant, app: w.app.id },
    changed: (db) => exists(db, 'select 1 from apps where id = $1 and stopped', [w.app.id]),
  }),
  'apps.start': (w, tenant) => ({
    params: { tenant, app: w.stoppedApp.id },
    changed: (db) => exists(db, 'select 1 from apps where id = $1 and not stopped', [w.stoppedApp.id]),
  }),
  // The logs come from the cluster's agent; the world's cluster has none (status 'pending'), so a caller who may read
  // them is told so (409 `/conflict`) after the tenant, permission and app checks, instead of getting a stream.
  'apps.logs': (w, tenant) => ({
    params: { tenant, app: w.app.id, service: 'web' },
    query: { tail: 10 },
    allowedAnswer: { status: 409, kind: 'conflict' },
  }),
  'apps.stats': (w, tenant) => ({ params: { tenant, app: w.app.id } }),
  'variables.list': (w, tenant) => ({ params: { tenant, app: w.app.id } }),
  'variables.set': (w, tenant) => {
    const key = `SET_${tag().toUpperCase()}`;
    const value = `value-${tag()}`;
    return {
      params: { tenant, app: w.app.id, key },
      body: { value },
      changed: (db) =>
        exists(db, 'select 1 from app_variables where app_id = $1 and key = $2 and value = $3', [w.app.id, key, value]),
    };
  },
  'variables.delete': (w, tenant) => ({
    params: { tenant, app: w.app.id, key: w.variables.plain.key },
    changed: async (db) =>
      !(await exists(db, 'select 1 from app_variables where app_id = $1 and key = $2', [w.app.id, w.variables.plain.key])),
  }),
  // revealing changes no row of its own: its mark is the audit event of a successful reveal
  'variables.reveal': (w, tenant) => ({
    params: { tenant, app: w.app.id, key: w.variables.secret.key },
    changed: (db) =>
      exists(db, `select 1 from audit_events where tenant_id = $1 and action = 'variables.reveal' and outcome = 'success'`, [
        w.tenant.id,
      ]),
  }),
  'deployments.list': (w, tenant) => ({ params: { tenant, app: w.app.id }, query: { limit: 10 } }),
  'deployments.create': (w, tenant) => ({
    params: { tenant, app: w.app.id },
    body: {},
    changed: (db) => exists(db, 'select 1 from deployments where app_id = $1 and revision = 3', [w.app.id]),
  }),
  'deployments.get': (w, tenant) => ({ params: { tenant, app: w.app.id, deploymentId: w.deployments.live } }),
  'deployments.cancel': (w, tenant) => ({
    params: { tenant, app: w.app.id, deploymentId: w.deployments.queued },
    changed: (db) =>
      exists(db, `select 1 from deployments where id = $1 and status = 'cancelled' and cancel_requested`, [w.deployments.queued]),
  }),
  // Server-Sent Events: the live deployment has ended, so the stream sends its events and `end`, and closes
  'deployments.events': (w, tenant) => ({
    params: { tenant, app: w.app.id, deploymentId: w.deployments.live },
  }),
  ...STACK_REQUESTS,
  ...BUILD_REQUESTS,
  ...CLOUD_REQUESTS,
  ...HOST_REQUESTS,
  ...CLUSTER_REQUESTS,
};

/** The request a probe describes, as the given caller. */
export function asCall(probe: Probe, token: string, params: Record<string, string> = {}): CallOptions {
  return {
    params: { ...probe.params, ...params },
    token,
    ...(probe.query ? { query: probe.query } : {}),
    ...(probe.body !== undefined ? { body: probe.body } : {}),
  };
}

/** An RFC 9457 document of the given status and kind (the last segment of `type`). */
export function expectProblem(res: CallResult, status: number, kind: string): Problem {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.body as Problem;
  expect(body).toMatchObject({ type: `${PROBLEM_BASE}${kind}`, title: expect.any(String), status });
  return body;
}

/** Row count and an md5 of the contents of every table: equal snapshots mean nothing was written. */
export async function snapshot(db: pg.Pool): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const ident = `"${name.replace(/"/g, '""')}"`;
    const res = await db.query<{ n: number; sum: string | null }>(
      `select count(*)::int as n, md5(string_agg(t::text, ',' order by t::text)) as sum from ${ident} t`,
    );
    out[name] = `${res.rows[0]?.n}:${res.rows[0]?.sum}`;
  }
  return out;
}
