import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProviderError } from '../errors.js';
import type {
  AccountIdentity,
  CreateMachineRequest,
  InstanceType,
  Machine,
  MachineImage,
  MachineProvider,
  MachineState,
  Region,
  WharfTags,
} from '../types.js';
import { HostNetwork } from './network.js';
import { type LocalAgentLauncher, type LocalEdgeLauncher, MachineProcesses } from './processes.js';
import { keyOf, type MachineRecord, parseSubnet, RecordStore, SAFE_ID, type Subnet } from './records.js';
import { netnsExists, pingEngine, removeCgroups, unmountAll } from './system.js';

export type { LocalAgentLauncher, LocalEdgeLauncher } from './processes.js';

/*
 * The `local` provider, Wharf's embedded default: a machine is a network namespace of this machine with its own
 * Docker engine on a bridge, so the whole host lifecycle (create, bootstrap, join a Swarm, delete) runs for real on
 * one box. Needs root, iproute2, iptables, nsenter and dockerd. Each engine runs in the host's mount namespace with
 * its own data root, exec root, socket and cgroup parent, all under the machine's directory.
 * The bridge, namespaces and veth pairs: network.ts; the engine and agent processes: processes.ts; what is kept on
 * disk: records.ts.
 */

export const LOCAL_REGION = 'local';
export const LOCAL_INSTANCE_TYPE = 'local.small';
const IMAGE = 'host';

/** The one size of a local machine: it shares this machine's CPUs and memory. */
export function localInstanceType(): InstanceType {
  return { id: LOCAL_INSTANCE_TYPE, vcpus: os.cpus().length, memoryMiB: Math.floor(os.totalmem() / 1024 / 1024) };
}

export interface LocalProviderOptions {
  /** Machine records, engine data roots, sockets and logs (absolute; short: sockets live under it). */
  stateDir: string;
  /** The host bridge machines are plugged into (default `wharfbr0`). */
  bridge?: string;
  /** An a.b.c.0/24 network (default 10.213.0.0/24): the bridge takes .1, machines .11 onwards. */
  subnet?: string;
  /** A plain-HTTP registry the engines may pull from (`--insecure-registry`), reachable from the bridge. */
  registry?: string;
  /** Starts an agent in each machine once its engine answers. */
  agent?: LocalAgentLauncher;
  /** Starts an edge proxy (Caddy) in each machine, which its agent configures (the agent is told where). */
  edge?: LocalEdgeLauncher;
  /** How long an engine may take to answer its first ping (default 30 s). */
  engineStartMs?: number;
  /** The region this provider's machines are in (default `local`): one provider, one bridge, one "datacenter". */
  region?: string;
  /**
   * A datacenter the control plane cannot dial into: this machine opens no connection to the machines (only answers
   * theirs: the agent's outbound connection, the registry relay), and no traffic crosses between the bridge and any
   * other interface. Machines still reach the host's own addresses.
   */
  isolated?: boolean;
}

