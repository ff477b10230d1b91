import type pg from 'pg';
import type { Probe, World } from './fixtures.js';
import { exists, tag } from './workload-fixtures.js';

/* The cloud account of a world, and the probes of the cloud account routes (part of TENANT_REQUESTS). */

/** A connected AWS account reached by role (no secret: the probes only need a row of the tenant). */
export async function insertCloudAccount(db: pg.Pool, tenantId: string): Promise<{ id: string; name: string; roleArn: string }> {
  const name = `aws-${tag()}`;
  const roleArn = `arn:aws:iam::123456789012:role/Wharf-${tag()}`;
  const row = await db.query<{ id: string }>(
    `insert into cloud_accounts (tenant_id, provider, name, auth, role_arn, identity_account, verified_at)
     values ($1, 'aws', $2, 'role', $3, '123456789012', now()) returning id`,
    [tenantId, name, roleArn],
  );
  const id = row.rows[0]?.id;
  if (!id) throw new Error('setup: cloud account not inserted');
  return { id, name, roleArn };
}

export const CLOUD_REQUESTS: Record<string, (w: World, tenant: string) => Probe> = {
  'cloud-accounts.list': (_, tenant) => ({ params: { tenant }, query: { limit: 10 } }),
  'cloud-accounts.setup': (_, tenant) => ({ params: { tenant } }),
  // verified by the test app's offline adapter (tests/support/clouds.ts): any well-formed role is accepted
  'cloud-accounts.create': (w, tenant) => {
    const name = `connected ${tag()}`;
    return {
      params: { tenant },
      body: { provider: 'aws', name, roleArn: `arn:aws:iam::123456789012:role/Wharf-${tag()}` },
      changed: (db) => exists(db, 'select 1 from cloud_accounts where tenant_id = $1 and name = $2', [w.tenant.id, name]),
    };
  },
  'cloud-accounts.get': (w, tenant) => ({ params: { tenant, accountId: w.cloudAccount.id } }),
  'cloud-accounts.delete': (w, tenant) => ({
    params: { tenant, accountId: w.cloudAccount.id },
    changed: async (db) => !(await exists(db, 'select 1 from cloud_accounts where id = $1', [w.cloudAccount.id])),
  }),
};
