import type { TenantScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { RegistryCredentialRow, UserId } from '../schema.js';

export type RegistryCredentialView = Omit<RegistryCredentialRow, 'passwordSealed'> & { creatorName: string | null };

/** Reads never select the sealed password: it leaves the database only to pull images (the deploy pipeline). */
export class RegistryCredentialsRepository {
  async create(
    scope: TenantScope,
    credential: { server: string; username: string; passwordSealed: string; createdBy: UserId },
  ): Promise<RegistryCredentialView | undefined> {
    const row = await scope.trx
      .insertInto('registryCredentials')
      .values({ tenantId: scope.tenantId, ...credential })
      .onConflict((oc) => oc.columns(['tenantId', 'server']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row ? this.find(scope, row.id) : undefined;
  }

  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = this.base(scope)
      .orderBy('r.createdAt', 'desc')
      .orderBy('r.id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('r.createdAt', 'r.id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async find(scope: TenantScope, id: string): Promise<RegistryCredentialView | undefined> {
    return this.base(scope).where('r.id', '=', id).executeTakeFirst();
  }

  async remove(scope: TenantScope, id: string): Promise<boolean> {
    const res = await scope.trx
      .deleteFrom('registryCredentials')
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return res.numDeletedRows === 1n;
  }

  /** The sealed logins, for the deploy pipeline to pull images with. */
  async sealedLogins(scope: TenantScope): Promise<Pick<RegistryCredentialRow, 'server' | 'username' | 'passwordSealed'>[]> {
    return scope.trx
      .selectFrom('registryCredentials')
      .select(['server', 'username', 'passwordSealed'])
      .where('tenantId', '=', scope.tenantId)
      .execute();
  }

  private base(scope: TenantScope) {
    return scope.trx
      .selectFrom('registryCredentials as r')
      .leftJoin('users as u', 'u.id', 'r.createdBy')
      .select(['r.tenantId', 'r.id', 'r.server', 'r.username', 'r.createdBy', 'r.createdAt', 'u.name as creatorName'])
      .where('r.tenantId', '=', scope.tenantId);
  }
}