export interface LocalProvider extends MachineProvider {
  readonly kind: 'local';
  readonly region: string;
  readonly stateDir: string;
  readonly bridge: string;
  /** The bridge's own address (`.1`): how machines reach services of this machine. */
  readonly gateway: string;
  /** The bridge with its address, up (what machines are plugged into; services relayed to them listen on it). */
  ensureNetwork(): Promise<void>;
  /** Deletes every machine of the state directory, then the bridge and iptables rules if this provider added them. */
  destroyAll(): Promise<void>;
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const REGISTRY = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;
const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;

function invalid(message: string): ProviderError {
  return new ProviderError('invalid', message, 'LocalInvalidParameter');
}

export function localProvider(options: LocalProviderOptions): LocalProvider {
  const stateDir = path.resolve(options.stateDir);
  // the engine's containerd socket is the longest path under it: <stateDir>/m/<key>/run/containerd/containerd-debug.sock
  if (stateDir.length > 60)
    throw invalid(`stateDir ${stateDir} is too long for the engines' unix sockets (60 characters at most)`);
  const bridge = options.bridge ?? 'wharfbr0';
  if (!IFNAME.test(bridge)) throw invalid(`bridge name ${bridge} is not a valid interface name`);
  const subnet: Subnet = parseSubnet(options.subnet ?? '10.213.0.0/24');
  const gateway = `${subnet.prefix}.1`;
  const registry = options.registry;
  if (registry !== undefined && !REGISTRY.test(registry)) throw invalid(`registry ${registry} is not a host:port`);
  if (options.agent && options.agent.command.length === 0) throw invalid('agent command is empty');
  const engineStartMs = options.engineStartMs ?? 30_000;
  const region = options.region ?? LOCAL_REGION;
  if (!REGION.test(region)) throw invalid(`region ${region} is not a region id (lowercase letters, digits, hyphens)`);

  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const store = new RecordStore(stateDir, subnet);
  const network = new HostNetwork(stateDir, bridge, gateway, options.isolated ?? false);
  const processes = new MachineProcesses(store, {
    registry,
    engineStartMs,
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.edge ? { edge: options.edge } : {}),
  });

  // one create/delete at a time per machine, one network change at a time (within this process)
  const locks = new Map<string, Promise<unknown>>();
  function locked<T>(name: string, work: () => Promise<T>): Promise<T> {
    const before = locks.get(name) ?? Promise.resolve();
    const next = before.then(work, work);
    const settled = next.catch(() => undefined);
    locks.set(name, settled);
    void settled.then(() => {
      if (locks.get(name) === settled) locks.delete(name);
    });
    return next;
  }

  function validate(request: CreateMachineRequest): void {
    if (!SAFE_ID.test(request.clientToken)) throw invalid('the client token may hold only letters, digits, _ and - (64 at most)');
    for (const key of ['tenant', 'cluster', 'host'] as const) {
      const value = request.tags?.[key];
      if (typeof value !== 'string' || !SAFE_ID.test(value))
        throw invalid(`the ${key} tag may hold only letters, digits, _ and - (64 at most)`);
    }
    if (request.region !== region) throw invalid(`unknown region ${request.region} (this local provider has "${region}")`);
    if (request.instanceType !== LOCAL_INSTANCE_TYPE) throw invalid(`unknown instance type ${request.instanceType}`);
    if (request.image !== undefined && request.image !== IMAGE) throw invalid(`unknown image ${request.image}`);
    if (typeof request.name !== 'string' || request.name.length > 128 || hasControl(request.name))
      throw invalid('the machine name must be at most 128 printable characters');
    for (const [name, value] of [
      ['apiUrl', request.bootstrap?.apiUrl],
      ['registrationToken', request.bootstrap?.registrationToken],
    ] as const) {
      if (typeof value !== 'string' || value.length > 2048 || hasControl(value))
        throw invalid(`bootstrap ${name} is missing or malformed`);
    }
  }

  // ── reading a machine back ──

  async function stateOf(record: MachineRecord): Promise<MachineState> {
    if (record.phase === 'deleting') return 'terminating';
    const paths = store.paths(record.key);
    if (record.phase === 'creating') return 'pending';
    if (!netnsExists(record.netns)) return 'stopped';
    const pid = processes.enginePid(record, paths);
    if (pid === undefined) return 'stopped';
    return (await pingEngine(paths.socket)) ? 'running' : 'unknown';
  }

  async function toMachine(record: MachineRecord): Promise<Machine> {
    const paths = store.paths(record.key);
    return {
      id: record.id,
      state: await stateOf(record),
      region: record.region,
      instanceType: record.instanceType,
      privateIp: record.address,
      tags: { ...record.tags },
      createdAt: record.createdAt,
      extra: {
        name: record.name,
        netns: record.netns,
        bridge,
        dockerSocket: paths.socket,
        dataRoot: paths.dataRoot,
        dockerdPid: record.dockerdPid,
        agentPid: record.agentPid,
        edgePid: record.edgePid,
      },
    };
  }

  // ── delete ──

