import { type Host, hostRoutes, PROBLEM_BASE } from '@wharf/contracts';
import type { MachineProvider } from '@wharf/providers';
import type { JobQueues } from '@wharf/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { offlineProviderFactory } from '../../../../tests/support/clouds.js';
import type { ProviderFactory } from '../clouds/provider-factory.js';
import { QUEUES } from '../core/tokens.js';
import { insertCloudAccount } from '../security/cloud-fixtures.js';
import { sharedCluster } from '../security/workload-fixtures.js';

/**
 * Adding and removing hosts through the API: the request is checked (a dedicated cluster of the tenant, a region
 * and instance type the provider offers, a DNS-label name), admitted against the host quotas, recorded `requested`
 * and handed to the `host` workers. The workflow itself: apps/worker/src/hosts.
 */

/** Every account offers eu-west-1 with t3.small (2 vCPUs) and t3.xlarge (4); nothing else is called. */
const catalogue: ProviderFactory = {
  create(provider, credentials): MachineProvider {
    return {
      ...offlineProviderFactory().create(provider, credentials),
      regions: async () => [{ id: 'eu-west-1', name: 'Ireland' }],
      instanceTypes: async (region: string) =>
        region === 'eu-west-1'
          ? [
              { id: 't3.small', vcpus: 2, memoryMiB: 2048 },
              { id: 't3.xlarge', vcpus: 4, memoryMiB: 16384 },
            ]
          : [],
    };
  },
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { providerFactory: catalogue });
});
afterAll(() => t?.close());

