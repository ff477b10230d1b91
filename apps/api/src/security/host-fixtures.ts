import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Probe, World } from './fixtures.js';
import { exists, tag } from './workload-fixtures.js';

/* The host of a world (on its dedicated cluster), and the probes of the host and broker routes (part of TENANT_REQUESTS). */

/**
 * A ready local host, in the Swarm (no machine exists: the probes only need a row of the tenant). The world's plan
 * has no hosts: overrides give it room for this one and the one hosts.create adds.
 */
export async function insertHost(db: pg.Pool, tenantId: string, clusterId: string): Promise<{ id: string; name: string }> {
  await db.query(
    `insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'dedicatedHosts', 10), ($1, 'hostVcpus', 1000)`,
    [tenantId],
  );
  const name = `host-${tag()}`;
  const row = await db.query<{ id: string }>(
    `insert into hosts (tenant_id, cluster_id, provider, region, instance_type, vcpus, memory_mib, name, state,
       client_token, machine_id, private_ip, swarm_role, swarm_node_id)
     values ($1, $2, 'local', 'local', 'local.small', 1, 512, $3, 'ready', $4, $5, '10.213.0.99', 'manager', $6)
     returning id`,
    [tenantId, clusterId, name, randomUUID(), `m-${tag()}`, `node${tag()}`],
  );
  const id = row.rows[0]?.id;
  if (!id) throw new Error('setup: host not inserted');
  return { id, name };
}

/** A broker of the dedicated cluster that never registered (the target of brokers.delete). */
export async function insertBroker(db: pg.Pool, tenantId: string, clusterId: string): Promise<{ id: string }> {
  const row = await db.query<{ id: string }>(
    `insert into brokers (tenant_id, cluster_id, name) values ($1, $2, $3) returning id`,
    [tenantId, clusterId, `broker-${tag()}`],
  );
  const id = row.rows[0]?.id;
  if (!id) throw new Error('setup: broker not inserted');
  return { id };
}

export const HOST_REQUESTS: Record<string, (w: World, tenant: string) => Probe> = {
  'hosts.list': (w, tenant) => ({ params: { tenant, clusterId: w.dedicatedCluster.id }, query: { limit: 10 } }),
  'hosts.create': (w, tenant) => {
    const name = `added-${tag()}`;
    return {
      params: { tenant, clusterId: w.dedicatedCluster.id },
      body: { provider: 'local', region: 'local', instanceType: 'local.small', name },
      changed: (db) => exists(db, 'select 1 from hosts where tenant_id = $1 and name = $2', [w.tenant.id, name]),
    };
  },
  'hosts.get': (w, tenant) => ({ params: { tenant, clusterId: w.dedicatedCluster.id, hostId: w.host.id } }),
  // the world's host is a ready one, not a brought host waiting for its agent: allowed callers get a 409
  'hosts.install-command': (w, tenant) => ({
    params: { tenant, clusterId: w.dedicatedCluster.id, hostId: w.host.id },
    allowedAnswer: { status: 409, kind: 'conflict' },
  }),
  'hosts.delete': (w, tenant) => ({
    params: { tenant, clusterId: w.dedicatedCluster.id, hostId: w.host.id },
    changed: (db) => exists(db, `select 1 from hosts where id = $1 and state = 'draining'`, [w.host.id]),
  }),
  'brokers.create': (w, tenant) => {
    const name = `broker-${tag()}`;
    return {
      params: { tenant, clusterId: w.dedicatedCluster.id },
      body: { name },
      changed: (db) => exists(db, 'select 1 from brokers where tenant_id = $1 and name = $2', [w.tenant.id, name]),
    };
  },
  'brokers.list': (w, tenant) => ({ params: { tenant, clusterId: w.dedicatedCluster.id } }),
  'brokers.delete': (w, tenant) => ({
    params: { tenant, clusterId: w.dedicatedCluster.id, brokerId: w.broker.id },
    changed: (db) => exists(db, 'select 1 from brokers where id = $1 and deleted_at is not null', [w.broker.id]),
  }),
};
