import type { PlatformScope } from '../database.js';
import type { AgentKind, AgentRow } from '../schema.js';

/** Join tokens (one-time) and agent credentials, both stored as hashes only. */
export class AgentsRepository {
  async createJoinToken(scope: PlatformScope, clusterId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await scope.trx.insertInto('clusterJoinTokens').values({ clusterId, tokenHash, expiresAt }).execute();
  }

  /** Uses a join token up: the cluster it admits to, or undefined when it is unknown, used or expired. */
  async consumeJoinToken(scope: PlatformScope, tokenHash: string): Promise<string | undefined> {
    const row = await scope.trx
      .updateTable('clusterJoinTokens')
      .set({ usedAt: new Date() })
      .where('tokenHash', '=', tokenHash)
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', new Date())
      .returning('clusterId')
      .executeTakeFirst();
    return row?.clusterId;
  }

  /**
   * `hostId`: the host whose registration token the agent used; `brokerId`: the broker whose token it used (absent
   * both: it joined with the cluster's token). The agent's kind follows from them.
   */
  async create(
    scope: PlatformScope,
    agent: {
      clusterId: string;
      name: string;
      credentialHash: string;
      version: string | null;
      hostId?: string | null;
      brokerId?: string | null;
    },
  ) {
    const kind: AgentKind = agent.hostId ? 'host' : agent.brokerId ? 'broker' : 'cluster';
    return scope.trx
      .insertInto('agents')
      .values({ ...agent, kind })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async findByCredential(scope: PlatformScope, credentialHash: string): Promise<AgentRow | undefined> {
    return scope.trx
      .selectFrom('agents')
      .selectAll()
      .where('credentialHash', '=', credentialHash)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
  }

  async rotate(scope: PlatformScope, id: string, credentialHash: string): Promise<void> {
    await scope.trx.updateTable('agents').set({ credentialHash, rotatedAt: new Date() }).where('id', '=', id).execute();
  }

  async revoke(scope: PlatformScope, clusterId: string, id: string): Promise<boolean> {
    const res = await scope.trx
      .updateTable('agents')
      .set({ revokedAt: new Date() })
      .where('clusterId', '=', clusterId)
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  async findInCluster(scope: PlatformScope, clusterId: string, id: string): Promise<AgentRow | undefined> {
    return scope.trx.selectFrom('agents').selectAll().where('clusterId', '=', clusterId).where('id', '=', id).executeTakeFirst();
  }

  async listForCluster(scope: PlatformScope, clusterId: string): Promise<AgentRow[]> {
    return scope.trx.selectFrom('agents').selectAll().where('clusterId', '=', clusterId).orderBy('createdAt').execute();
  }

  /** A heartbeat: the agent's, and its host's or broker's when it is one's (what the tenant sees of it). */
  async touch(scope: PlatformScope, id: string, version: string | null): Promise<void> {
    const now = new Date();
    const agent = await scope.trx
      .updateTable('agents')
      .set({ lastSeenAt: now, version })
      .where('id', '=', id)
      .returning(['hostId', 'brokerId'])
      .executeTakeFirst();
    if (agent?.brokerId) {
      await scope.trx
        .updateTable('brokers')
        .set({ lastSeenAt: now })
        .where('id', '=', agent.brokerId)
        .where('agentId', '=', id)
        .execute();
    }
    if (agent?.hostId) {
      await scope.trx
        .updateTable('hosts')
        .set({ lastSeenAt: now })
        .where('id', '=', agent.hostId)
        .where('agentId', '=', id)
        .execute();
    }
  }
}
