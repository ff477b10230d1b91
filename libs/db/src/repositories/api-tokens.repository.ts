import { sql } from 'kysely';
import type { TenantScope, Tx } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { ApiTokenRow, TenantId, UserId } from '../schema.js';

export type ApiTokenView = ApiTokenRow & { userName: string };

export class ApiTokensRepository {
  async create(
    scope: TenantScope,
    token: { userId: UserId; name: string; prefix: string; tokenHash: string; expiresAt: Date | null },
  ): Promise<ApiTokenRow> {
    return scope.trx
      .insertInto('apiTokens')
      .values({ tenantId: scope.tenantId, ...token })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** All of the tenant's tokens, or only `userId`'s. */
  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }, userId?: UserId) {
    const after = decodeCursor(page.cursor);
    let q = this.base(scope)
      .orderBy('a.createdAt', 'desc')
      .orderBy('a.id', 'desc')
      .limit(page.limit + 1);
    if (userId) q = q.where('a.userId', '=', userId);
    if (after) q = q.where(afterCursor('a.createdAt', 'a.id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async find(scope: TenantScope, id: string): Promise<ApiTokenView | undefined> {
    return this.base(scope).where('a.id', '=', id).executeTakeFirst();
  }

  async findByHash(scope: TenantScope, tokenHash: string): Promise<ApiTokenRow | undefined> {
    return scope.trx
      .selectFrom('apiTokens')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }

  /** The tenant a token belongs to, found before any tenant scope is open (security-definer lookup). */
  async tenantForToken(trx: Tx, tokenHash: string): Promise<TenantId | undefined> {
    const row = await sql<{ tenantId: TenantId | null }>`select wharf_api_token_tenant(${tokenHash}) as tenant_id`.execute(trx);
    return row.rows[0]?.tenantId ?? undefined;
  }

  /** Records use at most once a minute, so authentication stays a read. */
  async touch(scope: TenantScope, id: string): Promise<void> {
    await scope.trx
      .updateTable('apiTokens')
      .set({ lastUsedAt: new Date() })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', sql<Date>`now() - interval '1 minute'`)]))
      .execute();
  }

  async revoke(scope: TenantScope, id: string): Promise<void> {
    await scope.trx
      .updateTable('apiTokens')
      .set({ revokedAt: new Date() })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .execute();
  }

  async countActive(scope: TenantScope): Promise<number> {
    const row = await scope.trx
      .selectFrom('apiTokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenantId', '=', scope.tenantId)
      .where('revokedAt', 'is', null)
      .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', new Date())]))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  private base(scope: TenantScope) {
    return scope.trx
      .selectFrom('apiTokens as a')
      .innerJoin('users as u', 'u.id', 'a.userId')
      .selectAll('a')
      .select('u.name as userName')
      .where('a.tenantId', '=', scope.tenantId);
  }
}
