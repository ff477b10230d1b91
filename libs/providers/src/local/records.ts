import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ProviderError } from '../errors.js';
import type { WharfTags } from '../types.js';

/*
 * What the local provider keeps on disk, all under its state directory:
 *   machines/<key>.json   one record per machine, keyed by a short hash of the client token (the idempotency key)
 *   leases/<address>      one file per address in use, holding the key of its machine (created O_EXCL: no two
 *                         machines ever get the same address, even from two processes)
 *   m/<key>/              the machine's directory: engine data and exec roots, socket, pid file, logs, agent state
 *   network.json          what the provider added to the host (the bridge, iptables rules), to undo exactly that
 * Every name of a machine (netns, veth, cgroup) derives from the key, never from the request's text.
 */

/** Wharf ids that become part of names and paths. */
export const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type MachinePhase = 'creating' | 'created' | 'deleting';

export interface MachineRecord {
  id: string;
  key: string;
  phase: MachinePhase;
  /** sha256 of the client token (the token itself is not kept). */
  tokenHash: string;
  name: string;
  region: string;
  instanceType: string;
  tags: WharfTags;
  address: string;
  /** The engine's own bridge (`--bip`), unique per machine of a subnet. */
  bip: string;
  netns: string;
  vethHost: string;
  vethNs: string;
  /** `/wharf-<key>`, the engine's `--cgroup-parent`. */
  cgroup: string;
  createdAt: string;
  dockerdPid?: number;
  agentPid?: number;
  edgePid?: number;
}

/** The paths of a machine's directory. */
export interface MachinePaths {
  dir: string;
  dataRoot: string;
  execRoot: string;
  socket: string;
  pidfile: string;
  config: string;
  engineLog: string;
  agentLog: string;
  agentState: string;
  /** The edge proxy's (Caddy's) bootstrap config, its log and its home (autosave, storage). */
  edgeConfig: string;
  edgeLog: string;
  edgeHome: string;
}

export const ID_PREFIX = 'local-';
const KEY = /^[0-9a-f]{10}$/;

/** The key of a machine id (`local-<key>`), or undefined when the id is not one of this provider's. */
export function keyOf(id: string): string | undefined {
  if (!id.startsWith(ID_PREFIX)) return undefined;
  const key = id.slice(ID_PREFIX.length);
  return KEY.test(key) ? key : undefined;
}

export interface Subnet {
  /** The first three octets, `10.213.0`. */
  prefix: string;
  third: number;
}

/** Only /24 subnets: the bridge takes .1, machines .11 to .254. */
export function parseSubnet(cidr: string): Subnet {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(cidr);
  const octets = m?.slice(1, 4).map(Number);
  if (!octets || octets.some((o) => o > 255)) throw new ProviderError('invalid', `subnet ${cidr} is not an a.b.c.0/24 network`);
  return { prefix: octets.join('.'), third: octets[2] ?? 0 };
}

const FIRST_HOST = 11;
const LAST_HOST = 254;

export class RecordStore {
  readonly machinesDir: string;
  readonly leasesDir: string;

  constructor(
    readonly stateDir: string,
    readonly subnet: Subnet,
  ) {
    this.machinesDir = path.join(stateDir, 'machines');
    this.leasesDir = path.join(stateDir, 'leases');
    mkdirSync(this.machinesDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.leasesDir, { recursive: true, mode: 0o700 });
  }

  /** The key of a client token in this state directory: 10 hex digits of sha256(stateDir, token). */
  keyFor(clientToken: string): string {
    return createHash('sha256').update(`${this.stateDir}\n${clientToken}`).digest('hex').slice(0, 10);
  }

