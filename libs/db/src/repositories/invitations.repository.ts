import type { Role } from '@wharf/contracts';
import { sql } from 'kysely';
import type { TenantScope, Tx } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { InvitationRow, TenantId, UserId } from '../schema.js';

export type InvitationView = InvitationRow & { inviterName: string | null };

export class InvitationsRepository {
  async create(
    scope: TenantScope,
    invitation: { email: string; role: Role; tokenHash: string; invitedBy: UserId | null; expiresAt: Date },
  ): Promise<InvitationRow> {
    return scope.trx
      .insertInto('invitations')
      .values({ tenantId: scope.tenantId, ...invitation })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = this.base(scope)
      .orderBy('i.createdAt', 'desc')
      .orderBy('i.id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('i.createdAt', 'i.id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async find(scope: TenantScope, id: string): Promise<InvitationView | undefined> {
    return this.base(scope).where('i.id', '=', id).executeTakeFirst();
  }

  async findByTokenHash(scope: TenantScope, tokenHash: string): Promise<InvitationView | undefined> {
    return this.base(scope).where('i.tokenHash', '=', tokenHash).executeTakeFirst();
  }

  /** The tenant an invitation token belongs to, found before any tenant scope is open (security-definer lookup). */
  async tenantForToken(trx: Tx, tokenHash: string): Promise<TenantId | undefined> {
    const row = await sql<{ tenantId: TenantId | null }>`select wharf_invitation_tenant(${tokenHash}) as tenant_id`.execute(trx);
    return row.rows[0]?.tenantId ?? undefined;
  }

  /** Marks a pending invitation used; false when someone else used or revoked it first. */
  async markAccepted(scope: TenantScope, id: string, userId: UserId): Promise<boolean> {
    const res = await scope.trx
      .updateTable('invitations')
      .set({ acceptedAt: new Date(), acceptedBy: userId })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('acceptedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  async revoke(scope: TenantScope, id: string): Promise<boolean> {
    const res = await scope.trx
      .updateTable('invitations')
      .set({ revokedAt: new Date() })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('acceptedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  private base(scope: TenantScope) {
    return scope.trx
      .selectFrom('invitations as i')
      .leftJoin('users as u', 'u.id', 'i.invitedBy')
      .selectAll('i')
      .select('u.name as inviterName')
      .where('i.tenantId', '=', scope.tenantId);
  }
}
