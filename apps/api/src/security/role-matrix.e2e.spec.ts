import { can, type Permission, ROLES, ROUTES, type Role, type RouteContract } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { asCall, expectProblem, join, TENANT_REQUESTS, world } from './fixtures.js';

/**
 * Every tenant-scoped route × every role, called for real with a valid request: allowed → the route's success
 * status (or the probe's `allowedAnswer`) and its change in the database; denied → 403 `/forbidden` and no change.
 *
 * Who may do what, spelled out. It must agree with ROLE_PERMISSIONS in libs/contracts/src/roles.ts: changing the
 * matrix there without changing it here (deliberately) fails the suite.
 */
const ALLOWED: Record<string, readonly Role[]> = {
  'tenants.get': ['owner', 'admin', 'developer', 'viewer'],
  'tenants.update': ['owner', 'admin'],
  'tenants.usage': ['owner', 'admin', 'developer', 'viewer'],
  'members.list': ['owner', 'admin', 'developer', 'viewer'],
  'members.update': ['owner', 'admin'],
  'members.remove': ['owner', 'admin'],
  'invitations.list': ['owner', 'admin'],
  'invitations.create': ['owner', 'admin'],
  'invitations.revoke': ['owner', 'admin'],
  'api-tokens.list': ['owner', 'admin', 'developer', 'viewer'],
  'api-tokens.create': ['owner', 'admin', 'developer', 'viewer'],
  'api-tokens.revoke': ['owner', 'admin', 'developer', 'viewer'],
  'audit-events.list': ['owner', 'admin'],
  'registry-credentials.list': ['owner', 'admin', 'developer', 'viewer'],
  'registry-credentials.create': ['owner', 'admin', 'developer'],
  'registry-credentials.delete': ['owner', 'admin', 'developer'],
  'cloud-accounts.list': ['owner', 'admin', 'developer', 'viewer'],
  'cloud-accounts.setup': ['owner', 'admin', 'developer', 'viewer'],
  'cloud-accounts.create': ['owner', 'admin'],
  'cloud-accounts.get': ['owner', 'admin', 'developer', 'viewer'],
  'cloud-accounts.delete': ['owner', 'admin'],
  'cloud-accounts.regions': ['owner', 'admin', 'developer', 'viewer'],
  'cloud-accounts.instance-types': ['owner', 'admin', 'developer', 'viewer'],
  'clusters.list': ['owner', 'admin', 'developer', 'viewer'],
  'clusters.create': ['owner', 'admin'],
  'clusters.get': ['owner', 'admin', 'developer', 'viewer'],
  'clusters.delete': ['owner', 'admin'],
  'apps.list': ['owner', 'admin', 'developer', 'viewer'],
  'apps.create': ['owner', 'admin', 'developer'],
  'apps.get': ['owner', 'admin', 'developer', 'viewer'],
  'apps.update': ['owner', 'admin', 'developer'],
  'apps.delete': ['owner', 'admin', 'developer'],
  'apps.scale': ['owner', 'admin', 'developer'],
  'apps.stop': ['owner', 'admin', 'developer'],
  'apps.start': ['owner', 'admin', 'developer'],
  'apps.logs': ['owner', 'admin', 'developer', 'viewer'],
  'apps.stats': ['owner', 'admin', 'developer', 'viewer'],
  'variables.list': ['owner', 'admin', 'developer', 'viewer'],
  'variables.set': ['owner', 'admin', 'developer'],
  'variables.delete': ['owner', 'admin', 'developer'],
  'variables.reveal': ['owner', 'admin'],
  'deployments.list': ['owner', 'admin', 'developer', 'viewer'],
  'deployments.create': ['owner', 'admin', 'developer'],
  'deployments.get': ['owner', 'admin', 'developer', 'viewer'],
  'deployments.cancel': ['owner', 'admin', 'developer'],
  'deployments.events': ['owner', 'admin', 'developer', 'viewer'],
  'stack.get': ['owner', 'admin', 'developer', 'viewer'],
  'stack.save': ['owner', 'admin', 'developer'],
  'stack.validate': ['owner', 'admin', 'developer', 'viewer'],
  'environments.list': ['owner', 'admin', 'developer', 'viewer'],
  'environments.create': ['owner', 'admin', 'developer'],
  'environments.get': ['owner', 'admin', 'developer', 'viewer'],
  'environments.bindings': ['owner', 'admin', 'developer'],
  'environments.delete': ['owner', 'admin', 'developer'],
  'environments.diff': ['owner', 'admin', 'developer', 'viewer'],
  'source.get': ['owner', 'admin', 'developer', 'viewer'],
  'source.set': ['owner', 'admin', 'developer'],
  'source.rotate-webhook': ['owner', 'admin', 'developer'],
  'builds.list': ['owner', 'admin', 'developer', 'viewer'],
  'builds.create': ['owner', 'admin', 'developer'],
  'builds.upload': ['owner', 'admin', 'developer'],
  'builds.get': ['owner', 'admin', 'developer', 'viewer'],
  'builds.logs': ['owner', 'admin', 'developer', 'viewer'],
  'builds.cancel': ['owner', 'admin', 'developer'],
  'git-connections.list': ['owner', 'admin', 'developer', 'viewer'],
  'git-connections.create': ['owner', 'admin', 'developer'],
  'git-connections.delete': ['owner', 'admin', 'developer'],
  'git-connections.repositories': ['owner', 'admin', 'developer', 'viewer'],
  'git-connections.branches': ['owner', 'admin', 'developer', 'viewer'],
  'clusters.policy': ['owner'],
  'hosts.list': ['owner', 'admin', 'developer', 'viewer'],
  'hosts.create': ['owner', 'admin'],
  'hosts.get': ['owner', 'admin', 'developer', 'viewer'],
  'hosts.delete': ['owner', 'admin'],
  'hosts.install-command': ['owner', 'admin'],
  'brokers.create': ['owner', 'admin'],
  'brokers.list': ['owner', 'admin', 'developer', 'viewer'],
  'brokers.delete': ['owner', 'admin'],
};