/** An owner whose tenant is on `plan`, with a dedicated cluster and an AWS account. */
async function team(plan: 'team' | 'free' = 'team') {
  const owner = await signup(t, 'Hanna Hosts');
  const tenant = owner.tenant.id;
  await t.owner.query('update tenants set plan_id = $2 where id = $1', [tenant, plan]);
  const c = await t.owner.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, 'own', 'dedicated', 'own.example.test', 443) returning id`,
    [tenant],
  );
  const account = await insertCloudAccount(t.owner, tenant);
  return { owner, tenant, cluster: c.rows[0]?.id ?? '', account: account.id };
}

function add(owner: Account, cluster: string, body: Record<string, unknown>) {
  return t.call<Host>(hostRoutes.create, {
    params: { tenant: owner.tenant.id, clusterId: cluster },
    token: owner.accessToken,
    body,
  });
}
const local = (name: string) => ({ provider: 'local', region: 'local', instanceType: 'local.small', name });

describe('POST /tenants/{t}/clusters/{c}/hosts', () => {
  it('records the host requested (202), sized by the provider, and enqueues its provisioning', async () => {
    const { owner, cluster, account } = await team();
    const res = await add(owner, cluster, {
      provider: 'aws',
      cloudAccountId: account,
      region: 'eu-west-1',
      instanceType: 't3.small',
      name: 'web-1',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({
      name: 'web-1',
      state: 'requested',
      provider: 'aws',
      vcpus: 2,
      memoryMib: 2048,
      clusterId: cluster,
    });
    expect(res.body).not.toHaveProperty('clientToken');
    const queues = t.app.get<JobQueues>(QUEUES);
    expect(await queues.queue('host').getJob(`host-provision-${res.body.id}`)).toBeDefined();

    const list = await t.call<{ items: Host[] }>(hostRoutes.list, {
      params: { tenant: owner.tenant.id, clusterId: cluster },
      token: owner.accessToken,
    });
    expect(list.body.items.map((h) => h.id)).toEqual([res.body.id]);
    const one = await t.call<Host>(hostRoutes.get, {
      params: { tenant: owner.tenant.id, clusterId: cluster, hostId: res.body.id },
      token: owner.accessToken,
    });
    expect(one.body).toMatchObject({ id: res.body.id, state: 'requested' });

    // names are unique in the cluster
    expect((await add(owner, cluster, local('web-1'))).status).toBe(409);
  });

  it('refuses hostile names and malformed bodies (400) before anything else', async () => {
    const { owner, cluster } = await team();
    for (const name of ['Web', 'a;rm -rf /', '-x', 'x'.repeat(64), '$(id)', 'a b', '']) {
      const res = await add(owner, cluster, local(name));
      expect(res.status, name).toBe(400);
      expect(res.body).toMatchObject({ type: `${PROBLEM_BASE}validation` });
    }
    expect(
      (await add(owner, cluster, { provider: 'aws', region: 'eu-west-1', instanceType: 't3.small', name: 'x' })).status,
    ).toBe(400);
    expect((await add(owner, cluster, { ...local('x'), extra: 1 })).status).toBe(400);
    expect((await t.owner.query('select 1 from hosts where cluster_id = $1', [cluster])).rowCount).toBe(0);
  });

  it("answers 422 for a region or type the provider does not offer, or an account that is not the tenant's", async () => {
    const { owner, cluster, account } = await team();
    const other = await team();
    const aws = { provider: 'aws', cloudAccountId: account, region: 'eu-west-1', instanceType: 't3.small', name: 'x' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...aws, region: 'mars-1' }, 'body.region'],
      [{ ...aws, instanceType: 'z9.huge' }, 'body.instanceType'],
      [{ ...aws, cloudAccountId: other.account }, 'body.cloudAccountId'],
      [{ ...aws, provider: 'aliyun' }, 'body.cloudAccountId'],
      [{ ...local('x'), region: 'eu-west-1' }, 'body.region'],
      [{ ...local('x'), instanceType: 'local.large' }, 'body.instanceType'],
    ];
    for (const [body, path] of cases) {
      const res = await add(owner, cluster, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toMatchObject({ type: `${PROBLEM_BASE}unprocessable`, errors: [expect.objectContaining({ path })] });
    }
  });

  it("404s a shared cluster, another tenant's cluster and an unknown one", async () => {
    const { owner } = await team();
    const other = await team();
    for (const cluster of [await sharedCluster(t.owner), other.cluster, '00000000-0000-4000-8000-000000000000']) {
      const res = await add(owner, cluster, local('x'));
      expect(res.status).toBe(404);
    }
    // the positive control: the other tenant can
    expect((await add(other.owner, other.cluster, local('x'))).status).toBe(202);
  });

  it('admits against the host quotas: the free plan has none; vCPUs count', async () => {
    const free = await team('free');
    const refused = await add(free.owner, free.cluster, local('x'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      type: `${PROBLEM_BASE}quota-exceeded`,
      quota: 'dedicatedHosts',
      limit: 0,
      used: 0,
      requested: 1,
    });

    const { owner, cluster, account, tenant } = await team();
    await t.owner.query(`insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'hostVcpus', 5)`, [
      tenant,
    ]);
    const aws = { provider: 'aws', cloudAccountId: account, region: 'eu-west-1' };
    expect((await add(owner, cluster, { ...aws, instanceType: 't3.small', name: 'a' })).status).toBe(202);
    const over = await add(owner, cluster, { ...aws, instanceType: 't3.xlarge', name: 'b' });
    expect(over.status).toBe(403);
    expect(over.body).toMatchObject({ quota: 'hostVcpus', limit: 5, used: 2, requested: 4 });
    expect((await add(owner, cluster, { ...aws, instanceType: 't3.small', name: 'c' })).status).toBe(202);
  });
});

describe('DELETE /tenants/{t}/clusters/{c}/hosts/{h}', () => {
  it('ends a host never created at once; a ready one starts draining and goes to the workers', async () => {
    const { owner, cluster, tenant } = await team();
    const queues = t.app.get<JobQueues>(QUEUES);
    const created = await add(owner, cluster, local('fresh'));
    const params = { tenant: owner.tenant.id, clusterId: cluster, hostId: created.body.id };
    const removed = await t.call<Host>(hostRoutes.remove, { params, token: owner.accessToken });
    expect(removed.status).toBe(202);
    expect(removed.body.state).toBe('terminated');

    const ready = await t.owner.query<{ id: string }>(
      `insert into hosts (tenant_id, cluster_id, provider, region, instance_type, vcpus, memory_mib, name, state, client_token,
         machine_id, private_ip, swarm_role, swarm_node_id)
       values ($1, $2, 'local', 'local', 'local.small', 1, 512, 'ready-1', 'ready', gen_random_uuid()::text, 'm1', '10.213.0.50', 'manager', 'n1')
       returning id`,
      [tenant, cluster],
    );
    const id = ready.rows[0]?.id ?? '';
    const res = await t.call<Host>(hostRoutes.remove, { params: { ...params, hostId: id }, token: owner.accessToken });
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('draining');
    expect(await queues.queue('host').getJob(`host-deprovision-${id}`)).toBeDefined();
    // again: nothing more (the same job)
    expect(
      (await t.call<Host>(hostRoutes.remove, { params: { ...params, hostId: id }, token: owner.accessToken })).body.state,
    ).toBe('draining');
  });
});
