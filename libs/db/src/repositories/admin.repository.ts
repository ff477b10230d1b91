import type { PlanId, QuotaKey } from '@wharf/contracts';
import { sql } from 'kysely';
import type { PlatformScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { TenantId, TenantRow, UserId } from '../schema.js';

export type AdminTenantRow = TenantRow & { memberCount: number };

/** Cross-tenant reads and writes for platform admins. Every method needs a platform scope. */
export class AdminRepository {
  async listTenants(
    scope: PlatformScope,
    page: { limit: number; cursor?: string | undefined; q?: string | undefined; status?: 'active' | 'suspended' | undefined },
  ) {
    const after = decodeCursor(page.cursor);
    let q = this.base(scope)
      .orderBy('t.createdAt', 'desc')
      .orderBy('t.id', 'desc')
      .limit(page.limit + 1);
    if (page.q) {
      const like = `%${page.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('t.name', 'ilike', like), eb('t.slug', 'ilike', like)]));
    }
    if (page.status) q = q.where('t.status', '=', page.status);
    if (after) q = q.where(afterCursor('t.createdAt', 't.id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async getTenant(scope: PlatformScope, tenantId: TenantId): Promise<AdminTenantRow | undefined> {
    return this.base(scope).where('t.id', '=', tenantId).executeTakeFirst();
  }

  async setPlan(scope: PlatformScope, tenantId: TenantId, planId: PlanId): Promise<void> {
    await scope.trx.updateTable('tenants').set({ planId }).where('id', '=', tenantId).execute();
  }

  async setStatus(
    scope: PlatformScope,
    tenantId: TenantId,
    status: 'active' | 'suspended',
    reason: string | null,
  ): Promise<void> {
    await scope.trx.updateTable('tenants').set({ status, suspendedReason: reason }).where('id', '=', tenantId).execute();
  }

  async setOverrides(
    scope: PlatformScope,
    tenantId: TenantId,
    overrides: Partial<Record<QuotaKey, number | null>>,
    by: UserId,
  ): Promise<void> {
    for (const [key, value] of Object.entries(overrides)) {
      if (value === null || value === undefined) {
        await scope.trx.deleteFrom('tenantQuotaOverrides').where('tenantId', '=', tenantId).where('quotaKey', '=', key).execute();
      } else {
        await scope.trx
          .insertInto('tenantQuotaOverrides')
          .values({ tenantId, quotaKey: key, limitValue: value, updatedBy: by })
          .onConflict((oc) =>
            oc.columns(['tenantId', 'quotaKey']).doUpdateSet({ limitValue: value, updatedBy: by, updatedAt: new Date() }),
          )
          .execute();
      }
    }
  }

  private base(scope: PlatformScope) {
    return scope.trx
      .selectFrom('tenants as t')
      .selectAll('t')
      .select(sql<number>`(select count(*) from memberships m where m.tenant_id = t.id)::int`.as('memberCount'));
  }
}
