import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/db.js';
import { Database, type Tx } from './database.js';
import type { TenantId, UserId } from './schema.js';

/** Row-level security is the second wall: these queries deliberately leave out `WHERE tenant_id`. */
const TENANT_TABLES = [
  'memberships',
  'invitations',
  'api_tokens',
  'tenant_quota_overrides',
  'audit_events',
  'cloud_accounts',
  'hosts',
] as const;

let testDb: TestDatabase;
let owner: pg.Pool;
let db: Database;
const a = { tenant: randomUUID() as TenantId, user: randomUUID() as UserId };
const b = { tenant: randomUUID() as TenantId, user: randomUUID() as UserId };

async function seed(x: typeof a, tag: string) {
  await owner.query(`insert into users (id, email, name, password_hash) values ($1, $2, $3, 'x')`, [
    x.user,
    `${tag}@example.test`,
    tag,
  ]);
  await owner.query(`insert into tenants (id, slug, name, plan_id) values ($1, $2, $3, 'free')`, [
    x.tenant,
    `tenant-${tag}`,
    tag,
  ]);
  await owner.query(`insert into memberships (tenant_id, user_id, role) values ($1, $2, 'owner')`, [x.tenant, x.user]);
  await owner.query(
    `insert into invitations (tenant_id, email, role, token_hash, expires_at) values ($1, $2, 'viewer', $3, now() + interval '1 day')`,
    [x.tenant, `invitee-${tag}@example.test`, `hash-inv-${tag}`],
  );
  await owner.query(
    `insert into api_tokens (tenant_id, user_id, name, prefix, token_hash) values ($1, $2, 'ci', 'wharf_x', $3)`,
    [x.tenant, x.user, `hash-tok-${tag}`],
  );
  await owner.query(`insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'members', 9)`, [
    x.tenant,
  ]);
  await owner.query(`insert into audit_events (tenant_id, action, outcome, status) values ($1, 'test', 'success', 200)`, [
    x.tenant,
  ]);
  const account = randomUUID();
  await owner.query(
    `insert into cloud_accounts (tenant_id, id, provider, name, auth, access_key_id, secret_sealed, identity_account, verified_at)
     values ($1, $2, 'aws', 'prod', 'keys', 'AKIAIOSFODNN7EXAMPLE', 'e1.sealed', '123456789012', now())`,
    [x.tenant, account],
  );
  const cluster = await owner.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, 'own', 'dedicated', 'own.example.test', 443)
     returning id`,
    [x.tenant],
  );
  await owner.query(
    `insert into hosts (tenant_id, cluster_id, cloud_account_id, provider, region, instance_type, vcpus, memory_mib, name, client_token)
     values ($1, $2, $3, 'aws', 'eu-west-1', 't3.small', 2, 2048, 'host-1', $4)`,
    [x.tenant, cluster.rows[0]?.id, account, `client-${tag}`],
  );
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  owner = new pg.Pool({ connectionString: testDb.ownerUrl, max: 2 });
  db = new Database({ connectionString: testDb.appUrl, maxConnections: 2 });
  await seed(a, 'a');
  await seed(b, 'b');
});

afterAll(async () => {
  await db?.close();
  await owner?.end();
  await testDb?.drop();
});

const rows = (scope: { trx: Tx }, table: string) =>
  sql<{ tenantId: string }>`select * from ${sql.table(table)}`.execute(scope.trx).then((r) => r.rows.map((x) => x.tenantId));

describe('row-level security', () => {
  it('the app role is neither superuser nor table owner, and cannot bypass RLS', async () => {
    const r = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owns: number }>`
      select rolsuper, rolbypassrls,
        (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = current_user) as owns
      from pg_roles where rolname = current_user`.execute(db.db);
    expect(r.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owns: 0 });
  });

  it.each(TENANT_TABLES)('%s: a transaction scoped to B sees none of A’s rows without a WHERE clause', async (table) => {
    const seenByB = await db.withTenant(b.tenant, b.user, (scope) => rows(scope, table));
    const seenByA = await db.withTenant(a.tenant, a.user, (scope) => rows(scope, table));
    expect(seenByB.length).toBeGreaterThan(0);
    expect(seenByB.every((id) => id === b.tenant)).toBe(true);
    // positive control: A's scope sees A's rows
    expect(seenByA).toContain(a.tenant);
    expect(seenByA).not.toContain(b.tenant);
  });

  it('tenants: B sees only itself; outside any scope nothing is visible', async () => {
    const seen = await db.withTenant(b.tenant, b.user, (s) => sql<{ id: string }>`select id from tenants`.execute(s.trx));
    expect(seen.rows.map((r) => r.id)).toEqual([b.tenant]);
    const none = await db.unscoped((trx) => sql<{ n: number }>`select count(*)::int as n from memberships`.execute(trx));
    expect(none.rows[0]?.n).toBe(0);
  });

  it("tenants: each has its own cloud ExternalId, which B's scope cannot read for A", async () => {
    const ids = await owner.query<{ cloud_external_id: string }>('select cloud_external_id from tenants where id in ($1, $2)', [
      a.tenant,
      b.tenant,
    ]);
    expect(new Set(ids.rows.map((r) => r.cloud_external_id)).size).toBe(2);
    const seenByB = await db.withTenant(b.tenant, b.user, (s) =>
      sql<{ id: string }>`select id from tenants where cloud_external_id is not null`.execute(s.trx),
    );
    expect(seenByB.rows.map((r) => r.id)).toEqual([b.tenant]);
  });

  it('B cannot write rows into A, nor update or delete A’s rows', async () => {
    await expect(
      db.withTenant(b.tenant, b.user, (s) =>
        sql`insert into memberships (tenant_id, user_id, role) values (${a.tenant}, ${b.user}, 'owner')`.execute(s.trx),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await db.withTenant(b.tenant, b.user, (s) =>
      sql`update tenants set name = 'pwned' where id = ${a.tenant}`.execute(s.trx),
    );
    expect(updated.numAffectedRows).toBe(0n);
    const deleted = await db.withTenant(b.tenant, b.user, (s) =>
      sql`delete from api_tokens where tenant_id = ${a.tenant}`.execute(s.trx),
    );
    expect(deleted.numAffectedRows).toBe(0n);
    const check = await owner.query('select name from tenants where id = $1', [a.tenant]);
    expect(check.rows[0].name).toBe('a');
  });

  it('the scope ends with its transaction (SET LOCAL semantics)', async () => {
    await db.withTenant(a.tenant, a.user, async () => undefined);
    const after = await sql<{ t: string | null }>`select current_setting('app.tenant_id', true) as t`.execute(db.db);
    expect(after.rows[0]?.t ?? '').toBe('');
  });
});