  paths(key: string): MachinePaths {
    // kept short: the engine's containerd puts sockets under the exec root (a unix socket path has 108 bytes)
    const dir = path.join(this.stateDir, 'm', key);
    return {
      dir,
      dataRoot: path.join(dir, 'data'),
      execRoot: path.join(dir, 'run'),
      socket: path.join(dir, 'docker.sock'),
      pidfile: path.join(dir, 'docker.pid'),
      config: path.join(dir, 'daemon.json'),
      engineLog: path.join(dir, 'dockerd.log'),
      agentLog: path.join(dir, 'agent.log'),
      agentState: path.join(dir, 'agent-state.json'),
      edgeConfig: path.join(dir, 'caddy.json'),
      edgeLog: path.join(dir, 'caddy.log'),
      edgeHome: path.join(dir, 'caddy'),
    };
  }

  read(key: string): MachineRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.recordFile(key), 'utf8')) as MachineRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  all(): MachineRecord[] {
    return readdirSync(this.machinesDir)
      .filter((f) => /^[0-9a-f]{10}\.json$/.test(f))
      .map((f) => this.read(f.slice(0, -5)))
      .filter((r): r is MachineRecord => r !== undefined);
  }

  /** Keys of every machine directory, with or without a record (what a crash may have left). */
  directoryKeys(): string[] {
    try {
      return readdirSync(path.join(this.stateDir, 'm')).filter((k) => KEY.test(k));
    } catch {
      return [];
    }
  }

  write(record: MachineRecord): void {
    const file = this.recordFile(record.key);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  remove(key: string): void {
    rmSync(this.recordFile(key), { force: true });
  }

  /**
   * The record of a new machine, written in phase `creating` with its address leased: the first step of a create,
   * after which a crash leaves enough on disk for the next create (or delete) with the same token to carry on.
   */
  reserve(input: { clientToken: string; name: string; region: string; instanceType: string; tags: WharfTags }): MachineRecord {
    const key = this.keyFor(input.clientToken);
    const existing = this.read(key);
    if (existing) return existing;
    const address = this.lease(key);
    const host = Number(address.split('.')[3]);
    const record: MachineRecord = {
      id: `${ID_PREFIX}${key}`,
      key,
      phase: 'creating',
      tokenHash: createHash('sha256').update(input.clientToken).digest('hex'),
      name: input.name,
      region: input.region,
      instanceType: input.instanceType,
      tags: { tenant: input.tags.tenant, cluster: input.tags.cluster, host: input.tags.host },
      address,
      // 172.20-31.x.1/24: clear of the host's docker0 (172.17) and of docker_gwbridge (172.18) in the namespace
      bip: `172.${20 + (this.subnet.third % 12)}.${host}.1/24`,
      netns: `wharf-${key}`,
      vethHost: `wh${key}h`,
      vethNs: `wh${key}n`,
      cgroup: `/wharf-${key}`,
      createdAt: new Date().toISOString(),
    };
    this.write(record);
    return record;
  }

  /** The address leased to `key` (an earlier attempt's), or a free one leased now. */
  private lease(key: string): string {
    for (const file of readdirSync(this.leasesDir)) {
      if (readFileSync(path.join(this.leasesDir, file), 'utf8').trim() === key) return file;
    }
    for (let host = FIRST_HOST; host <= LAST_HOST; host++) {
      const address = `${this.subnet.prefix}.${host}`;
      let fd: number;
      try {
        fd = openSync(path.join(this.leasesDir, address), 'wx', 0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      writeFileSync(fd, `${key}\n`);
      closeSync(fd);
      return address;
    }
    throw new ProviderError('limit', `every address of ${this.subnet.prefix}.0/24 is in use`, 'LocalSubnetFull');
  }

  /** Frees every address leased to `key`. */
  release(key: string): void {
    for (const file of readdirSync(this.leasesDir)) {
      const p = path.join(this.leasesDir, file);
      if (readFileSync(p, 'utf8').trim() === key) rmSync(p, { force: true });
    }
  }

  private recordFile(key: string): string {
    return path.join(this.machinesDir, `${key}.json`);
  }
}
