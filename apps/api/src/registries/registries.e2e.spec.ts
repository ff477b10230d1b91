import { registryRoutes } from '@wharf/contracts';
import { AAD, SecretBox } from '@wharf/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('registry credentials', () => {
  it('are stored sealed, listed without their password, one per registry host, and deleted', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    const body = { server: 'registry.example.com:5000', username: 'robot$ci', password: 'p@ss with spaces & symbols' };
    const created = await t.call(registryRoutes.create, { params: { tenant }, token: owner.accessToken, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ server: body.server, username: body.username, createdBy: { id: owner.user.id } });
    expect(JSON.stringify(created.body)).not.toContain(body.password);

    const list = await t.call(registryRoutes.list, { params: { tenant }, token: owner.accessToken });
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(body.password);

    // at rest: AES-256-GCM under MASTER_KEY, bound to the tenant and the registry
    const row = await t.owner.query('select password_sealed from registry_credentials where id = $1', [created.body.id]);
    const sealed: string = row.rows[0].password_sealed;
    expect(sealed).not.toContain(body.password);
    const box = SecretBox.fromBase64(process.env.MASTER_KEY ?? '');
    expect(box.open(sealed, AAD.registry(tenant, body.server))).toBe(body.password);
    expect(() => box.open(sealed, AAD.registry(tenant, 'other.example.com'))).toThrow();

    const again = await t.call(registryRoutes.create, { params: { tenant }, token: owner.accessToken, body });
    expect(again.status).toBe(409);

    const params = { tenant, credentialId: created.body.id };
    expect((await t.call(registryRoutes.remove, { params, token: owner.accessToken })).status).toBe(204);
    expect((await t.call(registryRoutes.remove, { params, token: owner.accessToken })).status).toBe(404);
  });

  it('refuse a server that is not a registry host, and write nothing', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    for (const server of [
      'https://registry.example.com',
      'registry.example.com/path',
      'Reg Istry',
      '../etc',
      'a:999999',
      'registry.example.com:70000',
    ]) {
      const res = await t.call(registryRoutes.create, {
        params: { tenant },
        token: owner.accessToken,
        body: { server, username: 'u', password: 'p' },
      });
      expect(res.status, server).toBe(400);
      expect(res.body.errors[0].path).toBe('body.server');
    }
    const rows = await t.owner.query('select count(*)::int as n from registry_credentials where tenant_id = $1', [tenant]);
    expect(rows.rows[0].n).toBe(0);
  });
});
