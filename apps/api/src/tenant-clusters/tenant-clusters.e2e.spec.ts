import { clusterRoutes, type Host, hostRoutes, providerCatalogRoutes, type TenantCluster } from '@wharf/contracts';
import { AgentsRepository, Database } from '@wharf/db';
import { type MachineProvider, ProviderError } from '@wharf/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { offlineProviderFactory } from '../../../../tests/support/clouds.js';
import type { ProviderFactory } from '../clouds/provider-factory.js';
import { insertCloudAccount } from '../security/cloud-fixtures.js';
import { expectProblem, snapshot } from '../security/fixtures.js';
import { insertApp, sharedCluster } from '../security/workload-fixtures.js';

/**
 * A tenant's own clusters through the API: creating a dedicated cluster (admitted against the `clusters` quota),
 * listing it beside the shared one with its hosts counted by state, deleting it once nothing runs there; and the
 * provider lists the add-host form offers. The role matrix and isolation suites (apps/api/src/security) cover
 * these routes for every role and against other tenants.
 */

/** Accounts named `refused…` have lost their access; the others offer eu-west-1 with t3.small. */
const catalogue: ProviderFactory = {
  create(provider, credentials): MachineProvider {
    const refused = credentials.kind === 'role' && credentials.roleArn.includes('Refused');
    const deny = async (): Promise<never> => {
      throw new ProviderError('auth', 'AWS did not accept the credentials (AccessDenied).');
    };
    return {
      ...offlineProviderFactory().create(provider, credentials),
      regions: refused ? deny : async () => [{ id: 'eu-west-1', name: 'Ireland' }],
      instanceTypes: async (region: string) => (region === 'eu-west-1' ? [{ id: 't3.small', vcpus: 2, memoryMiB: 2048 }] : []),
    };
  },
};

let t: TestApp;
let sharedId: string;
beforeAll(async () => {
  t = await startTestApp({}, { providerFactory: catalogue });
  sharedId = await sharedCluster(t.owner);
});
afterAll(() => t?.close());

async function team(plan: 'team' | 'free' = 'team'): Promise<Account> {
  const owner = await signup(t, 'Cleo Clusters');
  await t.owner.query('update tenants set plan_id = $2 where id = $1', [owner.tenant.id, plan]);
  return owner;
}
const create = (owner: Account, body: unknown) =>
  t.call<TenantCluster>(clusterRoutes.create, { params: { tenant: owner.tenant.slug }, token: owner.accessToken, body });
const list = (owner: Account) =>
  t.call<{ items: TenantCluster[] }>(clusterRoutes.list, { params: { tenant: owner.tenant.id }, token: owner.accessToken });
const get = (owner: Account, clusterId: string) =>
  t.call<TenantCluster>(clusterRoutes.get, { params: { tenant: owner.tenant.id, clusterId }, token: owner.accessToken });
const remove = (owner: Account, clusterId: string) =>
  t.call(clusterRoutes.remove, { params: { tenant: owner.tenant.id, clusterId }, token: owner.accessToken });
const clusterNames = async (tenantId: string) =>
  (await t.owner.query('select name from clusters where tenant_id = $1 order by name', [tenantId])).rows.map((r) => r.name);

