import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import {
  AgentCommand,
  NodeRemoveResult,
  NodeStatusResult,
  NodeUpdateResult,
  SwarmJoinTokensResult,
  SwarmLeaveResult,
  SwarmNodeResult,
} from '@wharf/contracts';
import { type LocalProvider, localProvider, type Machine } from '@wharf/providers';
import type Docker from 'dockerode';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHttpImage, REGISTRY } from '../../../../tests/support/engine.js';
import { ip, runNetwork } from '../../../../tests/support/local-network.js';
import { type RegistryRelay, relayRegistry } from '../../../../tests/support/registry-relay.js';
import { DockerRepository } from '../docker/repository.js';
import type { ExecutorContext } from './context.js';
import { executeCommand } from './index.js';
import { trustRootDigest } from './swarm-membership.js';

/*
 * The Swarm membership commands for real: three machines of the `local` provider (network namespaces, each with its
 * own dockerd, on a bridge of this run), driven through the agent's own dispatch with an executor context per
 * machine. Machine 1 starts the Swarm, 2 and 3 join and are promoted (three managers), a service runs a task on
 * each; machine 3 is drained (its task moves), demoted, leaves and is removed. Each command is also run again to
 * show it is idempotent. Needs root. Everything this run made is removed in afterAll, failed or not.
 */

const { hash: runHash, bridge: BRIDGE, subnet: SUBNET, gateway: GATEWAY, stateDir } = runNetwork('agent-swarm', 'ws');
const provider: LocalProvider = localProvider({ stateDir, bridge: BRIDGE, subnet: SUBNET, registry: `${GATEWAY}:5000` });
const log = pino({ level: process.env.AGENT_TEST_LOG ?? 'silent' });
const stopAll = new AbortController();
const CLUSTER = randomUUID();
const SERVICE = `swarm-e2e-${runHash.toString('hex').slice(0, 6)}`;

let relay: RegistryRelay | undefined;
let machines: [Machine, Machine, Machine];
let contexts: [ExecutorContext, ExecutorContext, ExecutorContext];
let progress: string[] = [];

function contextFor(machine: Machine): ExecutorContext {
  return {
    docker: DockerRepository.connect(machine.extra.dockerSocket as string),
    clusterId: CLUSTER,
    log,
    signal: stopAll.signal,
    progress: (m) => progress.push(m),
    sendLogs: async () => ({ continue: true }),
    pollMs: 200,
  };
}

/** A command as the agent gets it (parsed by the protocol's schema), through the agent's dispatch. */
const run = (ctx: ExecutorContext, command: unknown) => executeCommand(ctx, AgentCommand.parse(command));
const engineOf = (ctx: ExecutorContext): Docker => ctx.docker.docker;
const ipOf = (m: Machine) => m.privateIp as string;

async function until<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface NodeView {
  ID: string;
  Spec: { Role: string; Availability: string };
  Status: { State: string; Addr: string };
  ManagerStatus?: { Leader?: boolean; Reachability: string };
  Version: { Index: number };
}
interface TaskView {
  ID: string;
  NodeID?: string;
  Slot?: number;
  DesiredState: string;
  Status: { State: string };
}
const nodeList = async (ctx: ExecutorContext) => (await engineOf(ctx).listNodes()) as NodeView[];
const serviceTasks = async (ctx: ExecutorContext) =>
  (await engineOf(ctx).listTasks({ filters: { service: [SERVICE] } })) as TaskView[];
const runningTasks = (tasks: TaskView[]) => tasks.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');

beforeAll(async () => {
  const requests = [1, 2, 3].map((n) => ({
    // fresh machine keys on every run: a machine made again right after its namesake was deleted may not start
    clientToken: `swarm-${randomBytes(6).toString('hex')}-${n}`,
    tags: { tenant: 't-swarm-e2e', cluster: `c-${CLUSTER.slice(0, 8)}`, host: `h-${n}` },
    name: `wharf-swarm-e2e-${n}`,
    region: 'local',
    instanceType: 'local.small',
    bootstrap: { apiUrl: 'https://wharf.example.com', registrationToken: 'reg_unused', agentPackageUrl: 'https://x/a.tgz' },
  }));
  machines = (await Promise.all(requests.map((r) => provider.create(r)))) as [Machine, Machine, Machine];
  contexts = machines.map(contextFor) as [ExecutorContext, ExecutorContext, ExecutorContext];
  relay = await relayRegistry(GATEWAY, 5000);
}, 120_000);

