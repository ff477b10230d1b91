import { randomUUID } from 'node:crypto';
import { Database, HostsRepository, type HostView, type TenantId } from '@wharf/db';
import {
  type CreateMachineRequest,
  type Machine,
  type MachineProvider,
  type MachineState,
  ProviderError,
} from '@wharf/providers';
import { RetryLater } from '@wharf/queue';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.js';
import { hostRequest, registerAgent, tenantWithCluster } from '../../../../tests/support/host-fixtures.js';
import { loadWorkerConfig } from '../config.js';
import { HostProcessor } from './host.processor.js';
import { HostCommandFailed, type HostSwarm } from './host-commands.js';
import { HostDeprovisionProcessor } from './host-deprovision.processor.js';
import { registrationToken } from './host-machines.js';

/*
 * The host workflow's state machine against the real database, with a fake provider and a fake Swarm behind the
 * agent commands: every step persisted, waiting steps handing the job back (RetryLater), resumed runs continuing
 * from the row, failures cleaned up. The real machines, agents and Swarm: tests/workloads/hosts.e2e.spec.ts.
 */

const MASTER_KEY = Buffer.alloc(32, 3).toString('base64');

/** Machines in memory; `create` is idempotent on the client token; each machine runs after `bootPolls` observes. */
class FakeProvider implements MachineProvider {
  readonly kind = 'local' as const;
  readonly machines = new Map<string, Machine & { polls: number; token: string }>();
  bootPolls = 1;
  failCreate: ProviderError | undefined;
  stuck = false;

  async verify() {
    return { account: 'local' };
  }
  async regions() {
    return [{ id: 'local', name: 'local' }];
  }
  async instanceTypes() {
    return [{ id: 'local.small', vcpus: 1, memoryMiB: 512 }];
  }
  async images() {
    return [];
  }
  async create(r: CreateMachineRequest): Promise<Machine> {
    if (this.failCreate) throw this.failCreate;
    const existing = [...this.machines.values()].find((m) => m.extra.clientToken === r.clientToken);
    if (existing) return existing;
    const n = this.machines.size + 11;
    const m = {
      id: `m-${randomUUID().slice(0, 8)}`,
      state: 'pending' as MachineState,
      region: r.region,
      instanceType: r.instanceType,
      privateIp: `10.213.0.${n}`,
      tags: r.tags,
      extra: { clientToken: r.clientToken },
      polls: 0,
      token: r.bootstrap.registrationToken,
    };
    this.machines.set(m.id, m);
    return m;
  }
  async observe(_region: string, id: string): Promise<Machine | undefined> {
    const m = this.machines.get(id);
    if (!m) return undefined;
    m.polls += 1;
    if (!this.stuck && m.polls >= this.bootPolls) m.state = 'running';
    return m;
  }
  async delete(_region: string, id: string): Promise<void> {
    this.machines.delete(id);
  }
  async list(): Promise<Machine[]> {
    return [...this.machines.values()];
  }
}

/** The Swarm as the agents would run it: nodes, their roles and availability, tasks left on a draining node. */
class FakeSwarm implements HostSwarm {
  readonly nodes = new Map<string, { role: 'manager' | 'worker'; availability: string; host: string }>();
  readonly calls: string[] = [];
  tasksLeft = 0;
  refuseLeave = false;

