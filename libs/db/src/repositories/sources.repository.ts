import type { PlatformScope, TenantScope } from '../database.js';
import type { UserId } from '../schema.js';
import type { AppSourceRow, GitConnectionRow, GitProviderName, SourceAuth } from '../schema-builds.js';

export interface SourceValues {
  repository: string;
  auth: SourceAuth;
  connectionId: string | null;
  tokenSealed: string | null;
  deployKeyPublic: string | null;
  deployKeySealed: string | null;
  region: string;
  settings: unknown;
  secretArgsSealed: string | null;
  hookId: string;
  hookSecretSealed: string;
}

/** Where apps' images come from (their git repository and build settings), and the tenant's git connections. */
export class SourcesRepository {
  async find(scope: TenantScope, appId: string): Promise<AppSourceRow | undefined> {
    return scope.trx
      .selectFrom('appSources')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .executeTakeFirst();
  }

  async upsert(scope: TenantScope, appId: string, v: SourceValues): Promise<AppSourceRow> {
    const values = { ...v, settings: JSON.stringify(v.settings) };
    return scope.trx
      .insertInto('appSources')
      .values({ tenantId: scope.tenantId, appId, ...values })
      .onConflict((oc) => oc.columns(['tenantId', 'appId']).doUpdateSet({ ...values, updatedAt: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async remove(scope: TenantScope, appId: string): Promise<boolean> {
    const r = await scope.trx
      .deleteFrom('appSources')
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** The source a webhook path id belongs to, across tenants (a webhook carries no tenant). */
  async findByHook(scope: PlatformScope, hookId: string): Promise<AppSourceRow | undefined> {
    return scope.trx.selectFrom('appSources').selectAll().where('hookId', '=', hookId).executeTakeFirst();
  }

  async createConnection(
    scope: TenantScope,
    c: { provider: GitProviderName; account: string; tokenSealed: string; createdBy: UserId | null },
  ): Promise<GitConnectionRow> {
    return scope.trx
      .insertInto('gitConnections')
      .values({ tenantId: scope.tenantId, ...c })
      .onConflict((oc) =>
        oc.columns(['tenantId', 'provider', 'account']).doUpdateSet({ tokenSealed: c.tokenSealed, createdBy: c.createdBy }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async connections(scope: TenantScope): Promise<GitConnectionRow[]> {
    return scope.trx
      .selectFrom('gitConnections')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .orderBy('createdAt')
      .execute();
  }

  async connection(scope: TenantScope, id: string): Promise<GitConnectionRow | undefined> {
    return scope.trx
      .selectFrom('gitConnections')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async connectionInUse(scope: TenantScope, id: string): Promise<boolean> {
    const row = await scope.trx
      .selectFrom('appSources')
      .select('appId')
      .where('tenantId', '=', scope.tenantId)
      .where('connectionId', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** False when it was not there (the database refuses it while an app's source uses it). */
  async removeConnection(scope: TenantScope, id: string): Promise<boolean> {
    const r = await scope.trx
      .deleteFrom('gitConnections')
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
