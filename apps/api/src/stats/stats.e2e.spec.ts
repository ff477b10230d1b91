import { randomUUID } from 'node:crypto';
import { type AppStats, agentRoutes, appRoutes, type RouteOutput, type ServiceUsage, statsRoutes } from '@wharf/contracts';
import { type Database, ServiceStatsRepository, type TenantId } from '@wharf/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { addMember } from '../../../../tests/support/tenants.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DATABASE } from '../core/tokens.js';
import { expectProblem, sharedCluster, TEST_IMAGE } from '../security/fixtures.js';

/*
 * Service stats through the API, without an engine: agents post reports as the sampler does, members read the
 * series. An agent records only for the apps of its own cluster; a tenant reads only its own apps' stats.
 */

type CreatedApp = RouteOutput<typeof appRoutes.create>;
const ENGINE = { version: '27.5.1', apiVersion: '1.41', os: 'Debian GNU/Linux 12', swarmNodeId: 'node-1' };
const MIB = 1_048_576;

let t: TestApp;
let ownerA: Account;
let ownerB: Account;
let shopA: CreatedApp['app'];
let shopB: CreatedApp['app'];
/** The credential of an agent of the shared cluster (where both apps run). */
let sharedAgent: string;
/** The credential of an agent of another tenant's own cluster. */
let otherAgent: string;

async function register(clusterId: string): Promise<string> {
  const joinToken = await t.app.get(ClustersService).issueJoinToken(clusterId);
  const res = await t.call(agentRoutes.register, {
    body: { joinToken, name: `agent-${randomUUID().slice(0, 6)}`, engine: ENGINE },
  });
  expect(res.status).toBe(201);
  return res.body.credential;
}