  async swarmInit(host: HostView, addr: string) {
    this.calls.push(`init ${host.name} ${addr}`);
    return this.add(host, 'manager');
  }
  async joinTokens(manager: HostView, forHost: HostView) {
    this.calls.push(`join-tokens ${manager.name} for ${forHost.name}`);
    return { manager: 'SWMTKN-1-aaa-mmm', worker: 'SWMTKN-1-aaa-www', managerAddr: `${manager.privateIp}:2377` };
  }
  async swarmJoin(host: HostView, remoteAddr: string, token: string) {
    this.calls.push(`join ${host.name} ${remoteAddr} ${token}`);
    return this.add(host, token.endsWith('mmm') ? 'manager' : 'worker');
  }
  async nodeUpdate(
    manager: HostView,
    node: HostView,
    purpose: string,
    change: { availability?: string; role?: 'manager' | 'worker' },
  ) {
    // keyed by node and purpose, as the real command is: asking again answers the first one
    const call = `${purpose} ${node.name} via ${manager.name}`;
    if (!this.calls.includes(call)) this.calls.push(call);
    const n = this.nodes.get(node.swarmNodeId ?? '');
    if (!n) throw new HostCommandFailed('no such node');
    if (change.role) n.role = change.role;
    if (change.availability) n.availability = change.availability;
    return { availability: n.availability as 'drain', role: n.role };
  }
  async nodeStatus(_manager: HostView, node: HostView) {
    const n = this.nodes.get(node.swarmNodeId ?? '');
    if (!n) throw new HostCommandFailed('no such node');
    const running = this.tasksLeft;
    if (this.tasksLeft > 0) this.tasksLeft -= 1;
    return { state: 'ready', availability: n.availability as 'drain', role: n.role, runningTasks: running, stoppingTasks: 0 };
  }
  async swarmLeave(host: HostView, force: boolean) {
    this.calls.push(`leave ${host.name}${force ? ' force' : ''}`);
    if (this.refuseLeave) throw new HostCommandFailed('the engine is gone');
    return { left: true };
  }
  async nodeRemove(manager: HostView, node: HostView) {
    this.calls.push(`remove ${node.name} via ${manager.name}`);
    return { removed: this.nodes.delete(node.swarmNodeId ?? '') };
  }
  private add(host: HostView, role: 'manager' | 'worker') {
    const nodeId = `node${host.name}`;
    this.nodes.set(nodeId, { role, availability: 'active', host: host.name });
    return { nodeId };
  }
}

let testDb: TestDatabase;
let owner: pg.Pool;
let db: Database;
const hosts = new HostsRepository();
const provider = new FakeProvider();
const swarm = new FakeSwarm();
const log = pino({ level: 'silent' });
const config = loadWorkerConfig({
  DATABASE_URL: 'postgres://unused',
  REDIS_URL: 'redis://unused',
  MASTER_KEY,
  HOSTS_POLL_MS: '100',
  HOSTS_BOOT_TIMEOUT_MS: '60000',
  HOSTS_BOOTSTRAP_TIMEOUT_MS: '60000',
  HOSTS_DRAIN_TIMEOUT_MS: '60000',
});
const machines = { providerOf: async () => provider };
let provision: HostProcessor;
let deprovision: HostDeprovisionProcessor;

async function requestHost(tenant: TenantId, cluster: string, name: string): Promise<HostView> {
  const row = await db.withTenant(tenant, null, (s) => hosts.create(s, hostRequest(cluster, name)));
  if (!row) throw new Error('host not created');
  return row;
}

const read = async (tenant: TenantId, id: string) => {
  const h = await db.withTenant(tenant, null, (s) => hosts.find(s, id));
  if (!h) throw new Error('host gone');
  return h;
};

/** Runs a job until it ends, the way BullMQ would: a RetryLater puts it back (here: at once). */
async function untilDone(run: () => Promise<void>, max = 50): Promise<number> {
  for (let i = 0; i < max; i++) {
    try {
      await run();
      return i;
    } catch (err) {
      if (!(err instanceof RetryLater)) throw err;
    }
  }
  throw new Error('the job never ended');
}

/** What the API does when the host's agent registers with the token the machine was given. */
async function agentRegisters(tenant: TenantId, host: HostView): Promise<void> {
  const machine = provider.machines.get(host.machineId ?? '');
  if (!machine) throw new Error('no machine');
  await registerAgent(db, host, machine.token);
  expect(tenant).toBeTruthy();
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  owner = new pg.Pool({ connectionString: testDb.ownerUrl, max: 2 });
  db = new Database({ connectionString: testDb.appUrl, maxConnections: 3 });
  provision = new HostProcessor(db, machines, swarm, config, log);
  deprovision = new HostDeprovisionProcessor(db, machines, swarm, config, log);
});

afterAll(async () => {
  await db?.close();
  await owner?.end();
  await testDb?.drop();
});

