import { LIVE_HOST_STATES } from '@wharf/contracts';
import type { HostState, HostView } from '@wharf/db';
import type { MachineState } from '@wharf/providers';

/*
 * The decisions of the host workflow, as pure functions of what is persisted (the host, its cluster's hosts, the
 * machine the provider reports): the processors read, decide here, act, and record. A resumed job decides again
 * from the rows and lands on the same step.
 */

/** What a `host.provision` run does for a host in its current state. */
export type ProvisionStep =
  | { kind: 'create' }
  | { kind: 'await-running' }
  | { kind: 'await-agent' }
  | { kind: 'join' }
  | { kind: 'done' }
  /** The host is on its way out, failed or gone: provisioning is over, whatever it reached. */
  | { kind: 'stop' };

export function provisionStep(state: HostState): ProvisionStep {
  switch (state) {
    case 'requested':
    case 'creating':
      return { kind: 'create' };
    case 'booting':
      return { kind: 'await-running' };
    case 'bootstrapping':
      return { kind: 'await-agent' };
    case 'joining':
      return { kind: 'join' };
    case 'ready':
      return { kind: 'done' };
    default:
      return { kind: 'stop' };
  }
}

/** A booting machine: wait, go on, or give up. */
export function bootDecision(
  machine: { state: MachineState } | undefined,
  waitedMs: number,
  timeoutMs: number,
): { kind: 'running' } | { kind: 'wait' } | { kind: 'fail'; reason: string } {
  if (!machine) return { kind: 'fail', reason: 'the machine disappeared at the provider while booting' };
  if (machine.state === 'running') return { kind: 'running' };
  if (machine.state === 'pending' || machine.state === 'unknown') {
    if (waitedMs >= timeoutMs)
      return { kind: 'fail', reason: `the machine was not running after ${Math.round(timeoutMs / 1000)} s` };
    return { kind: 'wait' };
  }
  return { kind: 'fail', reason: `the machine is ${machine.state} instead of running` };
}

/** How a joining host gets into its cluster's Swarm. */
export type JoinPlan =
  /** Already in the Swarm (a swarm.init or swarm.join result was recorded): finish. */
  | { kind: 'joined' }
  /** The cluster's first host: it creates the Swarm. */
  | { kind: 'init' }
  /** Join through a ready manager's agent (join tokens from it, then swarm.join on the host's own agent). */
  | { kind: 'join'; via: HostView }
  /** An older host is still on its way to creating the Swarm: look again later. */
  | { kind: 'wait' };

/**
 * The first live host of a cluster (the oldest) creates the Swarm; the others join through a ready manager. Only
 * one host can be the oldest, so two hosts joining at once never create two Swarms.
 */
export function joinPlan(host: HostView, clusterHosts: readonly HostView[]): JoinPlan {
  if (host.swarmNodeId) return { kind: 'joined' };
  const others = clusterHosts.filter((h) => h.id !== host.id);
  const manager = others.find((h) => h.state === 'ready' && h.swarmRole === 'manager' && h.agentId && h.privateIp);
  if (manager) return { kind: 'join', via: manager };
  const live = [host, ...others.filter((h) => LIVE_HOST_STATES.includes(h.state))].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  );
  return live[0]?.id === host.id ? { kind: 'init' } : { kind: 'wait' };
}

/** Managers a cluster aims for: 3 once it has 3 ready hosts (Raft tolerates one loss), 1 before. */
export const TARGET_MANAGERS = 3;

/**
 * The ready workers to promote so that a cluster of ≥ 3 ready hosts has 3 managers: the oldest first (the same ones
 * whichever host's job decides).
 */
export function promotions(clusterHosts: readonly HostView[]): HostView[] {
  const ready = clusterHosts
    .filter((h) => h.state === 'ready' && h.swarmNodeId)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  if (ready.length < TARGET_MANAGERS) return [];
  const managers = ready.filter((h) => h.swarmRole === 'manager').length;
  if (managers >= TARGET_MANAGERS) return [];
  return ready.filter((h) => h.swarmRole !== 'manager').slice(0, TARGET_MANAGERS - managers);
}

/** What a `host.deprovision` run does for a host in its current state. */
export type DeprovisionStep =
  /** Nothing was created yet: the host ends right away. */
  | { kind: 'end-now' }
  /** No Swarm node to drain: straight to terminating the machine. */
  | { kind: 'terminate' }
  | { kind: 'drain' }
  | { kind: 'await-drained' }
  | { kind: 'leave' }
  | { kind: 'delete-machine' }
  | { kind: 'done' };

export function deprovisionStep(host: Pick<HostView, 'state' | 'swarmNodeId'>): DeprovisionStep {
  switch (host.state) {
    case 'requested':
      return { kind: 'end-now' };
    case 'creating':
    case 'booting':
    case 'bootstrapping':
    case 'failed':
      return { kind: 'terminate' };
    case 'joining':
    case 'ready':
      return host.swarmNodeId ? { kind: 'drain' } : { kind: 'terminate' };
    case 'draining':
      return { kind: 'await-drained' };
    case 'leaving':
      return { kind: 'leave' };
    case 'terminating':
      return { kind: 'delete-machine' };
    case 'terminated':
      return { kind: 'done' };
  }
}

/** A drain is over when no task of the node runs or is still stopping. */
export function drained(status: { runningTasks: number; stoppingTasks: number }): boolean {
  return status.runningTasks + status.stoppingTasks === 0;
}

/** How a host leaves the Swarm, given the cluster's other ready managers. */
export interface LeavePlan {
  /** A manager is demoted first (through another manager), so the Raft quorum shrinks cleanly. */
  demote: boolean;
  /** The last node (no other manager): its engine leaves with force, and there is no node list to clean. */
  force: boolean;
  /** The manager that removes the node from the node list (and demotes it); undefined for the last node. */
  via: HostView | undefined;
}

export function leavePlan(host: HostView, clusterHosts: readonly HostView[]): LeavePlan {
  const via = managerOtherThan(host, clusterHosts);
  if (!via) return { demote: false, force: true, via: undefined };
  return { demote: host.swarmRole === 'manager', force: false, via };
}

/** A ready manager of the cluster other than `host`, with an agent to address. */
export function managerOtherThan(host: HostView, clusterHosts: readonly HostView[]): HostView | undefined {
  return clusterHosts.find(
    (h) =>
      h.id !== host.id &&
      h.swarmRole === 'manager' &&
      h.agentId &&
      h.swarmNodeId &&
      (h.state === 'ready' || h.state === 'joining'),
  );
}