async function createApp(who: Account, name: string): Promise<CreatedApp['app']> {
  const res = await t.call<CreatedApp>(appRoutes.create, {
    params: { tenant: who.tenant.id },
    token: who.accessToken,
    body: { name, image: TEST_IMAGE, port: 8080, replicas: 2, cpuMillis: 100, memoryMiB: 64, deploy: false },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.app;
}

const usage = (app: CreatedApp['app'], tenantId: string, extra: Partial<ServiceUsage> = {}): ServiceUsage => ({
  scope: { tenantId, app: app.name, environment: 'production' },
  service: app.service,
  tasks: 2,
  cpuPercent: 12.5,
  memoryBytes: 40 * MIB,
  memoryLimitBytes: 128 * MIB,
  ...extra,
});

const report = (credential: string | undefined, body: unknown) =>
  t.call(agentRoutes.stats, { ...(credential ? { token: credential } : {}), body });

const readStats = (who: Account, tenant: string, app: string, query: Record<string, string> = {}) =>
  t.call<AppStats>(statsRoutes.app, { params: { tenant, app }, token: who.accessToken, query });

const rowsOf = async (appId: string) =>
  Number((await t.owner.query('select count(*) from service_stats where app_id = $1', [appId])).rows[0]?.count);

beforeAll(async () => {
  t = await startTestApp();
  const shared = await sharedCluster(t.owner);
  ownerA = await signup(t, 'Ada Stats');
  ownerB = await signup(t, 'Bob Stats');
  const ownerC = await signup(t, 'Cyd Stats');
  shopA = await createApp(ownerA, 'shop');
  shopB = await createApp(ownerB, 'shop');
  sharedAgent = await register(shared);
  const own = await t.app
    .get(ClustersService)
    .create({ name: `own-${randomUUID().slice(0, 8)}`, domain: 'own.example.test', proxyPort: 443, tenantId: ownerC.tenant.id });
  otherAgent = await register(own.id);
});
afterAll(() => t?.close());

describe('an agent’s report', () => {
  it('is recorded for the apps of its cluster and read back by the tenant’s members as a series per service', async () => {
    const res = await report(sharedAgent, {
      node: 'node-1',
      services: [
        usage(shopA, ownerA.tenant.id),
        // unknown to Wharf: a tenant, an app and an environment that do not exist
        usage(shopA, randomUUID()),
        {
          ...usage(shopA, ownerA.tenant.id),
          service: 'web',
          scope: { tenantId: ownerA.tenant.id, app: 'nope', environment: 'production' },
        },
        { ...usage(shopA, ownerA.tenant.id), scope: { tenantId: ownerA.tenant.id, app: shopA.name, environment: 'staging' } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ recorded: 1 });

    const read = await readStats(ownerA, ownerA.tenant.slug, shopA.name);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.services).toEqual([
      {
        environment: 'production',
        service: shopA.service,
        points: [{ at: expect.any(String), cpuPercent: 12.5, memoryBytes: 40 * MIB, memoryLimitBytes: 128 * MIB, tasks: 2 }],
      },
    ]);
    expect(Date.parse(read.body.until) - Date.parse(read.body.since)).toBeCloseTo(3_600_000, -4);
    expect(read.body.stepSeconds).toBeGreaterThan(29);

    // a viewer of the tenant reads them too, by the app's id
    const viewer = await addMember(t, ownerA, ownerA.tenant.id, 'viewer');
    const byViewer = await readStats(viewer, ownerA.tenant.id, shopA.id, { environment: 'production' });
    expect(byViewer.status).toBe(200);
    expect(byViewer.body.services).toHaveLength(1);
  });

  it('sums the engines of a service (one report per host) within a step, and averages each engine’s reports', async () => {
    const fresh = await createApp(ownerA, `multi-${randomUUID().slice(0, 6)}`);
    const mine = (cpu: number, memory: number) =>
      usage(fresh, ownerA.tenant.id, { tasks: 1, cpuPercent: cpu, memoryBytes: memory });
    for (const body of [
      { node: 'node-1', services: [mine(10, 10 * MIB)] },
      { node: 'node-1', services: [mine(30, 30 * MIB)] },
      { node: 'node-2', services: [mine(5, 100 * MIB)] },
    ])
      expect((await report(sharedAgent, body)).body).toEqual({ recorded: 1 });
    // the three reports, moved to one moment: in one step of the series
    const moved = await t.owner.query<{ at: Date }>(
      `update service_stats set at = date_trunc('second', now()) - interval '1 minute' where app_id = $1 returning at`,
      [fresh.id],
    );
    const at = moved.rows[0]?.at;
    if (!at) throw new Error('no samples recorded');
    const read = await readStats(ownerA, ownerA.tenant.id, fresh.name, { since: new Date(at.getTime() - 10_000).toISOString() });
    expect(read.status).toBe(200);
    expect(read.body.services).toEqual([
      {
        environment: 'production',
        service: fresh.service,
        // node-1: the average of its two reports (20 %, 20 MiB); node-2: 5 %, 100 MiB
        points: [{ at: at.toISOString(), cpuPercent: 25, memoryBytes: 120 * MIB, memoryLimitBytes: 256 * MIB, tasks: 2 }],
      },
    ]);
  });

  it('from an agent of another cluster records nothing, even naming an app that exists', async () => {
    const before = await rowsOf(shopA.id);
    const res = await report(otherAgent, { node: 'node-9', services: [usage(shopA, ownerA.tenant.id, { cpuPercent: 99 })] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ recorded: 0 });
    expect(await rowsOf(shopA.id)).toBe(before);
    const read = await readStats(ownerA, ownerA.tenant.id, shopA.id);
    expect(read.body.services[0]?.points.every((p) => p.cpuPercent !== 99)).toBe(true);
  });

  it('needs an agent credential and a well-formed, bounded body', async () => {
    expectProblem(await report(undefined, { node: 'n', services: [] }), 401, 'unauthenticated');
    expectProblem(await report(ownerA.accessToken, { node: 'n', services: [] }), 401, 'unauthenticated');
    const bad = [
      { node: '', services: [] },
      { node: 'n', services: [usage(shopA, ownerA.tenant.id, { cpuPercent: -1 })] },
      { node: 'n', services: [usage(shopA, ownerA.tenant.id, { memoryBytes: 1.5 })] },
      { node: 'n', services: [{ ...usage(shopA, ownerA.tenant.id), extra: true }] },
      { node: 'n', services: Array.from({ length: 1001 }, () => usage(shopA, ownerA.tenant.id)) },
    ];
    const before = await rowsOf(shopA.id);
    for (const body of bad) expectProblem(await report(sharedAgent, body), 400, 'validation');
    expect(await rowsOf(shopA.id)).toBe(before);
  });
});

describe('reading an app’s stats', () => {
  it('is answered like a missing app to another tenant, by id or slug, through either tenant (positive control: the owner)', async () => {
    expect((await report(sharedAgent, { node: 'node-1', services: [usage(shopB, ownerB.tenant.id)] })).body).toEqual({
      recorded: 1,
    });
    // the owner of B reads B's app (the positive control), and A's own app of the same name is A's
    const own = await readStats(ownerB, ownerB.tenant.id, shopB.id);
    expect(own.status).toBe(200);
    expect(own.body.services[0]?.points).toHaveLength(1);

    expectProblem(await readStats(ownerB, ownerA.tenant.id, shopA.id), 404, 'not-found');
    expectProblem(await readStats(ownerB, ownerA.tenant.slug, shopA.name), 404, 'not-found');
    // B's own tenant with A's app id: no app of B's has it
    expectProblem(await readStats(ownerB, ownerB.tenant.id, shopA.id), 404, 'not-found');
    expectProblem(await readStats(ownerA, ownerA.tenant.id, randomUUID()), 404, 'not-found');
  });

  it('is walled by row-level security too: a query without a tenant filter sees only the scope’s tenant', async () => {
    const db = t.app.get<symbol, Database>(DATABASE);
    const tenantsSeenBy = (tenant: string) =>
      db.withTenant(tenant as TenantId, null, async (s) =>
        (await s.trx.selectFrom('serviceStats').select('tenantId').execute()).map((r) => r.tenantId),
      );
    const byB = await tenantsSeenBy(ownerB.tenant.id);
    const byA = await tenantsSeenBy(ownerA.tenant.id);
    expect(byB.length).toBeGreaterThan(0);
    expect(new Set(byB)).toEqual(new Set([ownerB.tenant.id]));
    // positive control: A's scope sees A's rows
    expect(new Set(byA)).toEqual(new Set([ownerA.tenant.id]));
  });

  it('refuses a bad query', async () => {
    expectProblem(await readStats(ownerA, ownerA.tenant.id, shopA.id, { since: 'yesterday' }), 400, 'validation');
    expectProblem(await readStats(ownerA, ownerA.tenant.id, shopA.id, { environment: 'Bad Env' }), 400, 'validation');
  });

  it('shows nothing older than the retention, and the writer’s retention deletes it', async () => {
    await t.owner.query(
      `insert into service_stats (tenant_id, app_id, environment, service, node, at, cpu_percent, memory_bytes, memory_limit_bytes, tasks)
       values ($1, $2, 'production', $3, 'node-1', now() - interval '25 hours', 77, 1, 1, 1)`,
      [ownerA.tenant.id, shopA.id, shopA.service],
    );
    const read = await readStats(ownerA, ownerA.tenant.id, shopA.id, {
      since: new Date(Date.now() - 48 * 3_600_000).toISOString(),
    });
    expect(read.status).toBe(200);
    expect(read.body.services.flatMap((s) => s.points).some((p) => p.cpuPercent === 77)).toBe(false);

    const db = t.app.get<symbol, Database>(DATABASE);
    const deleted = await db.withPlatform((p) =>
      new ServiceStatsRepository().prune(p, ownerA.tenant.id as TenantId, [shopA.id], new Date(Date.now() - 24 * 3_600_000)),
    );
    expect(deleted).toBe(1);
    // the recent samples stay
    expect(await rowsOf(shopA.id)).toBeGreaterThan(0);
  });
});
