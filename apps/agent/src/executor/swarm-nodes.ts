import {
  type AgentCommand,
  NodeAvailability,
  type NodeRemoveResult,
  NodeRole,
  type NodeStatusResult,
  type NodeUpdateResult,
} from '@wharf/contracts';
import { sleep } from '../backoff.js';
import type { EngineTask } from '../docker/engine-types.js';
import type { SwarmEngine, SwarmNode } from '../docker/swarm-engine.js';
import { CommandError, EngineError } from '../errors.js';
import { DEFAULT_POLL_MS, type ExecutorContext } from './context.js';
import { swarmEngine } from './swarm-membership.js';

/*
 * node.update, node.status, node.remove: run by a manager on a node of its Swarm (drain a host being deprovisioned,
 * promote hosts to managers, watch a drain finish, take a host that left off the node list). Idempotent: an update
 * whose values are already there sends nothing; removing a node that is gone answers `removed: false`.
 */

type Command<K extends AgentCommand['kind']> = Extract<AgentCommand, { kind: K }>;

/** How long a removal waits for a node that just left to be seen as down. */
const DOWN_WAIT_MS = 30_000;
const ACTIVE_STATES = new Set(['running', 'starting']);

async function nodeOrFail(engine: SwarmEngine, nodeId: string): Promise<SwarmNode> {
  const node = await engine.node(nodeId);
  if (!node) throw new CommandError(`no node ${nodeId} in this Swarm`);
  return node;
}

function specOf(node: SwarmNode): NodeUpdateResult {
  const availability = NodeAvailability.safeParse(node.Spec.Availability);
  const role = NodeRole.safeParse(node.Spec.Role);
  if (!availability.success || !role.success) {
    throw new CommandError(`node ${node.ID} has an unexpected spec (${node.Spec.Availability}, ${node.Spec.Role})`);
  }
  return { availability: availability.data, role: role.data };
}

export async function updateNode(ctx: ExecutorContext, command: Command<'node.update'>): Promise<NodeUpdateResult> {
  const engine = swarmEngine(ctx);
  for (let attempt = 0; ; attempt++) {
    // the engine wants the version it last saw, and the whole spec
    const node = await nodeOrFail(engine, command.nodeId);
    const current = specOf(node);
    const wanted = { availability: command.availability ?? current.availability, role: command.role ?? current.role };
    if (wanted.availability === current.availability && wanted.role === current.role) return current;
    ctx.progress(`node ${command.nodeId}: ${current.role}/${current.availability} → ${wanted.role}/${wanted.availability}`);
    try {
      await engine.updateNode(node.ID, node.Version.Index, {
        ...node.Spec,
        Availability: wanted.availability,
        Role: wanted.role,
      });
      return wanted;
    } catch (err) {
      // someone else updated the node between our read and our write: read it again
      if (attempt < 3 && err instanceof EngineError && /out of sequence/i.test(err.message)) continue;
      throw err;
    }
  }
}

/** Tasks on the node that are running or starting, whether they are meant to go on running or to stop. */
export function countTasks(tasks: EngineTask[]): { runningTasks: number; stoppingTasks: number } {
  const active = tasks.filter((t) => ACTIVE_STATES.has(t.Status.State));
  const running = active.filter((t) => t.DesiredState === 'running').length;
  return { runningTasks: running, stoppingTasks: active.length - running };
}

export async function nodeStatus(ctx: ExecutorContext, command: Command<'node.status'>): Promise<NodeStatusResult> {
  const engine = swarmEngine(ctx);
  const node = await nodeOrFail(engine, command.nodeId);
  const tasks = await engine.tasksOn(node.ID);
  const manager = node.ManagerStatus;
  return {
    state: node.Status?.State ?? 'unknown',
    ...specOf(node),
    ...(manager
      ? {
          managerStatus: {
            leader: manager.Leader === true,
            reachability: manager.Reachability ?? 'unknown',
            addr: manager.Addr ?? '',
          },
        }
      : {}),
    ...countTasks(tasks),
  };
}

export async function removeNode(
  ctx: ExecutorContext,
  command: Command<'node.remove'>,
  downWaitMs = DOWN_WAIT_MS,
): Promise<NodeRemoveResult> {
  const engine = swarmEngine(ctx);
  const deadline = Date.now() + downWaitMs;
  for (;;) {
    try {
      const removed = await engine.removeNode(command.nodeId, command.force);
      if (removed) ctx.progress(`removed node ${command.nodeId}`);
      return { removed };
    } catch (err) {
      // a node that has just left is seen as down after a moment: wait for that (bounded) instead of failing
      const notDown = err instanceof EngineError && /is not down/i.test(err.message);
      if (!notDown || Date.now() >= deadline) throw err;
      await sleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
    }
  }
}
