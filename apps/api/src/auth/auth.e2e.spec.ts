import { apiTokenRoutes, authRoutes, tenantRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signup, startTestApp, type TestApp, uniqueEmail } from '../../../../tests/support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '30' });
});
afterAll(() => t?.close());

describe('sign-up', () => {
  it('creates the user and a personal tenant on the free plan with the user as owner', async () => {
    const email = uniqueEmail('Ada').replace('ada', 'Ada');
    const res = await t.call(authRoutes.signup, { body: { email, password: PASSWORD, name: 'Ada Lovelace' } });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: email.toLowerCase(), name: 'Ada Lovelace', isPlatformAdmin: false });
    expect(res.body.tenant).toMatchObject({ planId: 'free', personal: true, role: 'owner', status: 'active' });
    expect(res.body.tenant.slug).toMatch(/^ada-lovelace/);
    expect(String(res.headers['set-cookie'])).toMatch(/wharf_refresh=wrt_.*HttpOnly/i);
    const me = await t.call(authRoutes.me, { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.tenants.map((x: { id: string }) => x.id)).toEqual([res.body.tenant.id]);
    const stored = await t.owner.query('select password_hash from users where id = $1', [res.body.user.id]);
    expect(stored.rows[0].password_hash).toMatch(/^scrypt\$/);
    expect(stored.rows[0].password_hash).not.toContain(PASSWORD);
  });

  it('refuses a second account with the same email (409)', async () => {
    const a = await signup(t);
    const res = await t.call(authRoutes.signup, { body: { email: a.email, password: PASSWORD, name: 'Again' } });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('login, refresh, logout', () => {
  it('logs in with the right password only', async () => {
    const a = await signup(t);
    const ok = await t.call(authRoutes.login, { body: { email: a.email.toUpperCase(), password: PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(a.user.id);
    const wrong = await t.call(authRoutes.login, { body: { email: a.email, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.type).toMatch(/\/unauthenticated$/);
    const nobody = await t.call(authRoutes.login, { body: { email: uniqueEmail(), password: PASSWORD } });
    expect(nobody.status).toBe(401);
    expect(nobody.body.detail).toBe(wrong.body.detail);
  });

  it('rotates refresh tokens, and reuse of a rotated one revokes the whole family', async () => {
    const a = await signup(t);
    const first = await t.call(authRoutes.refresh, { body: { refreshToken: a.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(a.refreshToken);
    const second = await t.call(authRoutes.refresh, { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);

    // the stolen, already-rotated token comes back: refused, and the family dies
    const reuse = await t.call(authRoutes.refresh, { body: { refreshToken: a.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.detail).toMatch(/already used/);
    const latest = await t.call(authRoutes.refresh, { body: { refreshToken: second.body.refreshToken } });
    expect(latest.status).toBe(401);
    // access tokens of the family stop working too
    const me = await t.call(authRoutes.me, { token: second.body.accessToken });
    expect(me.status).toBe(401);
  });

  it('refreshes from the httpOnly cookie', async () => {
    const a = await signup(t);
    const res = await t.call(authRoutes.refresh, { body: {}, headers: { cookie: `wharf_refresh=${a.refreshToken}` } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(a.user.id);
  });

  it('logout revokes the session: its access and refresh tokens are refused', async () => {
    const a = await signup(t);
    expect((await t.call(authRoutes.me, { token: a.accessToken })).status).toBe(200);
    const out = await t.call(authRoutes.logout, { token: a.accessToken, body: {} });
    expect(out.status).toBe(204);
    expect((await t.call(authRoutes.me, { token: a.accessToken })).status).toBe(401);
    expect((await t.call(authRoutes.refresh, { body: { refreshToken: a.refreshToken } })).status).toBe(401);
    // a new login still works
    expect((await t.call(authRoutes.login, { body: { email: a.email, password: PASSWORD } })).status).toBe(200);
  });

  it('refuses missing, malformed, forged and expired access tokens', async () => {
    expect((await t.call(authRoutes.me)).status).toBe(401);
    expect((await t.call(authRoutes.me, { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    const a = await signup(t);
    const [h, p] = a.accessToken.split('.');
    const forged = `${h}.${p}.${'A'.repeat(43)}`;
    expect((await t.call(authRoutes.me, { token: forged })).status).toBe(401);
    const jwt = await import('jsonwebtoken');
    const expired = jwt.default.sign({ sub: a.user.id, sid: 'x', email: a.email, adm: false }, process.env.JWT_SECRET ?? '', {
      expiresIn: -10,
      issuer: 'wharf',
      audience: 'wharf-api',
    });
    expect((await t.call(authRoutes.me, { token: expired })).status).toBe(401);
  });
});

describe('API tokens', () => {
  it('authenticate as their user within their one tenant, record last use, and stop working when revoked', async () => {
    const a = await signup(t);
    const tenant = a.tenant.id;
    const created = await t.call(apiTokenRoutes.create, { params: { tenant }, token: a.accessToken, body: { name: 'ci' } });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^wharf_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiToken.prefix).toBe(token.slice(0, 12));

    const got = await t.call(tenantRoutes.get, { params: { tenant: a.tenant.slug }, token });
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(tenant);
    const me = await t.call(authRoutes.me, { token });
    expect(me.body.user.id).toBe(a.user.id);

    // never stored in clear
    const rows = await t.owner.query('select token_hash, last_used_at from api_tokens where tenant_id = $1', [tenant]);
    expect(rows.rows[0].token_hash).not.toContain(token.slice(6));
    expect(rows.rows[0].last_used_at).not.toBeNull();

    // bound to its tenant: another tenant of the same user is not reachable with it
    const team = await t.call(tenantRoutes.create, { token: a.accessToken, body: { name: 'Side project' } });
    expect(team.status).toBe(201);
    expect((await t.call(tenantRoutes.get, { params: { tenant: team.body.id }, token: a.accessToken })).status).toBe(200);
    expect((await t.call(tenantRoutes.get, { params: { tenant: team.body.id }, token })).status).toBe(404);

    const revoked = await t.call(apiTokenRoutes.revoke, {
      params: { tenant, tokenId: created.body.apiToken.id },
      token: a.accessToken,
    });
    expect(revoked.status).toBe(204);
    expect((await t.call(tenantRoutes.get, { params: { tenant }, token })).status).toBe(401);
  });

  it('refuses an expired API token and an unknown one', async () => {
    const a = await signup(t);
    const created = await t.call(apiTokenRoutes.create, {
      params: { tenant: a.tenant.id },
      token: a.accessToken,
      body: { name: 'old' },
    });
    await t.owner.query(`update api_tokens set expires_at = now() - interval '1 minute' where id = $1`, [
      created.body.apiToken.id,
    ]);
    const res = await t.call(tenantRoutes.get, { params: { tenant: a.tenant.id }, token: created.body.token });
    expect(res.status).toBe(401);
    expect(res.body.type).toMatch(/unauthenticated$/);
    expect((await t.call(authRoutes.me, { token: `wharf_${'x'.repeat(43)}` })).status).toBe(401);
  });
});

describe('rate limiting', () => {
  it('answers 429 per IP and per account once the window is used up', async () => {
    const limited = await startTestApp({
      LOGIN_RATE_LIMIT_PER_IP: '3',
      LOGIN_RATE_LIMIT_PER_ACCOUNT: '2',
      SIGNUP_RATE_LIMIT_PER_IP: '2',
    });
    try {
      const ip = `10.99.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const email = uniqueEmail();
      const attempts = [];
      for (let i = 0; i < 3; i++) {
        attempts.push(
          (await limited.call(authRoutes.login, { body: { email, password: 'wrong password' }, remoteAddress: ip })).status,
        );
      }
      expect(attempts).toEqual([401, 401, 429]);
      const other = `10.98.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const res = await limited.call(authRoutes.login, { body: { email, password: PASSWORD }, remoteAddress: other });
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body.type).toMatch(/rate-limited$/);

      const signupIp = `10.97.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const s = [];
      for (let i = 0; i < 3; i++) {
        s.push(
          (
            await limited.call(authRoutes.signup, {
              body: { email: uniqueEmail(), password: PASSWORD, name: 'N' },
              remoteAddress: signupIp,
            })
          ).status,
        );
      }
      expect(s).toEqual([201, 201, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('several API processes', () => {
  it('a logout on one replica is refused by every other at once, and by replicas started later', async () => {
    const other = await startTestApp({}, { database: t.db });
    try {
      const a = await signup(t);
      expect((await other.call(authRoutes.me, { token: a.accessToken })).status).toBe(200);
      expect((await t.call(authRoutes.logout, { token: a.accessToken, body: {} })).status).toBe(204);
      // pub/sub carries the revocation to the other replica's in-memory list
      const deadline = Date.now() + 2_000;
      let status = 200;
      while (status !== 401 && Date.now() < deadline) {
        status = (await other.call(authRoutes.me, { token: a.accessToken })).status;
        if (status !== 401) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(401);
      // a replica that starts afterwards loads the list from Redis
      const late = await startTestApp({}, { database: t.db });
      try {
        expect((await late.call(authRoutes.me, { token: a.accessToken })).status).toBe(401);
        const b = await signup(t);
        expect((await late.call(authRoutes.me, { token: b.accessToken })).status).toBe(200);
      } finally {
        await late.close();
      }
    } finally {
      await other.close();
    }
  });
});
