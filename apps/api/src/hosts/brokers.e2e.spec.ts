import {
  agentRoutes,
  auditRoutes,
  type Broker,
  brokerRoutes,
  type CreatedBroker,
  type CreatedHost,
  type Host,
  hostRoutes,
  PROBLEM_BASE,
} from '@wharf/contracts';
import { hashToken } from '@wharf/crypto';
import type { JobQueues } from '@wharf/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { join } from '../../../../tests/support/tenants.js';
import { QUEUES } from '../core/tokens.js';
import { expectProblem } from '../security/fixtures.js';

/**
 * Broker mode through the API: a broker is created with a one-time token and a start command (shown once), registers
 * with it reporting its SSH public key (shown in the list from then on), and never claims a cluster-wide command;
 * `ssh` hosts name a broker of their cluster and are validated before anything is recorded. Roles and tenants as
 * for every host route (plus the role matrix and isolation suites). The broker for real: tests/workloads/broker.e2e.spec.ts.
 */

const PUBLIC_URL = 'http://203.0.113.7:4000';
const NO_ENGINE = { version: 'broker', apiVersion: 'none', os: 'wharf-broker', swarmNodeId: '' };
const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILB4nOAfnUKIFiqGUtrvGF86bAj7aWyreG1hb0OC+Car';
const BROKER_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBwI9JLXzFCxwVxGtHjhIs6Zz0cWjy/SquQcZQ/8y7z wharf-broker';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_PUBLIC_URL: PUBLIC_URL });
});
afterAll(() => t?.close());

