import type pg from 'pg';
import type { Probe, World } from './fixtures.js';
import { exists, tag } from './workload-fixtures.js';

/* A world's spare dedicated cluster, and the probes of the tenant cluster and provider-list routes (TENANT_REQUESTS). */

/**
 * An empty dedicated cluster of the tenant (nothing keeps it from being deleted). The world's plan has no room for
 * dedicated clusters: an override gives it room for the one clusters.create adds.
 */
export async function insertSpareCluster(db: pg.Pool, tenantId: string): Promise<{ id: string; name: string }> {
  await db.query(`insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'clusters', 10)`, [
    tenantId,
  ]);
  const name = `spare-${tag()}`;
  const row = await db.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, $2, 'dedicated', 'spare.example.test', 443)
     returning id`,
    [tenantId, name],
  );
  const id = row.rows[0]?.id;
  if (!id) throw new Error('setup: spare cluster not inserted');
  return { id, name };
}

export const CLUSTER_REQUESTS: Record<string, (w: World, tenant: string) => Probe> = {
  'clusters.list': (_, tenant) => ({ params: { tenant } }),
  'clusters.create': (w, tenant) => {
    const name = `made-${tag()}`;
    return {
      params: { tenant },
      body: { name, domain: 'made.example.test' },
      changed: (db) => exists(db, 'select 1 from clusters where tenant_id = $1 and name = $2', [w.tenant.id, name]),
    };
  },
  'clusters.get': (w, tenant) => ({ params: { tenant, clusterId: w.dedicatedCluster.id } }),
  'clusters.delete': (w, tenant) => ({
    params: { tenant, clusterId: w.spareCluster.id },
    changed: async (db) => !(await exists(db, 'select 1 from clusters where id = $1', [w.spareCluster.id])),
  }),
  // the test app's offline adapter refuses every provider call: a caller who may ask is told so (422), after the
  // tenant, permission and account checks
  'cloud-accounts.regions': (w, tenant) => ({
    params: { tenant, accountId: w.cloudAccount.id },
    allowedAnswer: { status: 422, kind: 'unprocessable' },
  }),
  'cloud-accounts.instance-types': (w, tenant) => ({
    params: { tenant, accountId: w.cloudAccount.id },
    query: { region: 'eu-west-1' },
    allowedAnswer: { status: 422, kind: 'unprocessable' },
  }),
};
