import type { PlanId, Role } from '@wharf/contracts';
import type { TenantScope, UserScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { TenantRow } from '../schema.js';

export type TenantWithRole = TenantRow & { role: Role };

export class TenantsRepository {
  /** Inserts the tenant the scope was opened for (row-level security checks the id); undefined when the slug is taken. */
  async tryCreate(
    scope: TenantScope,
    tenant: { slug: string; name: string; planId: PlanId; personal: boolean },
  ): Promise<TenantRow | undefined> {
    return scope.trx
      .insertInto('tenants')
      .values({ id: scope.tenantId, ...tenant })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  async listForUser(scope: UserScope, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = scope.trx
      .selectFrom('tenants as t')
      .innerJoin('memberships as m', (j) => j.onRef('m.tenantId', '=', 't.id').on('m.userId', '=', scope.userId))
      .selectAll('t')
      .select(['m.role', 'm.createdAt as joinedAt'])
      .orderBy('m.createdAt')
      .orderBy('t.id')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('m.createdAt', 't.id', after, 'asc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.joinedAt, id: r.id }));
  }

  async get(scope: TenantScope): Promise<TenantRow> {
    return scope.trx.selectFrom('tenants').selectAll().where('id', '=', scope.tenantId).executeTakeFirstOrThrow();
  }

  /** Locks the tenant row until the transaction ends: the serialisation point of quota admission. */
  async lock(scope: TenantScope): Promise<TenantRow> {
    return scope.trx.selectFrom('tenants').selectAll().where('id', '=', scope.tenantId).forUpdate().executeTakeFirstOrThrow();
  }

  async rename(scope: TenantScope, name: string): Promise<TenantRow> {
    return scope.trx
      .updateTable('tenants')
      .set({ name })
      .where('id', '=', scope.tenantId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
