import { LIVE_HOST_STATES } from '@wharf/contracts';
import { AAD, type Keyring } from '@wharf/crypto';
import type { Insertable, SelectQueryBuilder } from 'kysely';
import type { PlatformScope, TenantScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { CloudAccountRow, CloudAccountsTable, DB } from '../schema.js';

export type CloudAccountView = Omit<CloudAccountRow, 'secretSealed'> & { creatorName: string | null };
export type NewCloudAccount = Omit<Insertable<CloudAccountsTable>, 'tenantId' | 'createdAt'>;

/**
 * Reads never select the sealed secret: it leaves the database only for the host workers (`sealedSecret`) and the
 * master key rotation (`sealedPage` / `rewrapped`, platform scope).
 */
export class CloudAccountsRepository {
  /** Undefined when the tenant already has an account of that name. */
  async create(scope: TenantScope, account: NewCloudAccount): Promise<CloudAccountView | undefined> {
    const row = await scope.trx
      .insertInto('cloudAccounts')
      .values({ ...account, tenantId: scope.tenantId })
      .onConflict((oc) => oc.columns(['tenantId', 'name']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row ? this.find(scope, row.id) : undefined;
  }

  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = this.base(scope)
      .orderBy('c.createdAt', 'desc')
      .orderBy('c.id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('c.createdAt', 'c.id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async find(scope: TenantScope, id: string): Promise<CloudAccountView | undefined> {
    return this.base(scope).where('c.id', '=', id).executeTakeFirst();
  }

  /**
   * Removes the account unless hosts that have not ended (terminated, failed) still use it. The row is locked first:
   * a host admitted on the account at the same time has either committed (and is counted) or finds it gone. Ended
   * hosts keep their history; their account id becomes null (the foreign key's ON DELETE SET NULL).
   */
  async remove(scope: TenantScope, id: string): Promise<{ kind: 'removed' | 'missing' } | { kind: 'in-use'; hosts: number }> {
    const account = await scope.trx
      .selectFrom('cloudAccounts')
      .select('id')
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!account) return { kind: 'missing' };
    const { hosts } = await scope.trx
      .selectFrom('hosts')
      .select((eb) => eb.fn.countAll<number>().as('hosts'))
      .where('tenantId', '=', scope.tenantId)
      .where('cloudAccountId', '=', id)
      .where('state', 'in', LIVE_HOST_STATES)
      .executeTakeFirstOrThrow();
    if (Number(hosts) > 0) return { kind: 'in-use', hosts: Number(hosts) };
    await scope.trx.deleteFrom('cloudAccounts').where('tenantId', '=', scope.tenantId).where('id', '=', id).execute();
    return { kind: 'removed' };
  }

  /**
   * The leak sweep: the next page of every tenant's accounts, in key order after `after` (never their secrets:
   * `credentials` opens one under its tenant's scope).
   */
  async sweepPage(
    scope: PlatformScope,
    limit: number,
    after?: { tenantId: string; id: string },
  ): Promise<Pick<CloudAccountRow, 'tenantId' | 'id' | 'provider' | 'identityAccount'>[]> {
    return keyset(scope.trx.selectFrom('cloudAccounts').select(['tenantId', 'id', 'provider', 'identityAccount']), after)
      .limit(limit)
      .execute();
  }

  async nameTaken(scope: TenantScope, name: string): Promise<boolean> {
    const row = await scope.trx
      .selectFrom('cloudAccounts')
      .select('id')
      .where('tenantId', '=', scope.tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The ExternalId the tenant's roles must require of Wharf (stable for the tenant's lifetime). */
  async externalId(scope: TenantScope): Promise<string> {
    const row = await scope.trx
      .selectFrom('tenants')
      .select('cloudExternalId')
      .where('id', '=', scope.tenantId)
      .executeTakeFirstOrThrow();
    return row.cloudExternalId;
  }

  /** The sealed secret of an account reached with keys (undefined for a role, or an account that is not the tenant's). */
  async sealedSecret(scope: TenantScope, id: string): Promise<string | undefined> {
    const row = await scope.trx
      .selectFrom('cloudAccounts')
      .select('secretSealed')
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.secretSealed ?? undefined;
  }

  /**
   * How Wharf reaches one of the tenant's accounts, its secret opened (the shape of @wharf/providers'
   * CloudCredentials): for the host workers and the API's catalogue checks. Undefined: no such account of the tenant.
   * Never log what this returns.
   */
  async credentials(
    scope: TenantScope,
    id: string,
    keyring: Keyring,
  ): Promise<
    | {
        provider: CloudAccountRow['provider'];
        credentials:
          | { kind: 'role'; roleArn: string; externalId: string }
          | { kind: 'keys'; accessKeyId: string; secret: string };
      }
    | undefined
  > {
    const row = await scope.trx
      .selectFrom('cloudAccounts')
      .select(['provider', 'auth', 'roleArn', 'accessKeyId', 'secretSealed'])
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.auth === 'role' && row.roleArn !== null) {
      return {
        provider: row.provider,
        credentials: { kind: 'role', roleArn: row.roleArn, externalId: await this.externalId(scope) },
      };
    }
    if (row.accessKeyId === null || row.secretSealed === null) throw new Error(`cloud account ${id}: no way in is stored`);
    const secret = keyring.open(row.secretSealed, AAD.cloudAccount(scope.tenantId, id));
    return { provider: row.provider, credentials: { kind: 'keys', accessKeyId: row.accessKeyId, secret } };
  }

  /** Master key rotation: the next page of sealed secrets of every tenant, in key order, after `after`. */
  async sealedPage(
    scope: PlatformScope,
    limit: number,
    after?: { tenantId: string; id: string },
  ): Promise<Pick<CloudAccountRow, 'tenantId' | 'id' | 'secretSealed'>[]> {
    const q = scope.trx
      .selectFrom('cloudAccounts')
      .select(['tenantId', 'id', 'secretSealed'])
      .where('secretSealed', 'is not', null);
    return keyset(q, after).limit(limit).execute();
  }

  /** Master key rotation: stores a re-wrapped secret, unless the row changed (or went) since it was read. */
  async rewrapped(
    scope: PlatformScope,
    row: Pick<CloudAccountRow, 'tenantId' | 'id'>,
    from: string,
    to: string,
  ): Promise<boolean> {
    const res = await scope.trx
      .updateTable('cloudAccounts')
      .set({ secretSealed: to })
      .where('tenantId', '=', row.tenantId)
      .where('id', '=', row.id)
      .where('secretSealed', '=', from)
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  private base(scope: TenantScope) {
    return scope.trx
      .selectFrom('cloudAccounts as c')
      .leftJoin('users as u', 'u.id', 'c.createdBy')
      .select([
        'c.tenantId',
        'c.id',
        'c.provider',
        'c.name',
        'c.auth',
        'c.roleArn',
        'c.accessKeyId',
        'c.identityAccount',
        'c.identityPrincipal',
        'c.verifiedAt',
        'c.createdBy',
        'c.createdAt',
        'u.name as creatorName',
      ])
      .where('c.tenantId', '=', scope.tenantId);
  }
}

/** Accounts of every tenant in key order, after `after` (platform-wide pages). */
function keyset<O>(q: SelectQueryBuilder<DB, 'cloudAccounts', O>, after: { tenantId: string; id: string } | undefined) {
  const ordered = q.orderBy('tenantId').orderBy('id');
  if (!after) return ordered;
  const tenant = after.tenantId as CloudAccountRow['tenantId'];
  return ordered.where((eb) =>
    eb.or([eb('tenantId', '>', tenant), eb.and([eb('tenantId', '=', tenant), eb('id', '>', after.id)])]),
  );
}
