import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.js';
import { Database, type TenantScope } from '../database.js';
import type { TenantId } from '../schema.js';
import { HOST_TRANSITIONS, HostsRepository, IllegalHostTransitionError, type NewHost } from './hosts.repository.js';

/** The host state machine's guard (a move only from the states the caller expects) and the tenant walls around hosts. */

let testDb: TestDatabase;
let owner: pg.Pool;
let db: Database;
const hosts = new HostsRepository();

interface Tenant {
  id: TenantId;
  cluster: string;
  account: string;
}

async function createTenant(tag: string): Promise<Tenant> {
  const id = randomUUID() as TenantId;
  await owner.query(`insert into tenants (id, slug, name, plan_id) values ($1, $2, $3, 'free')`, [
    id,
    `t-${tag}-${id.slice(0, 8)}`,
    tag,
  ]);
  const account = randomUUID();
  await owner.query(
    `insert into cloud_accounts (tenant_id, id, provider, name, auth, access_key_id, secret_sealed, identity_account, verified_at)
     values ($1, $2, 'aws', 'prod', 'keys', 'AKIAIOSFODNN7EXAMPLE', 'e1.sealed', '123456789012', now())`,
    [id, account],
  );
  const cluster = await owner.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, $2, 'dedicated', 'own.example.test', 443)
     returning id`,
    [id, `own-${tag}`],
  );
  return { id, cluster: cluster.rows[0]?.id ?? '', account };
}

function newHost(t: Tenant, name: string, over: Partial<NewHost> = {}): NewHost {
  return {
    clusterId: t.cluster,
    cloudAccountId: t.account,
    provider: 'aws',
    region: 'eu-west-1',
    zone: null,
    instanceType: 't3.small',
    vcpus: 2,
    memoryMib: 2048,
    name,
    clientToken: randomUUID(),
    registrationTokenHash: `hash-${randomUUID()}`,
    registrationExpiresAt: new Date(Date.now() + 3_600_000),
    ...over,
  };
}

const as = <T>(t: Tenant, fn: (s: TenantScope) => Promise<T>) => db.withTenant(t.id, null, fn);

async function createHost(t: Tenant, name: string, over: Partial<NewHost> = {}) {
  const host = await as(t, (s) => hosts.create(s, newHost(t, name, over)));
  if (!host) throw new Error(`host ${name} not created`);
  return host;
}

const stateOf = async (id: string) =>
  (await owner.query<{ state: string; failure: string | null }>('select state, failure from hosts where id = $1', [id])).rows[0];

beforeAll(async () => {
  testDb = await createTestDatabase();
  owner = new pg.Pool({ connectionString: testDb.ownerUrl, max: 2 });
  db = new Database({ connectionString: testDb.appUrl, maxConnections: 3 });
});

afterAll(async () => {
  await db?.close();
  await owner?.end();
  await testDb?.drop();
});

describe('HostsRepository', () => {
  it('creates a requested host (names unique per cluster) whose reads never carry the token hash', async () => {
    const t = await createTenant('create');
    const host = await createHost(t, 'web-1');
    expect(host).toMatchObject({ tenantId: t.id, clusterId: t.cluster, state: 'requested', name: 'web-1', failure: null });
    expect(host).not.toHaveProperty('registrationTokenHash');
    expect(await as(t, (s) => hosts.find(s, host.id))).not.toHaveProperty('registrationTokenHash');
    expect(await as(t, (s) => hosts.create(s, newHost(t, 'web-1')))).toBeUndefined();
    // a local host needs no cloud account; an aws one does
    expect(await createHost(t, 'local-1', { provider: 'local', cloudAccountId: null, region: 'local' })).toMatchObject({
      provider: 'local',
    });
    await expect(as(t, (s) => hosts.create(s, newHost(t, 'aws-no-account', { cloudAccountId: null })))).rejects.toThrow(
      /check constraint/,
    );
  });

  it("refuses a host on another tenant's cluster or account, and on a shared cluster", async () => {
    const a = await createTenant('own-a');
    const b = await createTenant('own-b');
    await expect(as(b, (s) => hosts.create(s, newHost(b, 'x', { clusterId: a.cluster })))).rejects.toThrow(/foreign key/);
    await expect(as(b, (s) => hosts.create(s, newHost(b, 'y', { cloudAccountId: a.account })))).rejects.toThrow(/foreign key/);
    const shared = await owner.query<{ id: string }>(
      `insert into clusters (name, kind, domain, proxy_port) values ($1, 'shared', 's.example.test', 443) returning id`,
      [`shared-${randomUUID().slice(0, 8)}`],
    );
    await expect(as(b, (s) => hosts.create(s, newHost(b, 'z', { clusterId: shared.rows[0]?.id ?? '' })))).rejects.toThrow(
      /foreign key/,
    );
    // positive control
    expect(await as(b, (s) => hosts.create(s, newHost(b, 'x')))).toBeDefined();
  });

  it('transition moves a host only from the expected states, recording the patch and the milestones', async () => {
    const t = await createTenant('guard');
    const host = await createHost(t, 'web-1');
    const creating = await as(t, (s) => hosts.transition(s, host.id, ['requested'], 'creating'));
    expect(creating?.state).toBe('creating');
    // a repeated step (a retried job) finds the host moved already: refused, nothing changes
    expect(await as(t, (s) => hosts.transition(s, host.id, ['requested'], 'creating'))).toBeUndefined();
    expect(await as(t, (s) => hosts.transition(s, host.id, ['booting'], 'bootstrapping'))).toBeUndefined();
    expect((await stateOf(host.id))?.state).toBe('creating');

    const booting = await as(t, (s) =>
      hosts.transition(s, host.id, ['creating'], 'booting', { machineId: 'i-0123', privateIp: '10.0.0.5', zone: 'eu-west-1a' }),
    );
    expect(booting).toMatchObject({ state: 'booting', machineId: 'i-0123', privateIp: '10.0.0.5', zone: 'eu-west-1a' });
    expect(booting?.stateChangedAt.getTime()).toBeGreaterThanOrEqual(creating?.stateChangedAt.getTime() ?? 0);
    await as(t, (s) => hosts.transition(s, host.id, ['booting'], 'bootstrapping'));
    await as(t, (s) => hosts.transition(s, host.id, ['bootstrapping'], 'joining'));
    expect((await as(t, (s) => hosts.find(s, host.id)))?.readyAt).toBeNull();
    const ready = await as(t, (s) =>
      hosts.transition(s, host.id, ['joining'], 'ready', { swarmRole: 'manager', swarmNodeId: 'n1' }),
    );
    expect(ready).toMatchObject({ state: 'ready', swarmRole: 'manager', swarmNodeId: 'n1', readyAt: expect.any(Date) });

    for (const [from, to] of [
      ['ready', 'draining'],
      ['draining', 'leaving'],
      ['leaving', 'terminating'],
      ['terminating', 'terminated'],
    ] as const) {
      expect((await as(t, (s) => hosts.transition(s, host.id, [from], to)))?.state).toBe(to);
    }
    expect((await as(t, (s) => hosts.find(s, host.id)))?.terminatedAt).toEqual(expect.any(Date));
  });

  it('two workers racing on one step: only one moves the host', async () => {
    const t = await createTenant('race');
    const host = await createHost(t, 'web-1');
    const results = await Promise.all([
      as(t, (s) => hosts.transition(s, host.id, ['requested'], 'creating')),
      as(t, (s) => hosts.transition(s, host.id, ['requested'], 'creating')),
    ]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });

  it('a move the state machine does not have throws, whatever state the host is in', async () => {
    const t = await createTenant('illegal');
    const host = await createHost(t, 'web-1');
    const illegal = [
      [['terminated'], 'ready'],
      [['requested'], 'ready'],
      [['ready'], 'creating'],
      [['requested', 'ready'], 'creating'],
    ] as const;
    for (const [from, to] of illegal) {
      await expect(as(t, (s) => hosts.transition(s, host.id, from, to))).rejects.toBeInstanceOf(IllegalHostTransitionError);
    }
    expect((await stateOf(host.id))?.state).toBe('requested');
    expect(HOST_TRANSITIONS.terminated).toEqual([]);
  });

  it('fail records the first reason, from any state but the two ends; a failed host can still be cleaned up', async () => {
    const t = await createTenant('fail');
    const host = await createHost(t, 'web-1');
    await as(t, (s) => hosts.transition(s, host.id, ['requested'], 'creating'));
    const failed = await as(t, (s) => hosts.fail(s, host.id, 'InsufficientInstanceCapacity'));
    expect(failed).toMatchObject({ state: 'failed', failure: 'InsufficientInstanceCapacity' });
    expect(await as(t, (s) => hosts.fail(s, host.id, 'second'))).toBeUndefined();
    expect(await stateOf(host.id)).toEqual({ state: 'failed', failure: 'InsufficientInstanceCapacity' });
    // a failed host admits no agent any more
    expect((await owner.query('select registration_token_hash from hosts where id = $1', [host.id])).rows).toEqual([
      { registration_token_hash: null },
    ]);
    expect((await as(t, (s) => hosts.transition(s, host.id, ['failed'], 'terminating')))?.state).toBe('terminating');
    await as(t, (s) => hosts.transition(s, host.id, ['terminating'], 'terminated'));
    expect(await as(t, (s) => hosts.fail(s, host.id, 'late'))).toBeUndefined();
    // the database holds a failed host to its reason
    const other = await createHost(t, 'web-2');
    await expect(owner.query(`update hosts set state = 'failed' where id = $1`, [other.id])).rejects.toThrow(/check constraint/);
  });

  it("lists a tenant's hosts newest first, page by page, and a cluster's oldest first", async () => {
    const t = await createTenant('list');
    const names = ['h-1', 'h-2', 'h-3'];
    for (const name of names) await createHost(t, name);
    const first = await as(t, (s) => hosts.list(s, { limit: 2 }));
    expect(first.items.map((h) => h.name)).toEqual(['h-3', 'h-2']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await as(t, (s) => hosts.list(s, { limit: 2, cursor: first.nextCursor ?? undefined }));
    expect(second).toMatchObject({ items: [{ name: 'h-1' }], nextCursor: null });
    expect((await as(t, (s) => hosts.listForCluster(s, t.cluster))).map((h) => h.name)).toEqual(names);
  });

  it("another tenant sees none of A's hosts and can move none of them (A can)", async () => {
    const a = await createTenant('rls-a');
    const b = await createTenant('rls-b');
    const host = await createHost(a, 'web-1');
    const bHost = await createHost(b, 'web-1');
    const bScope = (fn: (s: TenantScope) => Promise<unknown>) => as(b, fn);

    expect(await bScope((s) => hosts.find(s, host.id))).toBeUndefined();
    expect(((await bScope((s) => hosts.list(s, { limit: 50 }))) as { items: { id: string }[] }).items.map((h) => h.id)).toEqual([
      bHost.id,
    ]);
    expect(await bScope((s) => hosts.listForCluster(s, a.cluster))).toEqual([]);
    expect(await bScope((s) => hosts.transition(s, host.id, ['requested'], 'creating'))).toBeUndefined();
    expect(await bScope((s) => hosts.fail(s, host.id, 'pwned'))).toBeUndefined();
    // the second wall: without any WHERE on the tenant, B's transaction neither reads nor writes A's host
    const raw = await bScope(async (s) => {
      const seen = await sql<{ id: string }>`select id from hosts`.execute(s.trx);
      const updated = await sql`update hosts set state = 'creating'`.execute(s.trx);
      return { seen: seen.rows.map((r) => r.id), updated: updated.numAffectedRows };
    });
    expect(raw).toEqual({ seen: [bHost.id], updated: 1n });
    expect(await stateOf(host.id)).toEqual({ state: 'requested', failure: null });

    // positive control: A sees and moves its own host
    expect((await as(a, (s) => hosts.find(s, host.id)))?.id).toBe(host.id);
    expect((await as(a, (s) => hosts.transition(s, host.id, ['requested'], 'creating')))?.state).toBe('creating');
  });

  it('a registration token is used once, not after it expired, and not once its host is on its way out', async () => {
    const t = await createTenant('token');
    const consume = (hash: string) => db.withPlatform((p) => hosts.consumeRegistrationToken(p, hash));
    const host = await createHost(t, 'web-1', { registrationTokenHash: 'hash-once' });
    expect(await consume('hash-once')).toEqual({ tenantId: t.id, id: host.id, clusterId: t.cluster });
    expect(await consume('hash-once')).toBeUndefined();

    await createHost(t, 'web-2', { registrationTokenHash: 'hash-expired', registrationExpiresAt: new Date(Date.now() - 1000) });
    expect(await consume('hash-expired')).toBeUndefined();

    const leaving = await createHost(t, 'web-3', { registrationTokenHash: 'hash-leaving' });
    await as(t, (s) => hosts.transition(s, leaving.id, ['requested'], 'terminated'));
    expect(await consume('hash-leaving')).toBeUndefined();
  });
});
