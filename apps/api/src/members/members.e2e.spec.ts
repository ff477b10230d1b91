import { invitationRoutes, memberRoutes, tenantRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signup, startTestApp, type TestApp, uniqueEmail } from '../../../../tests/support/app.js';
import { addMember } from '../../../../tests/support/tenants.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('teams', () => {
  it('a user creates more tenants, owns them, and sees them all', async () => {
    const a = await signup(t);
    const team = await t.call(tenantRoutes.create, {
      token: a.accessToken,
      body: { name: 'Acme Platform', slug: `acme-${a.user.id.slice(0, 6)}` },
    });
    expect(team.status).toBe(201);
    expect(team.body).toMatchObject({ name: 'Acme Platform', role: 'owner', personal: false, planId: 'free' });
    const list = await t.call(tenantRoutes.list, { token: a.accessToken });
    expect(list.body.items.map((x: { id: string }) => x.id).sort()).toEqual([a.tenant.id, team.body.id].sort());
    const bySlug = await t.call(tenantRoutes.get, { params: { tenant: team.body.slug }, token: a.accessToken });
    expect(bySlug.body.id).toBe(team.body.id);
    const renamed = await t.call(tenantRoutes.update, {
      params: { tenant: team.body.id },
      token: a.accessToken,
      body: { name: 'Acme' },
    });
    expect(renamed.body.name).toBe('Acme');
  });

  it('refuses a slug that is taken (409) and derives a free one when none is given', async () => {
    const a = await signup(t);
    const slug = `dup-${a.user.id.slice(0, 8)}`;
    expect((await t.call(tenantRoutes.create, { token: a.accessToken, body: { name: 'One', slug } })).status).toBe(201);
    const again = await t.call(tenantRoutes.create, { token: a.accessToken, body: { name: 'Two', slug } });
    expect(again.status).toBe(409);
    const derived1 = await t.call(tenantRoutes.create, { token: a.accessToken, body: { name: 'Same Name' } });
    const derived2 = await t.call(tenantRoutes.create, { token: a.accessToken, body: { name: 'Same Name' } });
    expect(derived1.body.slug).toMatch(/^same-name/);
    expect(derived2.body.slug).toMatch(/^same-name-/);
    expect(derived2.body.slug).not.toBe(derived1.body.slug);
  });
});