describe('dedicated clusters of a tenant', () => {
  it('creates one (201, port 80, default domain under the shared one), lists it with the shared one, gets it, audits it', async () => {
    const owner = await team();
    const res = await create(owner, { name: 'prod' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const noHosts = expect.objectContaining({ requested: 0, ready: 0, terminated: 0, failed: 0 });
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'prod',
      kind: 'dedicated',
      domain: `prod.${owner.tenant.slug}.wharf.localhost`,
      status: 'pending',
      lastHeartbeatAt: null,
      nodes: 0,
      policyRelaxed: [],
      proxyPort: 80,
      createdAt: expect.any(String),
      hosts: noHosts,
    });
    const row = await t.owner.query('select tenant_id, kind, proxy_port from clusters where id = $1', [res.body.id]);
    expect(row.rows).toEqual([{ tenant_id: owner.tenant.id, kind: 'dedicated', proxy_port: 80 }]);
    const audit = await t.owner.query(
      `select outcome, target from audit_events where tenant_id = $1 and action = 'clusters.create'`,
      [owner.tenant.id],
    );
    expect(audit.rows).toEqual([{ outcome: 'success', target: 'cluster=prod' }]);

    const own = await create(owner, { name: 'eu', domain: 'apps.example.test' });
    expect(own.body.domain).toBe('apps.example.test');

    const listed = await list(owner);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c) => [c.name, c.kind])).toEqual([
      ['shared', 'shared'],
      ['prod', 'dedicated'],
      ['eu', 'dedicated'],
    ]);
    expect((await get(owner, res.body.id)).body).toEqual(res.body);
    expect((await get(owner, sharedId)).body).toMatchObject({ kind: 'shared', hosts: noHosts });
  });

  it('counts the hosts of each cluster by state, with their agents’ last heartbeat on the hosts', async () => {
    const owner = await team();
    const cluster = (await create(owner, { name: 'counted' })).body.id;
    for (const name of ['a', 'b', 'c']) {
      const added = await t.call<Host>(hostRoutes.create, {
        params: { tenant: owner.tenant.id, clusterId: cluster },
        token: owner.accessToken,
        body: { provider: 'local', region: 'local', instanceType: 'local.small', name },
      });
      expect(added.status, JSON.stringify(added.body)).toBe(202);
      expect(added.body.lastSeenAt).toBeNull();
    }
    await t.owner.query(`update hosts set state = 'failed', failure = 'test' where cluster_id = $1 and name = 'c'`, [cluster]);
    // host a's agent registered and beats: the heartbeat's own write (AgentsRepository.touch) reaches the host
    const agent = await t.owner.query<{ id: string }>(
      `insert into agents (cluster_id, name, credential_hash, host_id)
       select $1, 'a', md5(random()::text), id from hosts where cluster_id = $1 and name = 'a' returning id`,
      [cluster],
    );
    const agentId = agent.rows[0]?.id ?? '';
    await t.owner.query(`update hosts set agent_id = $2 where cluster_id = $1 and name = 'a'`, [cluster, agentId]);
    const db = new Database({ connectionString: t.db.appUrl, maxConnections: 1 });
    await db.withPlatform((p) => new AgentsRepository().touch(p, agentId, '1.0.0')).finally(() => db.close());

    const counted = await get(owner, cluster);
    expect(counted.body.hosts).toMatchObject({ requested: 2, failed: 1, ready: 0 });
    const hosts = await t.call<{ items: Host[] }>(hostRoutes.list, {
      params: { tenant: owner.tenant.id, clusterId: cluster },
      token: owner.accessToken,
    });
    const seen = Object.fromEntries(hosts.body.items.map((h) => [h.name, h.lastSeenAt]));
    expect(seen).toEqual({ a: expect.any(String), b: null, c: null });
  });

  it('refuses hostile names, bad domains and unknown fields (400) and creates nothing', async () => {
    const owner = await team();
    const before = await snapshot(t.owner);
    const bad: [unknown, string[]][] = [
      [{ name: 'Prod' }, ['body.name']],
      [{ name: 'a;rm -rf /' }, ['body.name']],
      [{ name: '$(id)' }, ['body.name']],
      [{ name: '-x' }, ['body.name']],
      [{ name: 'x'.repeat(64) }, ['body.name']],
      [{ name: '../../etc' }, ['body.name']],
      [{ name: 'ok', domain: 'https://x.example.test' }, ['body.domain']],
      [{ name: 'ok', domain: 'x.test:80' }, ['body.domain']],
      [{ name: 'ok', tenantId: owner.tenant.id }, ['body.tenantId']],
      [{ name: 'ok', proxyPort: 80 }, ['body.proxyPort']],
      [{}, ['body.name']],
    ];
    for (const [body, fields] of bad) {
      const problem = expectProblem(await create(owner, body), 400, 'validation');
      expect([...new Set(problem.errors?.map((e) => e.path))], JSON.stringify(body)).toEqual(fields);
    }
    expect(await snapshot(t.owner)).toEqual(before);
  });

  it('answers 409 to a taken name and 403 quota-exceeded beyond the plan (free: none)', async () => {
    const owner = await team();
    expect((await create(owner, { name: 'one' })).status).toBe(201);
    expectProblem(await create(owner, { name: 'one' }), 409, 'conflict');
    // a shared cluster's name is no conflict: the tenant's own namespace is its dedicated clusters
    expect((await create(owner, { name: 'shared' })).status).toBe(201);

    const free = await team('free');
    const refused = expectProblem(await create(free, { name: 'one' }), 403, 'quota-exceeded');
    expect(refused).toMatchObject({ quota: 'clusters', limit: 0, used: 0, requested: 1 });
    expect(await clusterNames(free.tenant.id)).toEqual([]);
  });

  it('deletes an empty cluster (204), and refuses (409) while it has live hosts or apps', async () => {
    const owner = await team();
    const cluster = (await create(owner, { name: 'busy' })).body.id;
    await t.owner.query(
      `insert into hosts (tenant_id, cluster_id, provider, region, instance_type, vcpus, memory_mib, name, state, client_token)
       values ($1, $2, 'local', 'local', 'local.small', 1, 512, 'h1', 'ready', gen_random_uuid()),
              ($1, $2, 'local', 'local', 'local.small', 1, 512, 'h2', 'terminated', gen_random_uuid())`,
      [owner.tenant.id, cluster],
    );
    const appId = await insertApp(t.owner, owner.tenant.id, cluster, { slug: 'web' });

    expect(expectProblem(await remove(owner, cluster), 409, 'conflict').detail).toContain('1 host(s)');
    await t.owner.query(`update hosts set state = 'terminated' where cluster_id = $1`, [cluster]);
    expect(expectProblem(await remove(owner, cluster), 409, 'conflict').detail).toContain('1 app(s)');
    expect(await clusterNames(owner.tenant.id)).toEqual(['busy']);

    // an app deleted from it no longer holds it; the terminated hosts' rows go with the cluster
    await t.owner.query('update apps set deleted_at = now() where id = $1', [appId]);
    expect((await remove(owner, cluster)).status).toBe(204);
    expect(await clusterNames(owner.tenant.id)).toEqual([]);
    expect((await t.owner.query('select 1 from hosts where cluster_id = $1', [cluster])).rowCount).toBe(0);
    expectProblem(await get(owner, cluster), 404, 'not-found');
    expectProblem(await remove(owner, cluster), 404, 'not-found');
  });

  it('never deletes a shared cluster (404)', async () => {
    const owner = await team();
    expectProblem(await remove(owner, sharedId), 404, 'not-found');
    expect((await t.owner.query('select 1 from clusters where id = $1', [sharedId])).rowCount).toBe(1);
  });
});

