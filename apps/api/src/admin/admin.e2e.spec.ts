import {
  adminRoutes,
  apiTokenRoutes,
  auditRoutes,
  authRoutes,
  invitationRoutes,
  planRoutes,
  tenantRoutes,
} from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, PASSWORD, signup, startTestApp, type TestApp, uniqueEmail } from '../../../../tests/support/app.js';

let t: TestApp;
let admin: Account;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signup(t, 'Platform Admin');
  await t.owner.query('update users set is_platform_admin = true where id = $1', [admin.user.id]);
  const login = await t.call(authRoutes.login, { body: { email: admin.email, password: PASSWORD } });
  admin = { ...admin, ...login.body };
});
afterAll(() => t?.close());

describe('platform admin', () => {
  it('lists and searches tenants with their usage, paginated', async () => {
    const marker = `zebra-${Date.now()}`;
    const owners = await Promise.all([1, 2, 3].map((i) => signup(t, `${marker} ${i}`)));
    const page1 = await t.call(adminRoutes.listTenants, { token: admin.accessToken, query: { q: marker, limit: 2 } });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await t.call(adminRoutes.listTenants, {
      token: admin.accessToken,
      query: { q: marker, limit: 2, cursor: page1.body.nextCursor },
    });
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    const ids = [...page1.body.items, ...page2.body.items].map((x: { id: string }) => x.id).sort();
    expect(ids).toEqual(owners.map((o) => o.tenant.id).sort());
    const first = page1.body.items[0];
    expect(first.memberCount).toBe(1);
    expect(first.quotas.find((q: { key: string }) => q.key === 'members')).toMatchObject({ used: 1, limit: 3 });
  });

  it('is refused to non-admins and to API tokens', async () => {
    const user = await signup(t);
    const res = await t.call(adminRoutes.listTenants, { token: user.accessToken });
    expect(res.status).toBe(403);
    const tok = await t.call(apiTokenRoutes.create, {
      params: { tenant: admin.tenant.id },
      token: admin.accessToken,
      body: { name: 'x' },
    });
    expect((await t.call(adminRoutes.listTenants, { token: tok.body.token })).status).toBe(403);
  });

  it('changes plans and overrides limits; the tenant sees the new limits and the audit trail', async () => {
    const owner = await signup(t);
    const tenantId = owner.tenant.id;
    const plan = await t.call(adminRoutes.changePlan, {
      params: { tenantId },
      token: admin.accessToken,
      body: { planId: 'team' },
    });
    expect(plan.status).toBe(200);
    expect(plan.body.planId).toBe('team');
    const over = await t.call(adminRoutes.setOverrides, {
      params: { tenantId },
      token: admin.accessToken,
      body: { overrides: { members: 1, cpuMillis: 500 } },
    });
    expect(over.status).toBe(200);
    const members = over.body.quotas.find((q: { key: string }) => q.key === 'members');
    expect(members).toMatchObject({ limit: 1, planLimit: 25, overridden: true, used: 1 });

    // the tenant's next admission is refused with the limit shown
    const email = uniqueEmail();
    const inv = await t.call(invitationRoutes.create, {
      params: { tenant: tenantId },
      token: owner.accessToken,
      body: { email, role: 'viewer' },
    });
    const invitee = await signup(t, 'Too many', email);
    const refused = await t.call(invitationRoutes.accept, { token: invitee.accessToken, body: { token: inv.body.token } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ quota: 'members', limit: 1, used: 1, requested: 1 });

    // null restores the plan's limit
    const restored = await t.call(adminRoutes.setOverrides, {
      params: { tenantId },
      token: admin.accessToken,
      body: { overrides: { members: null } },
    });
    expect(restored.body.quotas.find((q: { key: string }) => q.key === 'members')).toMatchObject({
      limit: 25,
      overridden: false,
    });
    expect((await t.call(invitationRoutes.accept, { token: invitee.accessToken, body: { token: inv.body.token } })).status).toBe(
      200,
    );

    const audit = await t.call(auditRoutes.list, { params: { tenant: tenantId }, token: owner.accessToken });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['admin.tenants.change-plan', 'admin.tenants.set-quota-overrides', 'invitations.accept']),
    );
    const denied = audit.body.items.find(
      (e: { action: string; outcome: string }) => e.action === 'invitations.accept' && e.outcome === 'denied',
    );
    expect(denied).toMatchObject({ status: 403, actor: { email } });
  });

  it('suspends a tenant: it can read but not change anything, and sees why; resume restores it', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    const s = await t.call(adminRoutes.suspend, {
      params: { tenantId: tenant },
      token: admin.accessToken,
      body: { reason: 'Unpaid invoice #42' },
    });
    expect(s.body).toMatchObject({ status: 'suspended', suspendedReason: 'Unpaid invoice #42' });

    const read = await t.call(tenantRoutes.get, { params: { tenant }, token: owner.accessToken });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'suspended', suspendedReason: 'Unpaid invoice #42' });
    const write = await t.call(tenantRoutes.update, { params: { tenant }, token: owner.accessToken, body: { name: 'New name' } });
    expect(write.status).toBe(403);
    expect(write.body.type).toMatch(/\/tenant-suspended$/);
    expect(write.body.detail).toMatch(/Unpaid invoice #42/);
    const token = await t.call(apiTokenRoutes.create, { params: { tenant }, token: owner.accessToken, body: { name: 'x' } });
    expect(token.status).toBe(403);

    await t.call(adminRoutes.resume, { params: { tenantId: tenant }, token: admin.accessToken });
    expect(
      (await t.call(tenantRoutes.update, { params: { tenant }, token: owner.accessToken, body: { name: 'New name' } })).status,
    ).toBe(200);
  });

  it('404s an unknown tenant', async () => {
    const res = await t.call(adminRoutes.getTenant, {
      params: { tenantId: '00000000-0000-4000-8000-000000000000' },
      token: admin.accessToken,
    });
    expect(res.status).toBe(404);
  });
});

