import { SEEDED_PLANS } from '@wharf/contracts';
import { type Kysely, sql } from 'kysely';

/**
 * Host quotas: `dedicatedHosts` (hosts of the tenant not terminated or failed, already a plan limit) is now counted,
 * and `hostVcpus` (the vCPUs of those hosts) is new. Seeded plans get the new limit; a plan an admin edited keeps
 * whatever it has, and gets the seeded value only where the key is missing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [id, plan] of Object.entries(SEEDED_PLANS)) {
    await sql`update plans set limits = jsonb_build_object('hostVcpus', ${plan.limits.hostVcpus}::int) || limits
      where id = ${id}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update plans set limits = limits - 'hostVcpus'`.execute(db);
}
