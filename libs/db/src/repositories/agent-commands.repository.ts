import { sql } from 'kysely';
import type { PlatformScope } from '../database.js';
import type { AgentCommandRow, TenantId } from '../schema.js';

/**
 * The durable command queue of each cluster's agents. A command is keyed by (cluster, idempotency key), so a retried
 * job finds the command its first attempt wrote instead of writing another; delivery is at least once (a lease that
 * the agent's heartbeats extend; a restarted agent gets its unfinished commands again).
 *
 * A command addressed to an agent (`agentId`) goes to that agent only. The others are cluster-wide: they go to an
 * agent that may run them — one without a host (the embedded or cluster-token agent), or the agent of a ready
 * Swarm manager host — never to a worker host's agent, nor to a broker (it runs only its broker.* commands).
 */
export class AgentCommandsRepository {
  /** Writes the command unless one with this key exists; returns the stored one either way. */
  async enqueue(
    scope: PlatformScope,
    command: {
      clusterId: string;
      tenantId: TenantId | null;
      idempotencyKey: string;
      kind: string;
      payload: unknown;
      /** The one agent (of the cluster) the command is for; absent: cluster-wide. */
      agentId?: string | null;
    },
  ): Promise<AgentCommandRow> {
    const inserted = await scope.trx
      .insertInto('agentCommands')
      .values({ ...command, agentId: command.agentId ?? null, payload: JSON.stringify(command.payload) })
      .onConflict((oc) => oc.columns(['clusterId', 'idempotencyKey']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return inserted;
    return scope.trx
      .selectFrom('agentCommands')
      .selectAll()
      .where('clusterId', '=', command.clusterId)
      .where('idempotencyKey', '=', command.idempotencyKey)
      .executeTakeFirstOrThrow();
  }

  async get(scope: PlatformScope, id: string): Promise<AgentCommandRow | undefined> {
    return scope.trx.selectFrom('agentCommands').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Hands pending commands (and those whose lease ran out) to an agent, oldest first: those addressed to it, and the
   * cluster-wide ones if it may run them (see the class); nothing to an agent revoked meanwhile (a long-poll it
   * opened before the revocation keeps running until its wait ends).
   */
  async claim(
    scope: PlatformScope,
    clusterId: string,
    agentId: string,
    max: number,
    leaseMs: number,
  ): Promise<AgentCommandRow[]> {
    const { rows } = await sql<AgentCommandRow>`
      update agent_commands c
         set state = 'delivered', deliveries = c.deliveries + 1, delivered_to = ${agentId},
             lease_until = now() + ${`${leaseMs} milliseconds`}::interval
       where c.id in (
         select id from agent_commands
          where cluster_id = ${clusterId}
            and (state = 'pending' or (state = 'delivered' and lease_until < now()))
            and exists (select 1 from agents a where a.id = ${agentId} and a.cluster_id = ${clusterId} and a.revoked_at is null)
            and (agent_id = ${agentId}
              or (agent_id is null and exists (
                select 1 from agents a left join hosts h on h.id = a.host_id
                 where a.id = ${agentId} and a.kind <> 'broker'
                   and (a.host_id is null or (h.swarm_role = 'manager' and h.state = 'ready')))))
          order by seq
          limit ${max}
          for update skip locked)
      returning c.*`.execute(scope.trx);
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  /**
   * A restarted agent lost what it was running: the commands delivered to it become pending again (those of the
   * cluster's other agents are theirs: they are still running them).
   */
  async redeliver(scope: PlatformScope, clusterId: string, agentId: string): Promise<number> {
    const res = await scope.trx
      .updateTable('agentCommands')
      .set({ state: 'pending', leaseUntil: null })
      .where('clusterId', '=', clusterId)
      .where('deliveredTo', '=', agentId)
      .where('state', '=', 'delivered')
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /**
   * Takes back commands claimed for an agent's poll that the agent hung up on before the answer: pending again, not
   * counted as delivered.
   */
  async release(scope: PlatformScope, clusterId: string, agentId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await scope.trx
      .updateTable('agentCommands')
      .set({ state: 'pending', leaseUntil: null, deliveries: sql<number>`deliveries - 1` })
      .where('clusterId', '=', clusterId)
      .where('deliveredTo', '=', agentId)
      .where('id', 'in', ids)
      .where('state', '=', 'delivered')
      .execute();
  }

  /** The agent is still running these: their leases (of commands delivered to it) run on. */
  async extendLeases(scope: PlatformScope, clusterId: string, agentId: string, ids: string[], leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await scope.trx
      .updateTable('agentCommands')
      .set({ leaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
      .where('clusterId', '=', clusterId)
      .where('deliveredTo', '=', agentId)
      .where('id', 'in', ids)
      .where('state', '=', 'delivered')
      .execute();
  }

  /**
   * Records the outcome of a delivered command; a late duplicate result of a finished command is ignored, and so is
   * the result of a command addressed to another agent.
   */
  async complete(
    scope: PlatformScope,
    clusterId: string,
    agentId: string,
    id: string,
    outcome: { ok: true; result: unknown } | { ok: false; error: string },
  ): Promise<AgentCommandRow | undefined> {
    return scope.trx
      .updateTable('agentCommands')
      .set({
        state: outcome.ok ? 'succeeded' : 'failed',
        result: outcome.ok ? JSON.stringify(outcome.result ?? null) : null,
        error: outcome.ok ? null : outcome.error,
        completedAt: new Date(),
        leaseUntil: null,
      })
      .where('clusterId', '=', clusterId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('agentId', 'is', null), eb('agentId', '=', agentId)]))
      .where('state', 'in', ['pending', 'delivered'])
      .returningAll()
      .executeTakeFirst();
  }

  /** Whether a command of this kind is still waiting for or held by the cluster's agent. */
  async hasOpen(scope: PlatformScope, clusterId: string, kind: string): Promise<boolean> {
    const row = await scope.trx
      .selectFrom('agentCommands')
      .select('id')
      .where('clusterId', '=', clusterId)
      .where('kind', '=', kind)
      .where('state', 'in', ['pending', 'delivered'])
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Withdraws a command no agent has taken yet. */
  async cancelPending(scope: PlatformScope, clusterId: string, id: string): Promise<boolean> {
    const res = await scope.trx
      .updateTable('agentCommands')
      .set({ state: 'cancelled', completedAt: new Date() })
      .where('clusterId', '=', clusterId)
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }
}