describe('invitations', () => {
  it('invite → preview → accept: single-use, bound to the invited email', async () => {
    const owner = await signup(t);
    const email = uniqueEmail('inv');
    const inv = await t.call(invitationRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { email, role: 'developer' },
    });
    expect(inv.status).toBe(201);
    expect(inv.body.url).toBe(`http://localhost:3000/invite/${inv.body.token}`);
    expect(inv.body.invitation).toMatchObject({ email, role: 'developer', status: 'pending' });

    const stranger = await signup(t);
    const wrong = await t.call(invitationRoutes.accept, { token: stranger.accessToken, body: { token: inv.body.token } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.detail).toMatch(/another email/);

    const invitee = await signup(t, 'Invitee', email);
    const preview = await t.call(invitationRoutes.preview, { token: invitee.accessToken, body: { token: inv.body.token } });
    expect(preview.body).toMatchObject({ email, role: 'developer', status: 'pending', tenant: { slug: owner.tenant.slug } });
    const ok = await t.call(invitationRoutes.accept, { token: invitee.accessToken, body: { token: inv.body.token } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: owner.tenant.id, role: 'developer' });
    const again = await t.call(invitationRoutes.accept, { token: invitee.accessToken, body: { token: inv.body.token } });
    expect(again.status).toBe(409);

    const members = await t.call(memberRoutes.list, { params: { tenant: owner.tenant.id }, token: owner.accessToken });
    expect(members.body.items.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [owner.email, 'owner'],
      [email, 'developer'],
    ]);
    const invs = await t.call(invitationRoutes.list, { params: { tenant: owner.tenant.id }, token: owner.accessToken });
    expect(invs.body.items[0].status).toBe('accepted');
  });

  it('expired and revoked invitations cannot be accepted', async () => {
    const owner = await signup(t);
    const email = uniqueEmail('exp');
    const invitee = await signup(t, 'Late', email);
    const params = { tenant: owner.tenant.id };
    const expired = await t.call(invitationRoutes.create, { params, token: owner.accessToken, body: { email, role: 'viewer' } });
    await t.owner.query(`update invitations set expires_at = now() - interval '1 second' where id = $1`, [
      expired.body.invitation.id,
    ]);
    const r1 = await t.call(invitationRoutes.accept, { token: invitee.accessToken, body: { token: expired.body.token } });
    expect(r1.status).toBe(409);
    expect(r1.body.detail).toMatch(/expired/);

    const revoked = await t.call(invitationRoutes.create, { params, token: owner.accessToken, body: { email, role: 'viewer' } });
    const rv = await t.call(invitationRoutes.revoke, {
      params: { ...params, invitationId: revoked.body.invitation.id },
      token: owner.accessToken,
    });
    expect(rv.status).toBe(204);
    const r2 = await t.call(invitationRoutes.accept, { token: invitee.accessToken, body: { token: revoked.body.token } });
    expect(r2.status).toBe(409);
    expect(r2.body.detail).toMatch(/revoked/);
    const unknown = await t.call(invitationRoutes.accept, {
      token: invitee.accessToken,
      body: { token: `winv_${'x'.repeat(43)}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('refuses inviting someone who is already a member', async () => {
    const owner = await signup(t);
    const res = await t.call(invitationRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { email: owner.email, role: 'admin' },
    });
    expect(res.status).toBe(409);
  });
});

describe('roles', () => {
  it('owners change roles; the last owner can be neither demoted nor removed', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    const dev = await addMember(t, owner, tenant, 'developer');
    const promote = await t.call(memberRoutes.update, {
      params: { tenant, userId: dev.user.id },
      token: owner.accessToken,
      body: { role: 'admin' },
    });
    expect(promote.status).toBe(200);
    expect(promote.body.role).toBe('admin');

    const demoteLast = await t.call(memberRoutes.update, {
      params: { tenant, userId: owner.user.id },
      token: owner.accessToken,
      body: { role: 'admin' },
    });
    expect(demoteLast.status).toBe(409);
    expect(demoteLast.body.detail).toMatch(/last owner/);
    const removeLast = await t.call(memberRoutes.remove, { params: { tenant, userId: owner.user.id }, token: owner.accessToken });
    expect(removeLast.status).toBe(409);

    // with a second owner, the first may step down
    await t.call(memberRoutes.update, {
      params: { tenant, userId: dev.user.id },
      token: owner.accessToken,
      body: { role: 'owner' },
    });
    const stepDown = await t.call(memberRoutes.update, {
      params: { tenant, userId: owner.user.id },
      token: owner.accessToken,
      body: { role: 'viewer' },
    });
    expect(stepDown.status).toBe(200);
  });

  it('admins manage developers and viewers but not owners', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    const admin = await addMember(t, owner, tenant, 'admin');
    const viewer = await addMember(t, owner, tenant, 'viewer');
    const ok = await t.call(memberRoutes.update, {
      params: { tenant, userId: viewer.user.id },
      token: admin.accessToken,
      body: { role: 'developer' },
    });
    expect(ok.status).toBe(200);
    const toOwner = await t.call(memberRoutes.update, {
      params: { tenant, userId: viewer.user.id },
      token: admin.accessToken,
      body: { role: 'owner' },
    });
    expect(toOwner.status).toBe(403);
    const removeOwner = await t.call(memberRoutes.remove, {
      params: { tenant, userId: owner.user.id },
      token: admin.accessToken,
    });
    expect(removeOwner.status).toBe(403);
    const inviteOwner = await t.call(invitationRoutes.create, {
      params: { tenant },
      token: admin.accessToken,
      body: { email: uniqueEmail(), role: 'owner' },
    });
    expect(inviteOwner.status).toBe(403);
    const remove = await t.call(memberRoutes.remove, { params: { tenant, userId: viewer.user.id }, token: admin.accessToken });
    expect(remove.status).toBe(204);
    // the removed member loses access at once
    expect((await t.call(tenantRoutes.get, { params: { tenant }, token: viewer.accessToken })).status).toBe(404);
  });
});

describe('seat quota', () => {
  it('with 2 seats left, 20 concurrent acceptances: exactly 2 succeed, 18 get quota-exceeded', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    // free plan: 3 seats; an admin override makes the arithmetic explicit: 1 used (owner), limit 3 → 2 left
    await t.owner.query(`insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'members', 3)`, [
      tenant,
    ]);
    const invitees = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const email = uniqueEmail(`race${i}`);
        const inv = await t.call(invitationRoutes.create, {
          params: { tenant },
          token: owner.accessToken,
          body: { email, role: 'developer' },
        });
        return { account: await signup(t, `Racer ${i}`, email), token: inv.body.token as string };
      }),
    );
    const results = await Promise.all(
      invitees.map(({ account, token }) => t.call(invitationRoutes.accept, { token: account.accessToken, body: { token } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    const refused = results.filter((r) => r.status === 403);
    expect(refused).toHaveLength(18);
    for (const r of refused) {
      expect(r.body.type).toMatch(/\/quota-exceeded$/);
      expect(r.body).toMatchObject({ quota: 'members', limit: 3, used: 3, requested: 1 });
    }
    const usage = await t.call(tenantRoutes.usage, { params: { tenant }, token: owner.accessToken });
    expect(usage.body.quotas.find((q: { key: string }) => q.key === 'members')).toMatchObject({
      limit: 3,
      used: 3,
      overridden: true,
    });
    const count = await t.owner.query('select count(*)::int as n from memberships where tenant_id = $1', [tenant]);
    expect(count.rows[0].n).toBe(3);
  });

  it('API tokens are admitted against their quota', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    await t.owner.query(`insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'apiTokens', 2)`, [
      tenant,
    ]);
    const { apiTokenRoutes } = await import('@wharf/contracts');
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await t.call(apiTokenRoutes.create, { params: { tenant }, token: owner.accessToken, body: { name: `t${i}` } })).status,
      );
    }
    expect(statuses).toEqual([201, 201, 403]);
  });

  it('usage lists every quota, with later features at 0', async () => {
    const owner = await signup(t);
    const usage = await t.call(tenantRoutes.usage, { params: { tenant: owner.tenant.id }, token: owner.accessToken });
    const byKey = Object.fromEntries(usage.body.quotas.map((q: { key: string }) => [q.key, q]));
    expect(usage.body.planId).toBe('free');
    expect(byKey.members).toMatchObject({ limit: 3, used: 1, planLimit: 3, overridden: false });
    expect(byKey.services).toMatchObject({ limit: 4, used: 0 });
    expect(byKey.cpuMillis).toMatchObject({ limit: 2000, used: 0 });
    expect(byKey.memoryMiB).toMatchObject({ limit: 4096, used: 0 });
    expect(byKey.concurrentBuilds).toMatchObject({ limit: 1, used: 0 });
    expect(byKey.volumeGiB).toMatchObject({ limit: 5, used: 0 });
    expect(byKey.dedicatedHosts).toMatchObject({ limit: 0, used: 0 });
  });
});
