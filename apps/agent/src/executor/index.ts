import type { AgentCommand } from '@wharf/contracts';
import { CommandError } from '../errors.js';
import { convergeCluster } from './cluster-converge.js';
import type { ExecutorContext } from './context.js';
import { streamLogs } from './logs-stream.js';
import { scaleService } from './service-scale.js';
import { scopeKey } from './service-state.js';
import { runApply } from './stack-apply.js';
import { removeStack } from './stack-remove.js';
import { rollbackStack } from './stack-rollback.js';
import { runTest } from './stack-test.js';
import { initSwarm, joinSwarm, leaveSwarm, swarmJoinTokens } from './swarm-membership.js';
import { nodeStatus, removeNode, updateNode } from './swarm-nodes.js';

export type { ExecutorContext, LogBatchBody } from './context.js';

/** Runs one command against the engine; resolves with its result (the `result` of `{ ok: true, result }`). */
export async function executeCommand(ctx: ExecutorContext, command: AgentCommand): Promise<unknown> {
  switch (command.kind) {
    case 'stack.apply':
      return runApply(ctx, command.desired, command.timeoutMs);
    case 'stack.test':
      return runTest(ctx, command);
    case 'service.scale':
      return scaleService(ctx, command);
    case 'stack.remove':
      return { removed: await removeStack(ctx, command.scope, { volumes: command.volumes }) };
    case 'stack.rollback':
      return rollbackStack(ctx, command.scope);
    case 'cluster.converge':
      return convergeCluster(ctx, command);
    case 'logs.stream':
      return streamLogs(ctx, command);
    case 'swarm.init':
      return initSwarm(ctx, command);
    case 'swarm.join-tokens':
      return swarmJoinTokens(ctx);
    case 'swarm.join':
      return joinSwarm(ctx, command);
    case 'swarm.leave':
      return leaveSwarm(ctx, command);
    case 'node.update':
      return updateNode(ctx, command);
    case 'node.status':
      return nodeStatus(ctx, command);
    case 'node.remove':
      return removeNode(ctx, command);
    case 'broker.attach':
    case 'broker.detach':
      // only a broker runs them (the API addresses them to it); an engine's agent has no SSH hosts to drive
      throw new CommandError(`${command.kind} is for a broker, not for this agent`);
  }
}

/** The lane of node.update and node.remove: one change to the Swarm's nodes at a time (not a stack scope key). */
export const SWARM_NODES_LANE = 'swarm:nodes';

/**
 * What a command must be serialised with: commands of one stack scope run one after another, in arrival order;
 * `cluster` (converge, and a change of this engine's Swarm membership) runs alone; node changes run one after
 * another; undefined (log streams, reads) runs at once beside anything.
 */
export function commandLane(command: AgentCommand): { kind: 'scope'; key: string } | { kind: 'cluster' } | undefined {
  switch (command.kind) {
    case 'stack.apply':
    case 'stack.test':
      return { kind: 'scope', key: scopeKey(command.desired.scope) };
    case 'service.scale':
    case 'stack.remove':
    case 'stack.rollback':
      return { kind: 'scope', key: scopeKey(command.scope) };
    case 'cluster.converge':
    case 'swarm.init':
    case 'swarm.join':
    case 'swarm.leave':
      return { kind: 'cluster' };
    case 'node.update':
    case 'node.remove':
      return { kind: 'scope', key: SWARM_NODES_LANE };
    case 'broker.attach':
    case 'broker.detach':
      // one host's attach and detach in the order they came
      return { kind: 'scope', key: `broker:${command.hostId}` };
    case 'logs.stream':
    case 'swarm.join-tokens':
    case 'node.status':
      return undefined;
  }
}
