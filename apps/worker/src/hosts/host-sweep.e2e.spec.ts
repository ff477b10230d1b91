import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { SweptRegion } from '@wharf/contracts';
import { Database, type HostState, HostsRepository, type TenantId } from '@wharf/db';
import {
  LOCAL_INSTANCE_TYPE,
  LOCAL_REGION,
  localProvider,
  type Machine,
  type MachineProvider,
  ProviderError,
} from '@wharf/providers';
import Docker from 'dockerode';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.js';
import { insertTenantWithCluster } from '../../../../tests/support/host-rows.js';
import { runNetwork } from '../../../../tests/support/local-network.js';
import { HostSweepProcessor } from './host-sweep.processor.js';

/*
 * The leak sweep for real: machines of the local provider (network namespaces with their own dockerd, on a bridge
 * and /24 of this run) carrying Wharf's tags, hosts in the real Postgres, the sweep run through its processor.
 * A cloud account whose adapter cannot list its regions is reported and left alone. Everything the run made is
 * removed in afterAll.
 */

const { bridge, subnet, stateDir } = runNetwork('host-sweep', 'ws');
const provider = localProvider({ stateDir, bridge, subnet });

/** A cloud account's adapter refusing the account's credentials: nothing of it can be swept. */
const refusing = {
  kind: 'aws',
  regions: async () => {
    throw new ProviderError('auth', 'AWS refused the access key (AuthFailure).');
  },
} as Pick<MachineProvider, 'kind' | 'regions'> as MachineProvider;

let testDb: TestDatabase;
let owner: pg.Pool;
let db: Database;
const hosts = new HostsRepository();
const log = pino({ level: 'silent' });

beforeAll(async () => {
  testDb = await createTestDatabase();
  owner = new pg.Pool({ connectionString: testDb.ownerUrl, max: 2 });
  db = new Database({ connectionString: testDb.appUrl, maxConnections: 3 });
});

afterAll(async () => {
  try {
    await provider.destroyAll();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
    await db?.close();
    await owner?.end();
    await testDb?.drop();
  }
}, 120_000);

/** A local host of the cluster, moved straight to `state` (the workflow is not under test here). */
async function hostIn(tenant: TenantId, cluster: string, name: string, state: HostState): Promise<string> {
  const row = await db.withTenant(tenant, null, (s) =>
    hosts.create(s, {
      clusterId: cluster,
      cloudAccountId: null,
      provider: 'local',
      region: LOCAL_REGION,
      zone: null,
      instanceType: LOCAL_INSTANCE_TYPE,
      vcpus: 1,
      memoryMib: 512,
      name,
      clientToken: randomUUID(),
    }),
  );
  if (!row) throw new Error('host not created');
  await owner.query(`update hosts set state = $2 where id = $1`, [row.id, state]);
  return row.id;
}

/** A machine carrying Wharf's tags, made with the provider directly (no agent: none is needed to be swept). */
async function machineOf(tenant: TenantId, cluster: string, hostId: string): Promise<Machine> {
  const machine = await provider.create({
    region: LOCAL_REGION,
    instanceType: LOCAL_INSTANCE_TYPE,
    clientToken: randomUUID(),
    tags: { tenant, cluster, host: hostId },
    name: `sweep-${hostId.slice(0, 8)}`,
    bootstrap: { apiUrl: 'http://127.0.0.1:9', registrationToken: 'unused', agentPackageUrl: '' },
  });
  await owner.query(`update hosts set machine_id = $2 where id = $1`, [hostId, machine.id]);
  return machine;
}

describe('host.sweep on the local provider', () => {
  it('terminates the machines of an unknown and of a terminated host, keeps the ready host’s, and records it', async () => {
    const rows = await insertTenantWithCluster(owner);
    const [tenant, cluster] = [rows.tenant as TenantId, rows.cluster];
    const ready = await hostIn(tenant, cluster, 'ready', 'ready');
    const ended = await hostIn(tenant, cluster, 'ended', 'terminated');
    const unknown = randomUUID();
    const [kept, ofEnded, ofUnknown] = [
      await machineOf(tenant, cluster, ready),
      await machineOf(tenant, cluster, ended),
      await machineOf(tenant, cluster, unknown),
    ] as [Machine, Machine, Machine];
    const account = await owner.query<{ id: string }>(
      `insert into cloud_accounts (tenant_id, provider, name, auth, access_key_id, secret_sealed, identity_account, verified_at)
       values ($1, 'aws', 'prod', 'keys', 'AKIAIOSFODNN7EXAMPLE', 'v1.x.x.x', '210987654321', now()) returning id`,
      [tenant],
    );
    const accountId = account.rows[0]?.id ?? '';
    const asked: string[] = [];
    const sweeper = new HostSweepProcessor(
      db,
      {
        localProvider: () => provider,
        accountProvider: async (scope, id) => {
          // the account is opened under its own tenant's scope
          asked.push(`${scope.tenantId}/${id}`);
          return refusing;
        },
      },
      log,
    );

    const row = await sweeper.sweep();

    expect((await provider.list(LOCAL_REGION)).map((m) => m.id)).toEqual([kept.id]);
    expect(await provider.observe(LOCAL_REGION, ofEnded.id)).toBeUndefined();
    expect(await provider.observe(LOCAL_REGION, ofUnknown.id)).toBeUndefined();
    expect((await provider.observe(LOCAL_REGION, kept.id))?.state).toBe('running');
    const engine = new Docker({ socketPath: kept.extra.dockerSocket as string });
    expect(String(await engine.ping())).toBe('OK');
    expect(asked).toEqual([`${tenant}/${accountId}`]);

    // the report, as persisted
    const stored = await owner.query('select * from host_sweeps where id = $1', [row.id]);
    const report = stored.rows[0] as { regions: SweptRegion[]; machines_seen: number; machines_deleted: number; errors: number };
    expect(report).toMatchObject({ machines_seen: 3, machines_deleted: 2, errors: 1, regions_swept: 2 });
    const local = report.regions.find((r) => r.provider === 'local');
    expect(local).toEqual({
      provider: 'local',
      cloudAccountId: null,
      tenantId: null,
      region: LOCAL_REGION,
      seen: 3,
      deleted: expect.arrayContaining([
        { machineId: ofEnded.id, hostId: ended, reason: 'host-terminated' },
        { machineId: ofUnknown.id, hostId: unknown, reason: 'unknown-host' },
      ]),
      errors: [],
    });
    expect(local?.deleted).toHaveLength(2);
    expect(report.regions.find((r) => r.provider === 'aws')).toEqual({
      provider: 'aws',
      cloudAccountId: accountId,
      tenantId: tenant,
      region: '*',
      seen: 0,
      deleted: [],
      errors: ['regions: AWS refused the access key (AuthFailure).'],
    });

    // a second sweep finds nothing more to do
    const again = await sweeper.sweep();
    expect(again).toMatchObject({ machinesSeen: 1, machinesDeleted: 0 });
    expect((await provider.list(LOCAL_REGION)).map((m) => m.id)).toEqual([kept.id]);
  });
});
