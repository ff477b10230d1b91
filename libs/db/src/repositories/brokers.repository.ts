import type { PlatformScope, TenantScope } from '../database.js';
import type { TenantId } from '../schema.js';
import type { BrokerRow } from '../schema-hosts.js';

/** A broker as reads answer it: never its registration token's hash. */
export type BrokerView = Omit<BrokerRow, 'registrationTokenHash'>;

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
 * created with a one-time token (hash only), and registering with it binds the broker to its agent.
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

  async find(scope: TenantScope, id: string): Promise<BrokerView | undefined> {
    return scope.trx
      .selectFrom('brokers')
      .select(VIEW_COLUMNS)
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The brokers of one cluster of the tenant, oldest first. */
  async listForCluster(scope: TenantScope, clusterId: string): Promise<BrokerView[]> {
    return scope.trx
      .selectFrom('brokers')
      .select(VIEW_COLUMNS)
      .where('tenantId', '=', scope.tenantId)
      .where('clusterId', '=', clusterId)
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
      .returning(['tenantId', 'id', 'clusterId'])
      .executeTakeFirst();
  }

  /** Binds the agent the broker registered as, with the public key it reported. */
  async bindAgent(scope: PlatformScope, id: string, agentId: string, sshPublicKey: string): Promise<void> {
    await scope.trx.updateTable('brokers').set({ agentId, sshPublicKey }).where('id', '=', id).execute();
  }
}
