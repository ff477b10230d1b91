import type { PlatformScope, TenantScope } from '../database.js';
import type { TenantId } from '../schema.js';
import type { BrokerRow } from '../schema-hosts.js';

/** A broker as reads answer it: never its registration token's hash (nor a removal: removed brokers are not read). */
export type BrokerView = Omit<BrokerRow, 'registrationTokenHash' | 'deletedAt'>;

const VIEW_COLUMNS = [
  'tenantId',
  'id',
  'clusterId',
  'name',
  'registrationExpiresAt',
  'agentId',
  'sshPublicKey',
  'lastSeenAt',
  'createdAt',
] as const satisfies readonly (keyof BrokerView)[];

/**
 * Brokers of tenants' dedicated clusters (broker mode: one per datacenter, driving its `ssh` hosts). A broker is
 * created with a one-time token (hash only), and registering with it binds the broker to its agent. A removed broker
 * keeps its row (the `ssh` hosts it drove still name it) but is skipped by every read and by registration.
 */
export class BrokersRepository {
  async create(
    scope: TenantScope,
    broker: { clusterId: string; name: string; registrationTokenHash: string; registrationExpiresAt: Date },
  ): Promise<BrokerView> {
    return scope.trx
      .insertInto('brokers')
      .values({ ...broker, tenantId: scope.tenantId })
      .returning(VIEW_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /**
   * `share`: the row is locked for share until the transaction ends (a host being added names the broker): a removal
   * waits for it, and then sees the host.
   */
  async find(scope: TenantScope, id: string, options: { share?: boolean } = {}): Promise<BrokerView | undefined> {
    const query = scope.trx
      .selectFrom('brokers')
      .select(VIEW_COLUMNS)
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('deletedAt', 'is', null);
    return (options.share ? query.forShare() : query).executeTakeFirst();
  }

  /** The brokers of one cluster of the tenant, oldest first. */
  async listForCluster(scope: TenantScope, clusterId: string): Promise<BrokerView[]> {
    return scope.trx
      .selectFrom('brokers')
      .select(VIEW_COLUMNS)
      .where('tenantId', '=', scope.tenantId)
      .where('clusterId', '=', clusterId)
      .where('deletedAt', 'is', null)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  }

  /**
   * Agent registration: uses up a broker's one-time token. Answers the broker it admits, or undefined when the token
   * is unknown, used or expired (or the broker registered already).
   */
  async consumeToken(
    scope: PlatformScope,
    tokenHash: string,
  ): Promise<{ tenantId: TenantId; id: string; clusterId: string } | undefined> {
    return scope.trx
      .updateTable('brokers')
      .set({ registrationTokenHash: null, registrationExpiresAt: null })
      .where('registrationTokenHash', '=', tokenHash)
      .where('registrationExpiresAt', '>', new Date())
      .where('agentId', 'is', null)
      .where('deletedAt', 'is', null)
      .returning(['tenantId', 'id', 'clusterId'])
      .executeTakeFirst();
  }

  /**
   * Removes a broker of the tenant (of two racing removals, one answers undefined; the row stays locked until the
   * transaction ends): its unused token dies with it. Answers the removed broker, or undefined when there is none (or
   * it is removed already).
   */
  async remove(scope: TenantScope, id: string): Promise<BrokerView | undefined> {
    return scope.trx
      .updateTable('brokers')
      .set({ deletedAt: new Date(), registrationTokenHash: null, registrationExpiresAt: null })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('deletedAt', 'is', null)
      .returning(VIEW_COLUMNS)
      .executeTakeFirst();
  }

  /** Binds the agent the broker registered as, with the public key it reported. */
  async bindAgent(scope: PlatformScope, id: string, agentId: string, sshPublicKey: string): Promise<void> {
    await scope.trx.updateTable('brokers').set({ agentId, sshPublicKey }).where('id', '=', id).execute();
  }
}