describe('the provider lists of the add-host form', () => {
  const regions = (owner: Account, accountId: string) =>
    t.call(providerCatalogRoutes.regions, { params: { tenant: owner.tenant.id, accountId }, token: owner.accessToken });
  const types = (owner: Account, accountId: string, region: string) =>
    t.call(providerCatalogRoutes.instanceTypes, {
      params: { tenant: owner.tenant.id, accountId },
      query: { region },
      token: owner.accessToken,
    });

  it('answers a cloud account’s regions and instance types through its adapter, and the local provider’s own', async () => {
    const owner = await team();
    const account = await insertCloudAccount(t.owner, owner.tenant.id);
    expect((await regions(owner, account.id)).body).toEqual({ items: [{ id: 'eu-west-1', name: 'Ireland' }] });
    expect((await types(owner, account.id, 'eu-west-1')).body).toEqual({
      items: [{ id: 't3.small', vcpus: 2, memoryMiB: 2048 }],
    });
    expect((await regions(owner, 'local')).body).toEqual({ items: [{ id: 'local', name: 'This machine' }] });
    const local = await types(owner, 'local', 'local');
    expect(local.body.items).toEqual([{ id: 'local.small', vcpus: expect.any(Number), memoryMiB: expect.any(Number) }]);
  });

  it('says what is wrong: an unknown region (422), a refusing provider (422 at the account), bad input (400), no account (404)', async () => {
    const owner = await team();
    const account = await insertCloudAccount(t.owner, owner.tenant.id);
    const unknown = expectProblem(await types(owner, account.id, 'mars-1'), 422, 'unprocessable');
    expect(unknown.errors).toEqual([expect.objectContaining({ path: 'query.region', code: 'unknown_region' })]);
    expectProblem(await types(owner, 'local', 'eu-west-1'), 422, 'unprocessable');

    await t.owner.query(`update cloud_accounts set role_arn = 'arn:aws:iam::123456789012:role/Refused' where id = $1`, [
      account.id,
    ]);
    const refused = expectProblem(await regions(owner, account.id), 422, 'unprocessable');
    expect(refused.detail).toContain('AccessDenied');
    expect(refused.errors).toEqual([expect.objectContaining({ path: 'params.accountId', code: 'provider_auth' })]);

    expectProblem(await regions(owner, 'not-an-id'), 400, 'validation');
    expectProblem(await types(owner, 'local', 'Bad Region!'), 400, 'validation');
    expectProblem(await regions(owner, '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
  });
});
