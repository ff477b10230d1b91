import type { AgentCommand } from '@wharf/contracts';
import { convergeCluster } from './cluster-converge.js';
import type { ExecutorContext } from './context.js';
import { streamLogs } from './logs-stream.js';
import { scaleService } from './service-scale.js';
import { scopeKey } from './service-state.js';
import { runApply } from './stack-apply.js';
import { removeStack } from './stack-remove.js';
import { rollbackStack } from './stack-rollback.js';
import { runTest } from './stack-test.js';

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
  }
}

/**
 * What a command must be serialised with: commands of one stack scope run one after another, in arrival order;
 * `cluster` (converge) runs alone; undefined (log streams) runs at once beside anything.
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
      return { kind: 'cluster' };
    case 'logs.stream':
      return undefined;
  }
}
