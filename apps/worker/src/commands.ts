import { type AgentCommand, mapCommandSecrets } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import { type AgentCommandRow, AgentCommandsRepository, type Database, type TenantId } from '@wharf/db';
import { type Bus, CHANNELS } from '@wharf/queue';

/** Writes commands for clusters' agents (secrets sealed at rest) and waits for their results. */
export class Commands {
  private readonly repo = new AgentCommandsRepository();

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly box: SecretBox,
  ) {}

  /**
   * Idempotent: a second call with the same key returns the command the first one wrote. `agentId` addresses the
   * command to one agent of the cluster (a host's own agent); without it, the cluster's managing agent runs it.
   */
  async send(
    clusterId: string,
    tenantId: TenantId | null,
    key: string,
    command: AgentCommand,
    options: { agentId?: string } = {},
  ): Promise<AgentCommandRow> {
    const sealed = mapCommandSecrets(command, (v, tenant) => this.box.seal(v, AAD.agentCommand(tenant)), tenantId);
    const row = await this.db.withPlatform((p) =>
      this.repo.enqueue(p, {
        clusterId,
        tenantId,
        idempotencyKey: key,
        kind: command.kind,
        payload: sealed,
        agentId: options.agentId ?? null,
      }),
    );
    if (row.state === 'pending') await this.bus.publish(CHANNELS.agentWake(clusterId));
    return row;
  }

  async get(id: string): Promise<AgentCommandRow | undefined> {
    return this.db.withPlatform((p) => this.repo.get(p, id));
  }

  async hasOpen(clusterId: string, kind: AgentCommand['kind']): Promise<boolean> {
    return this.db.withPlatform((p) => this.repo.hasOpen(p, clusterId, kind));
  }

  async cancelPending(clusterId: string, id: string): Promise<boolean> {
    return this.db.withPlatform((p) => this.repo.cancelPending(p, clusterId, id));
  }

  /**
   * Waits until the command has finished, or `check` returns something (e.g. a cancel request), or the deadline.
   * Woken by the API's done message; reads the row every second regardless.
   */
  async wait<T>(
    id: string,
    deadline: number,
    check: () => Promise<T | undefined>,
  ): Promise<{ done: AgentCommandRow } | { interrupted: T } | { timedOut: true }> {
    const done = await this.bus.listen(CHANNELS.commandDone(id));
    try {
      for (;;) {
        const row = await this.get(id);
        if (row && row.state !== 'pending' && row.state !== 'delivered') return { done: row };
        const interrupted = await check();
        if (interrupted !== undefined) return { interrupted };
        const left = deadline - Date.now();
        if (left <= 0) return { timedOut: true };
        await done.next(Math.min(left, 1_000));
      }
    } finally {
      await done.close();
    }
  }
}
