import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '@wharf/contracts';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHosts, startLocalHosts, until } from '../support/local-hosts.js';

/*
 * Crashes of the host workflow, for real on the `local` provider: the worker process (apps/worker/dist/main.js) is
 * killed with SIGKILL while a host is `creating` (the provider's create half done), and while a second host is
 * `joining` a one-host cluster (its swarm.join command sent); a worker started again takes the stalled job over
 * (LOCK_DURATION_MS 3 s) and each host ends `ready` with exactly one machine, one engine and one agent, and one Swarm
 * node. Needs root, iproute2, iptables, dockerd.
 */

let h: LocalHosts;

/** The local provider's record of a machine (libs/providers/src/local/records.ts), as far as this spec reads it. */
interface MachineRecord {
  id: string;
  key: string;
  phase: 'creating' | 'created' | 'deleting';
  netns: string;
  tags: { host: string };
  dockerdPid?: number;
}

/** The provider's records of the host's machines, read from its state directory (a test's view, no lock taken). */
function recordsOf(hostId: string): MachineRecord[] {
  const dir = path.join(h.stateDir, 'machines');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^[0-9a-f]{10}\.json$/.test(f))
    .flatMap((f) => {
      try {
        return [JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as MachineRecord];
      } catch {
        return []; // being replaced (write + rename) just now
      }
    })
    .filter((r) => r.tags.host === hostId);
}

/** Processes of a machine: its engines (dockerd with the machine's socket) and its agents (their state file). */
function processesOf(key: string): { engines: number[]; agents: number[] } {
  const dir = path.join(h.stateDir, 'm', key);
  const engines: number[] = [];
  const agents: number[] = [];
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (cmdline[0]?.endsWith('dockerd') && cmdline.includes(`unix://${dir}/docker.sock`)) engines.push(Number(p));
      const environ = readFileSync(`/proc/${p}/environ`, 'utf8').split('\0');
      if (environ.includes(`WHARF_AGENT_STATE=${dir}/agent-state.json`)) agents.push(Number(p));
    } catch {
      // the process ended while being read
    }
  }
  return { engines, agents };
}

const hostRow = async (id: string) =>
  (
    await h.t.owner.query<{ state: string; machine_id: string | null; swarm_node_id: string | null }>(
      'select state, machine_id, swarm_node_id from hosts where id = $1',
      [id],
    )
  ).rows[0];

/**
 * The host ended with exactly one of everything: one machine carrying its tag at the provider (list by tags), one
 * record and one machine directory in the state directory, one namespace, one engine and one agent.
 */
async function expectOneMachine(host: Host): Promise<string> {
  const tagged = (await h.machines.list('local', { tenant: h.owner.tenant.id, cluster: h.cluster })).filter(
    (m) => m.tags.host === host.id,
  );
  expect(tagged.map((m) => m.id)).toEqual([host.machineId]);
  expect(tagged[0]?.state).toBe('running');
  const [record, ...more] = recordsOf(host.id);
  expect(more).toEqual([]);
  expect(record).toMatchObject({ id: host.machineId, phase: 'created' });
  const key = record?.key ?? '';
  expect(readdirSync('/run/netns').filter((n) => n === `wharf-${key}`)).toHaveLength(1);
  const { engines, agents } = processesOf(key);
  expect(engines, 'engines of the machine').toHaveLength(1);
  expect(agents, 'agents of the machine').toHaveLength(1);
  return key;
}

/** The run's machines: every directory and record of the state directory belongs to a host's one machine. */
async function expectNoOrphans(hosts: readonly Host[]): Promise<void> {
  const keys = readdirSync(path.join(h.stateDir, 'm')).sort();
  const recorded = readdirSync(path.join(h.stateDir, 'machines'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  expect(keys).toEqual(recorded);
  expect(keys).toHaveLength(hosts.length);
  expect(readdirSync(path.join(h.stateDir, 'leases'))).toHaveLength(hosts.length);
  expect((await h.machines.list('local')).map((m) => m.id).sort()).toEqual(hosts.map((x) => x.machineId).sort());
}

beforeAll(async () => {
  h = await startLocalHosts('hosts-crash', 'wc', { ownerName: 'Hosts Crash' });
}, 120_000);

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.log(h?.machineLogs());
});

afterAll(async () => {
  // the worker, the relay, every machine (destroyAll), the bridge and its rules, the API; throws if anything is left
  await h?.stop();
}, 120_000);

/**
 * Kills the worker while the host is `creating`, its provider call half done. The local provider writes the machine's
 * record (phase `creating`) before it builds anything, and the engine's pid into it as soon as it spawned dockerd,
 * before waiting for the engine to answer (≥ 0.5 s here). The kill is sent when the host row says `creating` and that
 * record has an engine pid. Once the worker is gone the row and the record are read again to prove where the kill
 * landed: the host still `creating` with no machine id, the record still `creating` (nobody finished the create).
 * Answers the pid of the engine the killed worker started.
 */
