import {
  type AgentCommand,
  NodeRemoveResult,
  NodeStatusResult,
  NodeUpdateResult,
  SECRET_RESULT_KINDS,
  SwarmJoinTokensResult,
  SwarmLeaveResult,
  SwarmNodeResult,
} from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import type { HostView, TenantId } from '@wharf/db';
import { RetryLater } from '@wharf/queue';
import type { z } from 'zod';
import type { Commands } from '../commands.js';

/** A command the agent ran and refused: the step cannot go on (the reason is the agent's). */
export class HostCommandFailed extends Error {
  override readonly name = 'HostCommandFailed';
}

/**
 * The agent commands of the host workflow, each addressed to one host's agent and keyed by what it is for, so that
 * a resumed job finds the command its predecessor sent instead of sending another. A command still open after a
 * short wait puts the job back in the queue (RetryLater) rather than holding a worker slot.
 */
export class HostCommands {
  constructor(
    private readonly commands: Commands,
    /** Opens results that carry secrets (join tokens), which the API stores sealed. */
    private readonly box: SecretBox,
    private readonly pollMs: number,
    /** How long one run waits for a result before the job goes back to the queue. */
    private readonly waitMs = 15_000,
  ) {}

  swarmInit(host: HostView, advertiseAddr: string) {
    return this.run(host, `host-${host.id}-swarm-init`, { kind: 'swarm.init', advertiseAddr }, SwarmNodeResult);
  }

  /** Join tokens from a manager; `for` is the joining host (one request per joining host and manager). */
  joinTokens(manager: HostView, forHost: HostView) {
    return this.run(
      manager,
      `host-${forHost.id}-join-tokens-${manager.id}`,
      { kind: 'swarm.join-tokens' },
      SwarmJoinTokensResult,
    );
  }

  swarmJoin(host: HostView, remoteAddr: string, token: string, advertiseAddr: string) {
    return this.run(
      host,
      `host-${host.id}-swarm-join`,
      { kind: 'swarm.join', remoteAddr, token, advertiseAddr },
      SwarmNodeResult,
    );
  }

  /** `purpose` keeps a promotion, a drain and a demotion of one node apart. */
  nodeUpdate(
    manager: HostView,
    node: HostView,
    purpose: 'promote' | 'drain' | 'demote',
    change: { availability?: 'active' | 'pause' | 'drain'; role?: 'manager' | 'worker' },
  ) {
    const nodeId = swarmNodeOf(node);
    return this.run(manager, `host-${node.id}-${purpose}`, { kind: 'node.update', nodeId, ...change }, NodeUpdateResult);
  }

  /** One status read per poll slot (a command is a row: the same key would answer the first read forever). */
  nodeStatus(manager: HostView, node: HostView, slot: number) {
    const nodeId = swarmNodeOf(node);
    return this.run(manager, `host-${node.id}-status-${slot}`, { kind: 'node.status', nodeId }, NodeStatusResult);
  }

  swarmLeave(host: HostView, force: boolean) {
    return this.run(host, `host-${host.id}-swarm-leave`, { kind: 'swarm.leave', force }, SwarmLeaveResult);
  }

  nodeRemove(manager: HostView, node: HostView) {
    const nodeId = swarmNodeOf(node);
    return this.run(manager, `host-${node.id}-node-remove`, { kind: 'node.remove', nodeId, force: true }, NodeRemoveResult);
  }

  protected async run<T extends z.ZodType>(
    target: CommandTarget,
    key: string,
    command: AgentCommand,
    schema: T,
  ): Promise<z.output<T>> {
    if (!target.agentId) throw new HostCommandFailed(`host ${target.name} has no agent to run ${command.kind}`);
    const row = await this.commands.send(target.clusterId, target.tenantId as TenantId, key, command, {
      agentId: target.agentId,
    });
    const outcome = await this.commands.wait(row.id, Date.now() + this.waitMs, async () => undefined);
    if (!('done' in outcome)) throw new RetryLater(this.pollMs, `waiting for ${command.kind} on ${target.name}`);
    const done = outcome.done;
    if (done.state !== 'succeeded')
      throw new HostCommandFailed(`${command.kind} on ${target.name} ${done.state}: ${done.error ?? 'no reason given'}`);
    const parsed = schema.safeParse(SECRET_RESULT_KINDS.includes(command.kind) ? this.open(done.id, done.result) : done.result);
    if (!parsed.success) throw new HostCommandFailed(`${command.kind} on ${target.name} answered an unexpected result`);
    return parsed.data;
  }

  private open(commandId: string, result: unknown): unknown {
    const sealed = (result as { sealed?: unknown } | null)?.sealed;
    if (typeof sealed !== 'string') return undefined;
    return JSON.parse(this.box.open(sealed, AAD.commandResult(commandId)));
  }
}

/** Whom a command is addressed to: a host's agent, or a broker's (broker mode). */
export type CommandTarget = Pick<HostView, 'agentId' | 'clusterId' | 'tenantId' | 'name'>;

/** What the host processors need of HostCommands (tests hand in a fake Swarm). */
export type HostSwarm = Pick<HostCommands, keyof HostCommands>;

function swarmNodeOf(host: HostView): string {
  if (!host.swarmNodeId) throw new HostCommandFailed(`host ${host.name} has no Swarm node`);
  return host.swarmNodeId;
}