  /** Tears down everything of machine `key`, from its record when there is one, from its derived names when not. */
  async function teardown(key: string): Promise<void> {
    const record = store.read(key);
    const paths = store.paths(key);
    const netns = record?.netns ?? `wharf-${key}`;
    const vethHost = record?.vethHost ?? `wh${key}h`;
    const cgroup = record?.cgroup ?? `/wharf-${key}`;
    if (record && record.phase !== 'deleting') {
      record.phase = 'deleting';
      store.write(record);
    }

    await processes.stopAll(key, record, paths, { netns, cgroup });
    await unmountAll(paths.dir);
    await network.removeMachine(netns, vethHost);
    removeCgroups(cgroup.slice(1));
    rmSync(paths.dir, { recursive: true, force: true });
    store.release(key);
    store.remove(key);
  }

  const provider: LocalProvider = {
    kind: 'local',
    region,
    stateDir,
    bridge,
    gateway,

    async verify(): Promise<AccountIdentity> {
      return { account: 'local', principal: os.hostname() };
    },

    ensureNetwork: () => locked('network', () => network.ensureBridge()),

    async regions(): Promise<Region[]> {
      return [{ id: region, name: region === LOCAL_REGION ? 'This machine' : `This machine: ${region}` }];
    },

    async instanceTypes(asked: string): Promise<InstanceType[]> {
      if (asked !== region) throw invalid(`unknown region ${asked}`);
      return [localInstanceType()];
    },

    async images(asked: string): Promise<MachineImage[]> {
      if (asked !== region) throw invalid(`unknown region ${asked}`);
      return [{ id: IMAGE, name: 'the host’s Docker' }];
    },

    async create(request: CreateMachineRequest): Promise<Machine> {
      validate(request);
      const key = store.keyFor(request.clientToken);
      return locked(key, async () => {
        const record = store.reserve({
          clientToken: request.clientToken,
          name: request.name,
          region: request.region,
          instanceType: request.instanceType,
          tags: request.tags,
        });
        if (record.phase !== 'creating') return toMachine(record);
        const paths = store.paths(key);
        mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
        // the steps of a create; each one checks before it acts, so a create after a crash redoes only what is missing
        await locked('network', () => network.ensureBridge());
        await network.ensureNamespace(record);
        await network.ensureLink(record);
        await processes.ensureEngine(record, paths);
        processes.ensureEdge(record, paths);
        processes.ensureAgent(record, paths, request.bootstrap);
        record.phase = 'created';
        store.write(record);
        return toMachine(record);
      });
    },

    async observe(asked: string, id: string): Promise<Machine | undefined> {
      const key = keyOf(id);
      if (asked !== region || key === undefined) return undefined;
      const record = store.read(key);
      return record ? toMachine(record) : undefined;
    },

    async delete(asked: string, id: string): Promise<void> {
      const key = keyOf(id);
      if (asked !== region || key === undefined) return;
      await locked(key, () => teardown(key));
    },

    async list(asked: string, filter?: Partial<Pick<WharfTags, 'tenant' | 'cluster'>>): Promise<Machine[]> {
      if (asked !== region) return [];
      const records = store
        .all()
        .filter((r) => r.region === region)
        .filter((r) => filter?.tenant === undefined || r.tags.tenant === filter.tenant)
        .filter((r) => filter?.cluster === undefined || r.tags.cluster === filter.cluster)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      return Promise.all(records.map(toMachine));
    },

    async destroyAll(): Promise<void> {
      const keys = new Set([...store.all().map((r) => r.key), ...store.directoryKeys()]);
      const failures: unknown[] = [];
      for (const key of keys) {
        await locked(key, () => teardown(key)).catch((err: unknown) => failures.push(err));
      }
      await locked('network', () => network.removeBridge());
      if (failures.length > 0) throw failures[0];
    },
  };
  return provider satisfies MachineProvider;
}

/** Control characters (NUL, newlines, escapes): never part of a name, a URL or a token Wharf made. */
function hasControl(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}