describe('plans', () => {
  it('lists the seeded plans publicly', async () => {
    const res = await t.call(planRoutes.list);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual(['free', 'team', 'business']);
    expect(res.body.items[0].limits).toMatchObject({
      services: 4,
      cpuMillis: 2000,
      memoryMiB: 4096,
      concurrentBuilds: 1,
      members: 3,
      volumeGiB: 5,
      dedicatedHosts: 0,
    });
  });
});

describe('audit log', () => {
  it('records every mutating request with actor, action, target, IP and outcome; owners and admins read it', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    await t.call(tenantRoutes.update, { params: { tenant }, token: owner.accessToken, body: { name: 'Audited' } });
    const tok = await t.call(apiTokenRoutes.create, { params: { tenant }, token: owner.accessToken, body: { name: 'ci' } });
    await t.call(apiTokenRoutes.revoke, { params: { tenant, tokenId: tok.body.apiToken.id }, token: owner.accessToken });
    const res = await t.call(auditRoutes.list, { params: { tenant }, token: owner.accessToken });
    expect(res.status).toBe(200);
    const [revoke, create, update] = res.body.items;
    expect(revoke).toMatchObject({
      action: 'api-tokens.revoke',
      outcome: 'success',
      status: 204,
      target: `tokenId=${tok.body.apiToken.id}`,
    });
    expect(create).toMatchObject({ action: 'api-tokens.create', outcome: 'success', status: 201 });
    expect(update).toMatchObject({ action: 'tenants.update', actor: { id: owner.user.id, email: owner.email }, ip: '127.0.0.1' });
    expect(update.requestId).toEqual(expect.any(String));
    const filtered = await t.call(auditRoutes.list, {
      params: { tenant },
      token: owner.accessToken,
      query: { action: 'tenants.update' },
    });
    expect(filtered.body.items).toHaveLength(1);
    // the sign-up that created the tenant is its first event
    expect(res.body.items.at(-1)).toMatchObject({ action: 'auth.signup', outcome: 'success', status: 201, actor: null });
  });

  it('records role denials', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    const email = uniqueEmail();
    const inv = await t.call(invitationRoutes.create, {
      params: { tenant },
      token: owner.accessToken,
      body: { email, role: 'viewer' },
    });
    const viewer = await signup(t, 'Viewer', email);
    await t.call(invitationRoutes.accept, { token: viewer.accessToken, body: { token: inv.body.token } });
    const denied = await t.call(tenantRoutes.update, { params: { tenant }, token: viewer.accessToken, body: { name: 'nope' } });
    expect(denied.status).toBe(403);
    expect((await t.call(auditRoutes.list, { params: { tenant }, token: viewer.accessToken })).status).toBe(403);
    const res = await t.call(auditRoutes.list, {
      params: { tenant },
      token: owner.accessToken,
      query: { action: 'tenants.update' },
    });
    expect(res.body.items[0]).toMatchObject({ outcome: 'denied', status: 403, actor: { id: viewer.user.id } });
  });

  it('keeps failed logins for platform admins (outside any tenant)', async () => {
    const owner = await signup(t);
    await t.call(authRoutes.login, { body: { email: owner.email, password: 'wrong password!' } });
    const rows = await t.owner.query(
      `select action, outcome, status, tenant_id from audit_events where actor_email = $1 and action = 'auth.login'`,
      [owner.email],
    );
    expect(rows.rows).toEqual([{ action: 'auth.login', outcome: 'denied', status: 401, tenant_id: null }]);
  });
});
