import { randomUUID } from 'node:crypto';
import { cloudAccountRoutes } from '@wharf/contracts';
import type { HostState } from '@wharf/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { AWS_KEY } from '../../../../tests/support/clouds.js';
import { insertDedicatedCluster } from '../../../../tests/support/host-rows.js';
import { expectProblem } from '../security/fixtures.js';

/**
 * Removing a cloud account that hosts use: refused (409 problem+json) while any of them has not ended, allowed once
 * all have (terminated, failed); those hosts keep their history, without the account. The hosts are written straight
 * to the database: what is under test is the account's removal, not the host workflow.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

async function accountOf(owner: Account): Promise<{ tenant: string; accountId: string }> {
  const tenant = owner.tenant.id;
  const res = await t.call(cloudAccountRoutes.create, {
    params: { tenant },
    token: owner.accessToken,
    body: { provider: 'aws', name: 'Production', ...AWS_KEY },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { tenant, accountId: res.body.id };
}

async function hostOn(tenant: string, accountId: string, state: HostState): Promise<string> {
  const cluster = await insertDedicatedCluster(t.owner, tenant);
  const host = await t.owner.query<{ id: string }>(
    `insert into hosts (tenant_id, cluster_id, cloud_account_id, provider, region, instance_type, vcpus, memory_mib, name,
       client_token, state, failure)
     values ($1, $2, $3, 'aws', 'eu-central-1', 't3.small', 2, 2048, $4, $5, $6, $7) returning id`,
    [tenant, cluster, accountId, `h-${state}`, randomUUID(), state, state === 'failed' ? 'it broke' : null],
  );
  return host.rows[0]?.id ?? '';
}

const setState = (id: string, state: HostState) =>
  t.owner.query(`update hosts set state = $2, failure = coalesce(failure, 'it broke') where id = $1`, [id, state]);

describe('removing a cloud account that hosts use', () => {
  it('409 while hosts that have not ended use it; allowed once they all ended, and the hosts keep their history', async () => {
    const owner = await signup(t);
    const { tenant, accountId } = await accountOf(owner);
    const params = { tenant, accountId };
    const ready = await hostOn(tenant, accountId, 'ready');
    const draining = await hostOn(tenant, accountId, 'draining');
    const ended = [await hostOn(tenant, accountId, 'terminated'), await hostOn(tenant, accountId, 'failed')];

    const refused = expectProblem(await t.call(cloudAccountRoutes.remove, { params, token: owner.accessToken }), 409, 'conflict');
    expect(refused.detail).toBe('2 hosts still use this account: remove them first.');
    expect((await t.call(cloudAccountRoutes.get, { params, token: owner.accessToken })).status).toBe(200);

    await setState(ready, 'terminated');
    const still = expectProblem(await t.call(cloudAccountRoutes.remove, { params, token: owner.accessToken }), 409, 'conflict');
    expect(still.detail).toBe('1 host still uses this account: remove them first.');

    await setState(draining, 'failed');
    expect((await t.call(cloudAccountRoutes.remove, { params, token: owner.accessToken })).status).toBe(204);
    expect((await t.call(cloudAccountRoutes.get, { params, token: owner.accessToken })).status).toBe(404);
    const hosts = await t.owner.query('select id, state, cloud_account_id from hosts where tenant_id = $1 order by name', [
      tenant,
    ]);
    expect(hosts.rows.map((h) => h.cloud_account_id)).toEqual([null, null, null, null]);
    expect(hosts.rows.map((h) => h.id).sort()).toEqual([ready, draining, ...ended].sort());
  });

  it('hosts of another account or tenant do not hold an account back (positive control: it is removed at once)', async () => {
    const owner = await signup(t);
    const other = await signup(t);
    const { tenant, accountId } = await accountOf(owner);
    const second = await accountOf(other);
    await hostOn(second.tenant, second.accountId, 'ready');

    expect((await t.call(cloudAccountRoutes.remove, { params: { tenant, accountId }, token: owner.accessToken })).status).toBe(
      204,
    );
    // and the other tenant's account, whose host is live, is still refused
    const refused = await t.call(cloudAccountRoutes.remove, { params: second, token: other.accessToken });
    expectProblem(refused, 409, 'conflict');
  });
});