const TENANT_ROUTES = ROUTES.filter((r) => r.auth === 'tenant');

function permissionOf(route: RouteContract): Permission {
  if (!route.permission) throw new Error(`${route.id}: tenant route without a permission`);
  return route.permission;
}

const CASES = TENANT_ROUTES.flatMap((route) =>
  ROLES.map((role) => ({ route, role, allowed: ALLOWED[route.id]?.includes(role) ?? false, label: `${route.id} as ${role}` })),
);

let t: TestApp;
let owner: Account;
let target: Account;
const callers = {} as Record<Role, Account>;

beforeAll(async () => {
  t = await startTestApp();
  // Accounts are reused; every case gets a tenant of its own, so consumed resources never leak between cases.
  owner = await signup(t, 'Olga Owner');
  target = await signup(t, 'Tess Target');
  for (const role of ROLES) callers[role] = await signup(t, `Caller ${role}`);
});
afterAll(() => t?.close());

describe('the role matrix as written in the test', () => {
  it('has a row and a request builder for every tenant route, and no row for a route that is gone', () => {
    const ids = TENANT_ROUTES.map((r) => r.id);
    expect(ids.filter((id) => !ALLOWED[id])).toEqual([]);
    expect(ids.filter((id) => !TENANT_REQUESTS[id])).toEqual([]);
    expect(Object.keys(ALLOWED).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('agrees with can(role, permission) for every route and role', () => {
    const disagreements = CASES.filter((c) => c.allowed !== can(c.role, permissionOf(c.route))).map((c) => c.label);
    expect(disagreements).toEqual([]);
  });

  it('has both outcomes, and owners may do everything (positive control of the matrix itself)', () => {
    expect(CASES.some((c) => c.allowed)).toBe(true);
    expect(CASES.some((c) => !c.allowed)).toBe(true);
    expect(CASES.filter((c) => c.role === 'owner' && !c.allowed).map((c) => c.label)).toEqual([]);
  });
});

describe('every tenant route as every role', () => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_, { route, role, allowed }) => {
    const build = TENANT_REQUESTS[route.id];
    if (!build) throw new Error(`${route.id}: no request builder`);
    const caller = callers[role];
    // the target of member changes is a developer, so an admin's call is about the permission, not the owner rule
    const w = await world(t, owner, target, `Matrix ${route.id} ${role}`, caller);
    await join(t, owner, w.tenant.id, caller, role);
    const probe = build(w, w.tenant.id);

    const res = await t.call(route, asCall(probe, caller.accessToken));

    if (allowed && probe.allowedAnswer) {
      // a refusal that comes after the permission check (apps.logs: the cluster has no agent) still means allowed
      expectProblem(res, probe.allowedAnswer.status, probe.allowedAnswer.kind);
    } else if (allowed) {
      expect(res.status, JSON.stringify(res.body)).toBe(route.status);
    } else {
      const problem = expectProblem(res, 403, 'forbidden');
      expect(problem.detail).toContain(role);
    }
    if (probe.changed) expect(await probe.changed(t.owner)).toBe(allowed);
  });
});