async function team() {
  const owner = await signup(t, 'Bea Broker');
  await t.owner.query("update tenants set plan_id = 'team' where id = $1", [owner.tenant.id]);
  const c = await t.owner.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, 'dc', 'dedicated', 'dc.example.test', 80) returning id`,
    [owner.tenant.id],
  );
  return { owner, cluster: c.rows[0]?.id ?? '' };
}

const createBroker = (caller: Account, tenant: string, cluster: string, name = 'dc-1') =>
  t.call<CreatedBroker>(brokerRoutes.create, {
    params: { tenant, clusterId: cluster },
    token: caller.accessToken,
    body: { name },
  });
const listBrokers = (caller: Account, tenant: string, cluster: string) =>
  t.call<{ items: Broker[] }>(brokerRoutes.list, { params: { tenant, clusterId: cluster }, token: caller.accessToken });
const removeBroker = (caller: Account, tenant: string, cluster: string, brokerId: string) =>
  t.call(brokerRoutes.remove, { params: { tenant, clusterId: cluster, brokerId }, token: caller.accessToken });
const register = (joinToken: string, extra: Record<string, unknown> = { broker: { sshPublicKey: BROKER_KEY } }) =>
  t.call<{ agentId: string; clusterId: string; credential: string }>(agentRoutes.register, {
    body: { joinToken, name: 'broker-box', engine: NO_ENGINE, ...extra },
  });
const addHost = (owner: Account, cluster: string, body: Record<string, unknown>) =>
  t.call<CreatedHost>(hostRoutes.create, {
    params: { tenant: owner.tenant.id, clusterId: cluster },
    token: owner.accessToken,
    body,
  });

describe('brokers', () => {
  it('creates a broker with a one-time token and its start command, then shows its SSH key once it registered', async () => {
    const { owner, cluster } = await team();
    const res = await createBroker(owner, owner.tenant.id, cluster);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { broker, joinToken, command } = res.body;
    expect(broker).toMatchObject({ clusterId: cluster, name: 'dc-1', registered: false, sshPublicKey: null, lastSeenAt: null });
    expect(joinToken).toMatch(/^wharfj_[A-Za-z0-9_-]{43}$/);
    expect(command).toContain(`WHARF_JOIN_TOKEN='${joinToken}'`);
    expect(command).toContain('WHARF_AGENT_BROKER=1');
    expect(command).toContain(`'${PUBLIC_URL}/api/v1/agent/wharf-agent.mjs'`);
    const stored = await t.owner.query('select registration_token_hash from brokers where id = $1', [broker.id]);
    expect(stored.rows).toEqual([{ registration_token_hash: hashToken(joinToken) }]);
    expect(JSON.stringify((await listBrokers(owner, owner.tenant.id, cluster)).body)).not.toContain(joinToken);

    // a broker must say its key; without it the token stays unused
    expectProblem(await register(joinToken, {}), 403, 'forbidden');
    const joined = await register(joinToken);
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body.clusterId).toBe(cluster);
    expectProblem(await register(joinToken), 403, 'forbidden');
    const agent = await t.owner.query('select kind, broker_id, host_id from agents where id = $1', [joined.body.agentId]);
    expect(agent.rows).toEqual([{ kind: 'broker', broker_id: broker.id, host_id: null }]);

    // its heartbeat says it is alive, and nothing of the cluster's engine
    const beat = await t.call(agentRoutes.heartbeat, {
      token: joined.body.credential,
      body: { engine: NO_ENGINE, nodes: [], services: [], running: [], version: '0.1.0' },
    });
    expect(beat.status).toBe(200);
    const list = await listBrokers(owner, owner.tenant.id, cluster);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: broker.id, registered: true, sshPublicKey: BROKER_KEY, lastSeenAt: expect.any(String) }),
    ]);
    const engine = await t.owner.query('select last_heartbeat_at from clusters where id = $1', [cluster]);
    expect(engine.rows[0]?.last_heartbeat_at ?? null).toBeNull();

    // a cluster-wide command is never handed to a broker
    await t.owner.query(
      `insert into agent_commands (cluster_id, tenant_id, idempotency_key, kind, payload)
       values ($1, $2, 'k1', 'stack.remove', $3)`,
      [
        cluster,
        owner.tenant.id,
        JSON.stringify({
          kind: 'stack.remove',
          scope: { tenantId: owner.tenant.id, app: 'a', environment: 'e' },
          volumes: false,
        }),
      ],
    );
    const poll = await t.call<{ commands: unknown[] }>(agentRoutes.poll, {
      token: joined.body.credential,
      body: { waitMs: 0 },
    });
    expect(poll.body.commands).toEqual([]);
  });

  it('answers roles and tenants as the host routes do', async () => {
    const { owner, cluster } = await team();
    const viewer = await signup(t, 'Val Viewer');
    await join(t, owner, owner.tenant.id, viewer, 'viewer');
    expectProblem(await createBroker(viewer, owner.tenant.id, cluster), 403, 'forbidden');
    expect((await listBrokers(viewer, owner.tenant.id, cluster)).status).toBe(200);
    const stranger = await team();
    expectProblem(await createBroker(stranger.owner, stranger.owner.tenant.id, cluster), 404, 'not-found');
    expectProblem(await listBrokers(stranger.owner, stranger.owner.tenant.id, cluster), 404, 'not-found');
    // positive control
    expect((await createBroker(owner, owner.tenant.id, cluster)).status).toBe(201);
    for (const name of ['Dc', '$(id)', 'a b', ''])
      expect((await createBroker(owner, owner.tenant.id, cluster, name)).status, name).toBe(400);
  });
});

describe('DELETE …/brokers/{brokerId}', () => {
  const heartbeat = (credential: string) =>
    t.call(agentRoutes.heartbeat, {
      token: credential,
      body: { engine: NO_ENGINE, nodes: [], services: [], running: [], version: '0.1.0' },
    });

  it('waits for the hosts it drives, then removes it: its agent refused, the answer 404 for another tenant, audited', async () => {
    const { owner, cluster } = await team();
    const created = (await createBroker(owner, owner.tenant.id, cluster)).body;
    const joined = await register(created.joinToken);
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect((await heartbeat(joined.body.credential)).status).toBe(200);
    const host = await addHost(owner, cluster, {
      provider: 'ssh',
      name: 'db-1',
      address: '10.0.0.5',
      user: 'deploy',
      hostKey: HOST_KEY,
      brokerId: created.broker.id,
    });
    expect(host.status, JSON.stringify(host.body)).toBe(202);

    // removing the host needs its broker: refused while the host is not terminated
    const busy = expectProblem(await removeBroker(owner, owner.tenant.id, cluster, created.broker.id), 409, 'conflict');
    expect(busy.detail).toContain('db-1');
    await t.owner.query(`update hosts set state = 'terminated', terminated_at = now() where id = $1`, [host.body.id]);

    // another tenant: 404 through its own tenant and through this one, and nothing changes
    const stranger = await team();
    expectProblem(await removeBroker(stranger.owner, stranger.owner.tenant.id, cluster, created.broker.id), 404, 'not-found');
    expectProblem(await removeBroker(stranger.owner, owner.tenant.id, cluster, created.broker.id), 404, 'not-found');
    expect((await heartbeat(joined.body.credential)).status).toBe(200);
    // a viewer of the tenant: 403
    const viewer = await signup(t, 'Vic Viewer');
    await join(t, owner, owner.tenant.id, viewer, 'viewer');
    expectProblem(await removeBroker(viewer, owner.tenant.id, cluster, created.broker.id), 403, 'forbidden');
    expect((await listBrokers(owner, owner.tenant.id, cluster)).body.items.map((b) => b.id)).toEqual([created.broker.id]);

    // positive control: the owner removes it
    const removed = await removeBroker(owner, owner.tenant.id, cluster, created.broker.id);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    expect((await listBrokers(owner, owner.tenant.id, cluster)).body.items).toEqual([]);
    expectProblem(await heartbeat(joined.body.credential), 401, 'unauthenticated');
    const agent = await t.owner.query('select revoked_at from agents where id = $1', [joined.body.agentId]);
    expect(agent.rows[0]?.revoked_at).toBeInstanceOf(Date);
    expectProblem(await removeBroker(owner, owner.tenant.id, cluster, created.broker.id), 404, 'not-found');
    // the host it drove still says which broker that was; a new host cannot name it
    const kept = await t.call<Host>(hostRoutes.get, {
      params: { tenant: owner.tenant.id, clusterId: cluster, hostId: host.body.id },
      token: owner.accessToken,
    });
    expect(kept.body.ssh?.brokerId).toBe(created.broker.id);
    const again = await addHost(owner, cluster, {
      provider: 'ssh',
      name: 'db-2',
      address: '10.0.0.6',
      user: 'deploy',
      hostKey: HOST_KEY,
      brokerId: created.broker.id,
    });
    expect(again.status).toBe(422);

    const audit = await t.call<{ items: { action: string; target: string; outcome: string }[] }>(auditRoutes.list, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      query: { limit: 50 },
    });
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'brokers.delete',
        outcome: 'success',
        target: expect.stringContaining(`broker=${created.broker.id}`),
      }),
    );
  });

  it('kills the one-time token of a broker that never registered', async () => {
    const { owner, cluster } = await team();
    const created = (await createBroker(owner, owner.tenant.id, cluster)).body;
    expect((await removeBroker(owner, owner.tenant.id, cluster, created.broker.id)).status).toBe(204);
    expectProblem(await register(created.joinToken), 403, 'forbidden');
    // positive control: a live broker's token registers
    const fresh = (await createBroker(owner, owner.tenant.id, cluster, 'dc-2')).body;
    expect((await register(fresh.joinToken)).status).toBe(201);
  });
});

describe('POST …/hosts {provider: "ssh"}', () => {
  it('records the host bootstrapping with what its broker needs (202)', async () => {
    const { owner, cluster } = await team();
    const broker = (await createBroker(owner, owner.tenant.id, cluster)).body.broker;
    const res = await addHost(owner, cluster, {
      provider: 'ssh',
      name: 'db-1',
      address: '10.0.0.5',
      user: 'deploy',
      hostKey: `${HOST_KEY} root@db-1`,
      brokerId: broker.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({
      provider: 'ssh',
      state: 'bootstrapping',
      region: 'ssh',
      vcpus: null,
      ssh: {
        address: '10.0.0.5',
        port: 22,
        user: 'deploy',
        hostKey: `${HOST_KEY} root@db-1`,
        dockerSocket: '/var/run/docker.sock',
        brokerId: broker.id,
      },
    });
    expect(res.body).not.toHaveProperty('install');
    const got = await t.call<Host>(hostRoutes.get, {
      params: { tenant: owner.tenant.id, clusterId: cluster, hostId: res.body.id },
      token: owner.accessToken,
    });
    expect(got.body.ssh?.brokerId).toBe(broker.id);
    const queues = t.app.get<JobQueues>(QUEUES);
    expect(await queues.queue('host').getJob(`host-provision-${res.body.id}`)).toBeDefined();
  });

  it('refuses hostile values (400) and a broker of another cluster or tenant (422), recording nothing', async () => {
    const { owner, cluster } = await team();
    const broker = (await createBroker(owner, owner.tenant.id, cluster)).body.broker;
    const good = { provider: 'ssh', name: 'db-1', address: '10.0.0.5', user: 'deploy', hostKey: HOST_KEY, brokerId: broker.id };
    const hostile: Record<string, unknown>[] = [
      { address: '10.0.0.5;reboot' },
      { address: '-oProxyCommand=sh -c id' },
      { address: '$(id)' },
      { user: 'root;id' },
      { user: '-oProxyCommand' },
      { port: 0 },
      { port: '22' },
      { hostKey: `${HOST_KEY}\n${HOST_KEY}` },
      { hostKey: `command="id" ${HOST_KEY}` },
      { hostKey: 'ssh-ed25519 AAAA' },
      { dockerSocket: '/var/run/../../etc/shadow' },
      { dockerSocket: 'docker.sock' },
      { dockerSocket: '/run/docker.sock;id' },
      { name: '$(id)' },
      { brokerId: 'x' },
      { instanceType: 'local.small' },
    ];
    for (const bad of hostile) {
      const res = await addHost(owner, cluster, { ...good, ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body).toMatchObject({ type: `${PROBLEM_BASE}validation` });
    }
    const other = await team();
    const foreign = (await createBroker(other.owner, other.owner.tenant.id, other.cluster)).body.broker;
    const res = await addHost(owner, cluster, { ...good, brokerId: foreign.id });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ errors: [expect.objectContaining({ path: 'body.brokerId', code: 'unknown_broker' })] });
    expect((await t.owner.query('select 1 from hosts where cluster_id = $1', [cluster])).rowCount).toBe(0);
    // positive control
    expect((await addHost(owner, cluster, good)).status).toBe(202);
  });
});