afterAll(async () => {
  stopAll.abort();
  try {
    await relay?.close();
    await provider.destroyAll();
    expect(existsSync(`/sys/class/net/${BRIDGE}`)).toBe(false);
    expect(execFileSync('iptables', ['-S', 'FORWARD'], { encoding: 'utf8' })).not.toContain(BRIDGE);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
  // the host's own engine network is untouched
  expect(ip('link', 'show', 'docker0')).toContain('docker0');
}, 120_000);

describe('swarm commands on three local machines', () => {
  const ids: string[] = [];
  let tokens: SwarmJoinTokensResult;

  it('starts a Swarm on machine 1; asked again, answers with the same node id', async () => {
    const [m1] = machines;
    const [c1] = contexts;
    progress = [];
    const first = SwarmNodeResult.parse(await run(c1, { kind: 'swarm.init', advertiseAddr: ipOf(m1) }));
    expect(progress).toEqual([`starting a Swarm advertised at ${ipOf(m1)}`]);
    progress = [];
    const again = SwarmNodeResult.parse(await run(c1, { kind: 'swarm.init', advertiseAddr: ipOf(m1) }));
    expect(again).toEqual(first);
    expect(progress).toEqual([]);
    ids.push(first.nodeId);
    const nodes = await nodeList(c1);
    expect(nodes.map((n) => [n.ID, n.Spec.Role, n.Status.Addr])).toEqual([[first.nodeId, 'manager', ipOf(m1)]]);
  });

  it('reads the join tokens from the manager, and refuses to on an engine that is no manager', async () => {
    tokens = SwarmJoinTokensResult.parse(await run(contexts[0], { kind: 'swarm.join-tokens' }));
    expect(tokens.worker).toMatch(/^SWMTKN-1-/);
    expect(tokens.manager).toMatch(/^SWMTKN-1-/);
    expect(tokens.worker).not.toBe(tokens.manager);
    expect(tokens.managerAddr).toBe(`${ipOf(machines[0])}:2377`);
    await expect(run(contexts[1], { kind: 'swarm.join-tokens' })).rejects.toThrow(/not a Swarm manager/);
  });

  it('joins machines 2 and 3 as workers; joining again answers with the same node id', async () => {
    for (const i of [1, 2] as const) {
      const join = { kind: 'swarm.join', remoteAddr: tokens.managerAddr, token: tokens.worker, advertiseAddr: ipOf(machines[i]) };
      const joined = SwarmNodeResult.parse(await run(contexts[i], join));
      ids.push(joined.nodeId);
      // a worker recognises its Swarm by the managers it knows
      expect(SwarmNodeResult.parse(await run(contexts[i], join))).toEqual(joined);
    }
    const nodes = await until(
      async () => {
        const list = await nodeList(contexts[0]);
        return list.length === 3 && list.every((n) => n.Status.State === 'ready') ? list : undefined;
      },
      60_000,
      'three ready nodes',
    );
    expect(nodes.map((n) => n.ID).sort()).toEqual([...ids].sort());
    expect(
      nodes
        .filter((n) => n.Spec.Role === 'worker')
        .map((n) => n.ID)
        .sort(),
    ).toEqual(ids.slice(1).sort());
  });

  it('refuses to start a Swarm on a worker of another one, and to join a Swarm it is not in', async () => {
    await expect(run(contexts[1], { kind: 'swarm.init', advertiseAddr: ipOf(machines[1]) })).rejects.toThrow(
      /already a worker of another Swarm.*must leave it/,
    );
    const elsewhere = { kind: 'swarm.join', remoteAddr: `${GATEWAY.slice(0, -1)}99:2377`, advertiseAddr: ipOf(machines[1]) };
    const foreignToken = `SWMTKN-1-${'0'.repeat(50)}-${'a'.repeat(25)}`;
    await expect(run(contexts[1], { ...elsewhere, token: foreignToken })).rejects.toThrow(/already in another Swarm/);
    // nothing changed
    expect((await nodeList(contexts[0])).length).toBe(3);
  });

  it('refuses malformed commands before they reach an engine', () => {
    expect(() => AgentCommand.parse({ kind: 'swarm.init', advertiseAddr: '1.2.3.4 --force' })).toThrow();
    expect(() => AgentCommand.parse({ kind: 'node.remove', nodeId: '../swarm', force: true })).toThrow();
    expect(() =>
      AgentCommand.parse({ kind: 'swarm.join', remoteAddr: '10.0.0.1', advertiseAddr: '10.0.0.2', token: 'nope' }),
    ).toThrow();
  });

  it('promotes machines 2 and 3: three managers, a leader and two reachable; promoting again changes nothing', async () => {
    const [c1] = contexts;
    for (const id of ids.slice(1)) {
      const result = NodeUpdateResult.parse(await run(c1, { kind: 'node.update', nodeId: id, role: 'manager' }));
      expect(result).toEqual({ availability: 'active', role: 'manager' });
    }
    const managers = await until(
      async () => {
        const list = await nodeList(c1);
        const ready = list.filter((n) => n.Status.State === 'ready' && n.Spec.Role === 'manager' && n.ManagerStatus);
        const leaders = ready.filter((n) => n.ManagerStatus?.Leader === true);
        const reachable = ready.filter((n) => n.ManagerStatus?.Reachability === 'reachable');
        return ready.length === 3 && leaders.length === 1 && reachable.length === 3 ? list : undefined;
      },
      60_000,
      'three reachable managers',
    );
    const leader = managers.find((n) => n.ManagerStatus?.Leader);
    expect(leader?.ID).toBe(ids[0]);
    expect(managers.filter((n) => n.ID !== ids[0]).map((n) => n.ManagerStatus?.Leader ?? false)).toEqual([false, false]);

    const before = managers.find((n) => n.ID === ids[1])?.Version.Index;
    expect(NodeUpdateResult.parse(await run(c1, { kind: 'node.update', nodeId: ids[1], role: 'manager' }))).toEqual({
      availability: 'active',
      role: 'manager',
    });
    expect(
      (
        await engineOf(c1)
          .getNode(ids[1] ?? '')
          .inspect()
      ).Version.Index,
    ).toBe(before);

    const status = NodeStatusResult.parse(await run(c1, { kind: 'node.status', nodeId: ids[2] }));
    expect(status).toMatchObject({
      state: 'ready',
      availability: 'active',
      role: 'manager',
      managerStatus: { leader: false, reachability: 'reachable', addr: `${ipOf(machines[2])}:2377` },
    });
    // a manager recognises its Swarm by its root CA, which the (manager or worker) join token names
    const trustRoot = await until(
      async () => {
        const info = (await engineOf(contexts[2]).info()) as { Swarm: { Cluster?: { TLSInfo?: { TrustRoot?: string } } } };
        return info.Swarm.Cluster?.TLSInfo?.TrustRoot;
      },
      30_000,
      'machine 3 to see itself as a manager',
    );
    const digest = trustRootDigest(trustRoot);
    expect([tokens.worker.split('-')[2], tokens.manager.split('-')[2]]).toEqual([digest, digest]);
    const join = { kind: 'swarm.join', remoteAddr: tokens.managerAddr, token: tokens.worker, advertiseAddr: ipOf(machines[2]) };
    expect(SwarmNodeResult.parse(await run(contexts[2], join))).toEqual({ nodeId: ids[2] });
    // and any manager now hands out the join tokens
    expect(SwarmJoinTokensResult.parse(await run(contexts[2], { kind: 'swarm.join-tokens' }))).toEqual({
      ...tokens,
      managerAddr: `${ipOf(machines[2])}:2377`,
    });
  });

  let movedSlot: number | undefined;
  it('runs a service with a task on every machine, pulled from the registry over the bridge', async () => {
    if (!relay) throw new Error('no registry relay');
    const image = (await ensureHttpImage()).replace(REGISTRY, relay.addr);
    await engineOf(contexts[0]).createService({
      Name: SERVICE,
      TaskTemplate: { ContainerSpec: { Image: image, StopGracePeriod: 1_000_000_000 }, Placement: { MaxReplicas: 2 } },
      Mode: { Replicated: { Replicas: 3 } },
    });
    const tasks = await until(
      async () => {
        const running = runningTasks(await serviceTasks(contexts[0]));
        return running.length === 3 ? running : undefined;
      },
      90_000,
      'three running tasks',
    );
    // spread: one each
    expect(new Set(tasks.map((t) => t.NodeID)).size).toBe(3);
    movedSlot = tasks.find((t) => t.NodeID === ids[2])?.Slot;
    expect(movedSlot).toEqual(expect.any(Number));
    const status = NodeStatusResult.parse(await run(contexts[0], { kind: 'node.status', nodeId: ids[2] }));
    expect(status).toMatchObject({ runningTasks: 1, stoppingTasks: 0 });
  });

  it('drains machine 3: its running tasks reach 0 and its task moves to another machine', async () => {
    const [c1] = contexts;
    const drained = NodeUpdateResult.parse(await run(c1, { kind: 'node.update', nodeId: ids[2], availability: 'drain' }));
    expect(drained).toEqual({ availability: 'drain', role: 'manager' });
    const seen: NodeStatusResult[] = [];
    await until(
      async () => {
        const status = NodeStatusResult.parse(await run(c1, { kind: 'node.status', nodeId: ids[2] }));
        seen.push(status);
        return status.runningTasks === 0 && status.stoppingTasks === 0 ? status : undefined;
      },
      60_000,
      'machine 3 drained',
    );
    // the task is told to stop at once (runningTasks 0) but its container takes a moment: stoppingTasks says so
    expect(seen.some((x) => x.runningTasks === 0 && x.stoppingTasks === 1) || seen.length === 1).toBe(true);
    expect(seen.at(-1)).toMatchObject({ state: 'ready', availability: 'drain', role: 'manager' });
    const running = await until(
      async () => {
        const list = runningTasks(await serviceTasks(c1));
        return list.length === 3 ? list : undefined;
      },
      60_000,
      'the service back at three running tasks',
    );
    expect(running.some((t) => t.NodeID === ids[2])).toBe(false);
    const moved = running.find((t) => t.Slot === movedSlot);
    expect([ids[0], ids[1]]).toContain(moved?.NodeID);
    // draining again: the node is left as it is
    expect(NodeUpdateResult.parse(await run(c1, { kind: 'node.update', nodeId: ids[2], availability: 'drain' }))).toEqual(
      drained,
    );
  });

  it('demotes machine 3, which then leaves the Swarm; leaving again is no error', async () => {
    const [c1, , c3] = contexts;
    expect(NodeUpdateResult.parse(await run(c1, { kind: 'node.update', nodeId: ids[2], role: 'worker' }))).toEqual({
      availability: 'drain',
      role: 'worker',
    });
    await until(
      async () => {
        const status = NodeStatusResult.parse(await run(c1, { kind: 'node.status', nodeId: ids[2] }));
        return status.managerStatus === undefined ? status : undefined;
      },
      30_000,
      'machine 3 out of the managers',
    );
    // a worker leaves without force (once its engine knows it is no manager any more)
    const left = await until(
      async () => SwarmLeaveResult.parse(await run(c3, { kind: 'swarm.leave', force: false })),
      30_000,
      'machine 3 to leave',
    );
    expect(left).toEqual({ left: true });
    expect(SwarmLeaveResult.parse(await run(c3, { kind: 'swarm.leave', force: false }))).toEqual({ left: false });
    expect(((await engineOf(c3).info()) as { Swarm: { LocalNodeState: string } }).Swarm.LocalNodeState).toBe('inactive');
  });

  it('removes machine 3 from the node list; removing it again answers removed: false', async () => {
    const [c1] = contexts;
    expect(NodeRemoveResult.parse(await run(c1, { kind: 'node.remove', nodeId: ids[2], force: false }))).toEqual({
      removed: true,
    });
    expect(NodeRemoveResult.parse(await run(c1, { kind: 'node.remove', nodeId: ids[2], force: false }))).toEqual({
      removed: false,
    });
    const nodes = await nodeList(c1);
    expect(nodes.map((n) => n.ID).sort()).toEqual(ids.slice(0, 2).sort());
    expect(nodes.every((n) => n.Status.State === 'ready' && n.Spec.Role === 'manager')).toBe(true);
    await expect(run(c1, { kind: 'node.status', nodeId: ids[2] })).rejects.toThrow(/no node .* in this Swarm/);
    // the two machines left still run the service
    expect(runningTasks(await serviceTasks(c1)).length).toBe(3);
  });
});
