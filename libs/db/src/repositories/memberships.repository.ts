import type { Role } from '@wharf/contracts';
import type { TenantScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { MembershipRow, UserId } from '../schema.js';

export interface MemberView {
  userId: UserId;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export class MembershipsRepository {
  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = this.base(scope)
      .orderBy('m.createdAt')
      .orderBy('m.userId')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('m.createdAt', 'm.userId', after, 'asc'));
    const rows: MemberView[] = await q.execute();
    return toPage(rows, page.limit, (r) => ({ at: r.createdAt, id: r.userId }));
  }

  async find(scope: TenantScope, userId: UserId): Promise<MemberView | undefined> {
    return this.base(scope).where('m.userId', '=', userId).executeTakeFirst();
  }

  async findByEmail(scope: TenantScope, email: string): Promise<MemberView | undefined> {
    return this.base(scope).where('u.email', '=', email.toLowerCase()).executeTakeFirst();
  }

  async add(scope: TenantScope, userId: UserId, role: Role): Promise<MembershipRow> {
    return scope.trx
      .insertInto('memberships')
      .values({ tenantId: scope.tenantId, userId, role })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async setRole(scope: TenantScope, userId: UserId, role: Role): Promise<void> {
    await scope.trx
      .updateTable('memberships')
      .set({ role })
      .where('tenantId', '=', scope.tenantId)
      .where('userId', '=', userId)
      .execute();
  }

  async remove(scope: TenantScope, userId: UserId): Promise<void> {
    await scope.trx.deleteFrom('memberships').where('tenantId', '=', scope.tenantId).where('userId', '=', userId).execute();
  }

  async count(scope: TenantScope, role?: Role): Promise<number> {
    let q = scope.trx
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenantId', '=', scope.tenantId);
    if (role) q = q.where('role', '=', role);
    return (await q.executeTakeFirstOrThrow()).n;
  }

  private base(scope: TenantScope) {
    return scope.trx
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.userId')
      .select(['m.userId', 'u.email', 'u.name', 'm.role', 'm.createdAt'])
      .where('m.tenantId', '=', scope.tenantId);
  }
}
