import type { Tx } from '../database.js';
import type { RefreshTokenRow, UserId } from '../schema.js';

/** Refresh tokens belong to a user's session ("family"); only their hashes are stored. */
export class RefreshTokensRepository {
  async create(
    trx: Tx,
    token: { familyId: string; userId: UserId; tokenHash: string; expiresAt: Date; ip: string | null; userAgent: string | null },
  ): Promise<RefreshTokenRow> {
    return trx.insertInto('refreshTokens').values(token).returningAll().executeTakeFirstOrThrow();
  }

  /** Locks the token's row so two concurrent refreshes with the same token cannot both rotate it. */
  async findByHashForUpdate(trx: Tx, tokenHash: string): Promise<RefreshTokenRow | undefined> {
    return trx.selectFrom('refreshTokens').selectAll().where('tokenHash', '=', tokenHash).forUpdate().executeTakeFirst();
  }

  async markRotated(trx: Tx, id: string): Promise<void> {
    await trx.updateTable('refreshTokens').set({ rotatedAt: new Date() }).where('id', '=', id).execute();
  }

  async revokeFamily(trx: Tx, familyId: string): Promise<void> {
    await trx
      .updateTable('refreshTokens')
      .set({ revokedAt: new Date() })
      .where('familyId', '=', familyId)
      .where('revokedAt', 'is', null)
      .execute();
  }

  async isFamilyActive(trx: Tx, familyId: string): Promise<boolean> {
    const row = await trx
      .selectFrom('refreshTokens')
      .select('id')
      .where('familyId', '=', familyId)
      .where('revokedAt', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