async function killWhileCreating(hostId: string): Promise<number> {
  const engine = await until(
    async () => {
      const record = recordsOf(hostId)[0];
      const row = await hostRow(hostId);
      return row?.state === 'creating' && record?.phase === 'creating' && record.dockerdPid ? record.dockerdPid : undefined;
    },
    60_000,
    'the host creating with its engine starting',
    10,
  );
  await h.worker.kill();
  expect(await hostRow(hostId)).toMatchObject({ state: 'creating', machine_id: null });
  expect(recordsOf(hostId)).toMatchObject([{ phase: 'creating', dockerdPid: engine }]);
  return engine;
}

/**
 * Kills the worker while the host is `joining`, its swarm.join under way. The API moves the host to `joining` when
 * its agent registers; the worker then asks a ready manager for the join tokens, sends `swarm.join` to the host's
 * agent (command `host-<id>-swarm-join`) and records the node only once the agent answered. The kill is sent when the
 * row says `joining` and that command exists; once the worker is gone the row is read again: still `joining`, no
 * Swarm node recorded. Answers the command's key.
 */
async function killWhileJoining(hostId: string): Promise<string> {
  const joinKey = `host-${hostId}-swarm-join`;
  await until(
    async () => {
      const row = await hostRow(hostId);
      const sent = await h.t.owner.query('select 1 from agent_commands where idempotency_key = $1', [joinKey]);
      return row?.state === 'joining' && sent.rowCount === 1 ? true : undefined;
    },
    120_000,
    'the host joining with its swarm.join sent',
    10,
  );
  await h.worker.kill();
  expect(await hostRow(hostId)).toMatchObject({ state: 'joining', swarm_node_id: null });
  return joinKey;
}

describe('the worker killed in the middle of the host workflow', () => {
  let first: Host;
  let second: Host;

  it('killed while a host is creating: after a restart the host is ready with one machine', async () => {
    const requested = await h.request('c1');
    const engine = await killWhileCreating(requested.id);
    h.worker.start();
    first = await h.inState(requested.id, 'ready', 180_000);
    expect(first).toMatchObject({ swarmRole: 'manager' });
    const key = await expectOneMachine(first);
    // the engine the killed worker had started was adopted (found by its pid), not started a second time
    expect(processesOf(key).engines).toEqual([engine]);
    await expectNoOrphans([first]);
  }, 240_000);

  it('killed while a second host is joining: after a restart it is ready, one node of the one Swarm', async () => {
    const requested = await h.request('c2');
    const joinKey = await killWhileJoining(requested.id);
    h.worker.start();
    second = await h.inState(requested.id, 'ready', 180_000);
    expect(second).toMatchObject({ swarmRole: 'worker' });
    const nodeId = (await hostRow(second.id))?.swarm_node_id;
    await expectOneMachine(second);
    // the join was one command, run once, not a second one after the restart
    const commands = await h.t.owner.query<{ state: string }>('select state from agent_commands where idempotency_key = $1', [
      joinKey,
    ]);
    expect(commands.rows).toEqual([{ state: 'succeeded' }]);
    // one Swarm of two nodes, each host's address once
    const m = await h.machines.observe('local', first.machineId ?? '');
    const nodes = await new Docker({ socketPath: m?.extra.dockerSocket as string }).listNodes();
    expect(nodes.map((n) => n.Status?.Addr).sort()).toEqual([first.privateIp, second.privateIp].sort());
    expect(nodes.find((n) => n.Status?.Addr === second.privateIp)?.ID).toBe(nodeId);
    await expectNoOrphans([first, second]);
  }, 300_000);

  it("killed twice in one host's provisioning (creating, then joining): it ends ready, or failed with nothing left", async () => {
    const requested = await h.request('c3');
    await killWhileCreating(requested.id);
    h.worker.start();
    await killWhileJoining(requested.id);
    h.worker.start();
    // BullMQ fails a job that stalled twice (maxStalledCount 1) whatever attempts it has left: the host must still
    // end, with its machine deleted, rather than stay `joining` with no job behind it
    const ended = await until(
      async () => {
        const x = await h.get(requested.id);
        return x.state === 'ready' || x.state === 'failed' ? x : undefined;
      },
      180_000,
      'the host ready or failed',
      200,
    );
    if (ended.state === 'ready') {
      await expectOneMachine(ended);
      await expectNoOrphans([first, second, ended]);
      return;
    }
    expect(ended.failure).toMatch(/stalled/);
    const tagged = await h.machines.list('local', { tenant: h.owner.tenant.id, cluster: h.cluster });
    expect(tagged.filter((m) => m.tags.host === ended.id)).toEqual([]);
    expect(recordsOf(ended.id)).toEqual([]);
    const agents = await h.t.owner.query('select revoked_at from agents where host_id = $1', [ended.id]);
    expect(agents.rows.every((a: { revoked_at: Date | null }) => a.revoked_at !== null)).toBe(true);
    await expectNoOrphans([first, second]);
  }, 360_000);
});