describe('host.provision and host.deprovision', () => {
  it('three hosts: created, booted, registered, one Swarm of 3 managers; one removed: drained, left, terminated', async () => {
    const { tenant, cluster } = await tenantWithCluster(owner);
    const [a, b, c] = [
      await requestHost(tenant, cluster, 'a'),
      await requestHost(tenant, cluster, 'b'),
      await requestHost(tenant, cluster, 'c'),
    ] as [HostView, HostView, HostView];
    for (const h of [a, b, c]) {
      // creating → booting → bootstrapping, then waits for the agent (the job goes back to the queue)
      await expect(provision.provision({ tenantId: tenant, hostId: h.id })).rejects.toBeInstanceOf(RetryLater);
      const now = await read(tenant, h.id);
      expect(now).toMatchObject({ state: 'bootstrapping', privateIp: expect.stringMatching(/^10\.213\.0\./) });
      // the machine got the token the worker derives again on a retry; only its hash is stored
      expect(provider.machines.get(now.machineId ?? '')?.token).toBe(registrationToken(MASTER_KEY, h));
    }
    // a retried create after a lost answer is the same machine (client token)
    expect(provider.machines.size).toBe(3);

    // b registers first, but a (the oldest) inits the Swarm: b waits for it
    await agentRegisters(tenant, await read(tenant, b.id));
    await expect(provision.provision({ tenantId: tenant, hostId: b.id })).rejects.toBeInstanceOf(RetryLater);
    expect(await read(tenant, b.id)).toMatchObject({ state: 'joining', swarmNodeId: null });

    await agentRegisters(tenant, await read(tenant, a.id));
    await untilDone(() => provision.provision({ tenantId: tenant, hostId: a.id }));
    expect(await read(tenant, a.id)).toMatchObject({ state: 'ready', swarmRole: 'manager', swarmNodeId: 'nodea' });
    await untilDone(() => provision.provision({ tenantId: tenant, hostId: b.id }));
    expect(await read(tenant, b.id)).toMatchObject({ state: 'ready', swarmRole: 'worker', swarmNodeId: 'nodeb' });

    await agentRegisters(tenant, await read(tenant, c.id));
    await untilDone(() => provision.provision({ tenantId: tenant, hostId: c.id }));
    // three ready hosts: b and c promoted, three managers
    for (const h of [a, b, c]) expect(await read(tenant, h.id)).toMatchObject({ state: 'ready', swarmRole: 'manager' });
    expect([...swarm.nodes.values()].map((n) => n.role)).toEqual(['manager', 'manager', 'manager']);
    expect(swarm.calls).toEqual([
      'init a 10.213.0.11',
      'join-tokens a for b',
      'join b 10.213.0.11:2377 SWMTKN-1-aaa-www',
      'join-tokens a for c',
      'join c 10.213.0.11:2377 SWMTKN-1-aaa-www',
      'promote b via a',
      'promote c via a',
    ]);
    // a finished job run again changes nothing
    await provision.provision({ tenantId: tenant, hostId: a.id });
    expect(swarm.calls).toHaveLength(7);

    // remove b: its tasks move off first (the job waits), then it is demoted, leaves, and its node is removed
    swarm.calls.length = 0;
    swarm.tasksLeft = 2;
    const polls = await untilDone(() => deprovision.deprovision({ tenantId: tenant, hostId: b.id }));
    expect(polls).toBeGreaterThanOrEqual(2);
    const gone = await read(tenant, b.id);
    expect(gone).toMatchObject({ state: 'terminated' });
    expect(gone.terminatedAt).not.toBeNull();
    expect(provider.machines.has(gone.machineId ?? '')).toBe(false);
    expect(swarm.calls).toEqual(['drain b via a', 'demote b via a', 'leave b', 'remove b via a']);
    expect([...swarm.nodes.keys()].sort()).toEqual(['nodea', 'nodec']);
    swarm.calls.length = 0;
    const revoked = await owner.query('select revoked_at from agents where host_id = $1', [b.id]);
    expect(revoked.rows[0]?.revoked_at).not.toBeNull();

    // the rest, the last one leaving with force
    await untilDone(() => deprovision.deprovision({ tenantId: tenant, hostId: c.id }));
    await untilDone(() => deprovision.deprovision({ tenantId: tenant, hostId: a.id }));
    expect(swarm.calls).toEqual([
      'drain c via a',
      'demote c via a',
      'leave c',
      'remove c via a',
      'drain a via a',
      'leave a force',
    ]);
    for (const h of [a, c]) expect(await read(tenant, h.id)).toMatchObject({ state: 'terminated' });
    expect(provider.machines.size).toBe(0);
    // terminated hosts no longer count against the quotas
    const usage = await db.withTenant(tenant, null, (s) => hosts.usage(s));
    expect(usage).toEqual({ hosts: 0, vcpus: 0 });
  });

  it('a refusal no retry mends fails the host with the reason; a retryable one is left to the job', async () => {
    const { tenant, cluster } = await tenantWithCluster(owner);
    const h = await requestHost(tenant, cluster, 'nocap');
    provider.failCreate = new ProviderError('capacity', 'no capacity for local.small now');
    await expect(provision.provision({ tenantId: tenant, hostId: h.id })).rejects.toBeInstanceOf(ProviderError);
    expect(await read(tenant, h.id)).toMatchObject({ state: 'creating' });
    provider.failCreate = new ProviderError('invalid', 'unknown instance type local.small');
    await provision.provision({ tenantId: tenant, hostId: h.id });
    expect(await read(tenant, h.id)).toMatchObject({ state: 'failed', failure: 'unknown instance type local.small' });
    provider.failCreate = undefined;
  });

  it('a machine that never runs is deleted and the host fails; a removed host that was never created ends at once', async () => {
    const { tenant, cluster } = await tenantWithCluster(owner);
    const h = await requestHost(tenant, cluster, 'stuck');
    provider.stuck = true;
    await expect(provision.provision({ tenantId: tenant, hostId: h.id })).rejects.toBeInstanceOf(RetryLater);
    const booting = await read(tenant, h.id);
    expect(booting.state).toBe('booting');
    // the deadline counts from when the host entered the state (persisted): a resumed job keeps it
    await owner.query(`update hosts set state_changed_at = now() - interval '2 minutes' where id = $1`, [h.id]);
    await provision.provision({ tenantId: tenant, hostId: h.id });
    expect(await read(tenant, h.id)).toMatchObject({ state: 'failed', failure: expect.stringMatching(/not running after 60 s/) });
    expect(provider.machines.has(booting.machineId ?? '')).toBe(false);
    provider.stuck = false;
    // the failed host is then removed (nothing left to delete)
    await untilDone(() => deprovision.deprovision({ tenantId: tenant, hostId: h.id }));
    expect(await read(tenant, h.id)).toMatchObject({ state: 'terminated' });

    const never = await requestHost(tenant, cluster, 'never');
    await untilDone(() => deprovision.deprovision({ tenantId: tenant, hostId: never.id }));
    expect(await read(tenant, never.id)).toMatchObject({ state: 'terminated', machineId: null });
    // its provision job, run afterwards, does nothing
    await provision.provision({ tenantId: tenant, hostId: never.id });
    expect(await read(tenant, never.id)).toMatchObject({ state: 'terminated', machineId: null });
  });

  it('a host whose agent never registers fails at the deadline and its machine is deleted', async () => {
    const { tenant, cluster } = await tenantWithCluster(owner);
    const h = await requestHost(tenant, cluster, 'silent');
    await expect(provision.provision({ tenantId: tenant, hostId: h.id })).rejects.toBeInstanceOf(RetryLater);
    const waiting = await read(tenant, h.id);
    expect(waiting.state).toBe('bootstrapping');
    await owner.query(`update hosts set state_changed_at = now() - interval '2 minutes' where id = $1`, [h.id]);
    await provision.provision({ tenantId: tenant, hostId: h.id });
    expect(await read(tenant, h.id)).toMatchObject({ state: 'failed', failure: expect.stringMatching(/agent did not register/) });
    expect(provider.machines.has(waiting.machineId ?? '')).toBe(false);
    // the registration token no longer works
    const stored = await owner.query('select registration_token_hash from hosts where id = $1', [h.id]);
    expect(stored.rows[0]?.registration_token_hash).toBeNull();
  });
});
