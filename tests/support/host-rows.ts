import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/* Rows the host tests start from, written as the owner (the API and the workflow are not what these tests are about). */

/** A dedicated cluster of the tenant (a unique name unless given). */
export async function insertDedicatedCluster(
  db: pg.Pool,
  tenantId: string,
  name = `c-${randomUUID().slice(0, 8)}`,
): Promise<string> {
  const c = await db.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, $2, 'dedicated', 'own.example.test', 443)
     returning id`,
    [tenantId, name],
  );
  const id = c.rows[0]?.id;
  if (!id) throw new Error('setup: cluster not inserted');
  return id;
}

/** A new tenant on the team plan (room for hosts) with a dedicated cluster. */
export async function insertTenantWithCluster(db: pg.Pool): Promise<{ tenant: string; cluster: string }> {
  const tenant = randomUUID();
  await db.query(`insert into tenants (id, slug, name, plan_id) values ($1, $2, 'hosts', 'team')`, [
    tenant,
    `t-${tenant.slice(0, 8)}`,
  ]);
  return { tenant, cluster: await insertDedicatedCluster(db, tenant) };
}
