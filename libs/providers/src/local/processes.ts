import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ProviderError } from '../errors.js';
import type { HostBootstrap } from '../types.js';
import { ID_PREFIX, type MachinePaths, type MachineRecord, type RecordStore } from './records.js';
import {
  killContainers,
  machineProcesses,
  NETNS_DIR,
  netnsInode,
  pingEngine,
  processHasEnv,
  processMatches,
  signal,
  stopProcess,
  waitFor,
} from './system.js';

/*
 * The processes of a local machine: its Docker engine (dockerd, which nsenter execs inside the machine's namespace)
 * and its agent. Starting them, finding them again after a crash (the pid checked against the process's command line
 * or environment, never trusted alone), and stopping them with whatever they left behind.
 */

export interface LocalAgentLauncher {
  /** The agent's command line (run inside the machine's namespace, as cloud-init runs it on a cloud host). */
  command: string[];
  /** More environment on top of what the provider sets (WHARF_API_URL, WHARF_JOIN_TOKEN, …). */
  env?: Record<string, string>;
}

/** The edge proxy of each machine: Caddy, which the machine's agent configures through its admin API. */
export interface LocalEdgeLauncher {
  /** The caddy binary. */
  caddy: string;
  /** Where it serves apps inside the machine (the agent's `WHARF_PROXY_LISTEN`), e.g. `:80`. */
  listen: string;
}

/** Caddy's admin API inside a machine: loopback of the machine's own namespace, so every machine has the same. */
export const EDGE_ADMIN = '127.0.0.1:2019';

export interface MachineProcessOptions {
  /** A plain-HTTP registry the engines may pull from (`--insecure-registry`). */
  registry?: string;
  /** Starts an agent in each machine once its engine answers. */
  agent?: LocalAgentLauncher;
  /** Starts an edge proxy in each machine beside its agent (as cloud-init installs Caddy on a cloud host). */
  edge?: LocalEdgeLauncher;
  /** How long an engine may take to answer its first ping. */
  engineStartMs: number;
}

export class MachineProcesses {
  constructor(
    private readonly store: RecordStore,
    private readonly options: MachineProcessOptions,
  ) {}

  /** The pid of this machine's engine: the recorded one, or the pid file's (an engine started before a crash). */
  enginePid(record: MachineRecord, paths: MachinePaths): number | undefined {
    if (engineAlive(record, paths)) return record.dockerdPid;
    return pidFromFile(paths);
  }

  async ensureEngine(record: MachineRecord, paths: MachinePaths): Promise<void> {
    const { registry, engineStartMs } = this.options;
    let pid = this.enginePid(record, paths);
    if (pid === undefined) {
      mkdirSync(paths.dataRoot, { recursive: true, mode: 0o700 });
      mkdirSync(paths.execRoot, { recursive: true, mode: 0o700 });
      // its own (empty) config file: the host's /etc/docker/daemon.json is for the host's engine
      writeFileSync(paths.config, '{}\n', { mode: 0o600 });
      rmSync(paths.pidfile, { force: true });
      rmSync(paths.socket, { force: true });
      const args = [
        `--net=${path.join(NETNS_DIR, record.netns)}`,
        'dockerd',
        '--config-file',
        paths.config,
        '--data-root',
        paths.dataRoot,
        '--exec-root',
        paths.execRoot,
        '--pidfile',
        paths.pidfile,
        '-H',
        `unix://${paths.socket}`,
        '--cgroup-parent',
        record.cgroup,
        '--bip',
        record.bip,
        // were a containerd shared at /run/containerd ever present, the engines would not see each other's containers
        '--containerd-namespace',
        `wharf-${record.key}`,
        '--containerd-plugins-namespace',
        `wharf-${record.key}-plugins`,
        ...(registry ? ['--insecure-registry', registry] : []),
      ];
      const log = openSync(paths.engineLog, 'a', 0o600);
      // nsenter enters the namespace and execs dockerd: the child's pid is the engine's
      const child = spawn('nsenter', args, {
        detached: true,
        stdio: ['ignore', log, log],
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      });
      closeSync(log);
      // the child's own events say whether it ended: its command line is no witness while nsenter execs dockerd
      // (/proc/<pid>/cmdline reads empty for a moment during an exec)
      let ended: string | undefined;
      child.on('error', (err) => {
        ended = err.message;
      });
      child.on('exit', (code, sig) => {
        ended = sig ? `dockerd was killed by ${sig}` : `dockerd exited with status ${code}`;
      });
      child.unref();
      pid = child.pid;
      if (pid === undefined) throw new ProviderError('failed', 'could not start dockerd (nsenter)', 'LocalEngineStart');
      record.dockerdPid = pid;
      this.store.write(record);
      const up = await waitFor(async () => ended !== undefined || pingEngine(paths.socket), engineStartMs, 100);
      if (!up || ended !== undefined || !(await pingEngine(paths.socket))) {
        const why = ended ?? `no answer within ${engineStartMs} ms`;
        throw new ProviderError(
          'failed',
          `the engine of ${record.id} did not start (${why}): ${tail(paths.engineLog)}`,
          'LocalEngineStart',
        );
      }
    } else {
      record.dockerdPid = pid;
      if (!(await waitFor(() => pingEngine(paths.socket), engineStartMs, 100)))
        throw new ProviderError('failed', `the engine of ${record.id} does not answer`, 'LocalEngineStart');
    }
  }

  ensureAgent(record: MachineRecord, paths: MachinePaths, bootstrap: HostBootstrap): void {
    const { agent, edge } = this.options;
    if (!agent || agentAlive(record, paths)) return;
    record.agentPid = launch(record, agent.command, paths.agentLog, paths.dir, {
      ...agent.env,
      WHARF_API_URL: bootstrap.apiUrl,
      WHARF_JOIN_TOKEN: bootstrap.registrationToken,
      DOCKER_SOCK: paths.socket,
      WHARF_AGENT_STATE: paths.agentState,
      // the machine's name, not this box's hostname, which every machine here shares
      WHARF_AGENT_NAME: record.name.slice(0, 100),
      ...(edge ? { CADDY_ADMIN_URL: `http://${EDGE_ADMIN}`, WHARF_PROXY_LISTEN: edge.listen } : { CADDY_ADMIN_URL: 'off' }),
    });
  }

  /** Caddy with nothing but its admin API: the agent loads the routes. Its state stays in the machine's directory. */
  ensureEdge(record: MachineRecord, paths: MachinePaths): void {
    const edge = this.options.edge;
    if (!edge || edgeAlive(record, paths)) return;
    mkdirSync(paths.edgeHome, { recursive: true, mode: 0o700 });
    writeFileSync(paths.edgeConfig, `${JSON.stringify({ admin: { listen: EDGE_ADMIN } })}\n`, { mode: 0o600 });
    record.edgePid = launch(record, [edge.caddy, 'run', '--config', paths.edgeConfig], paths.edgeLog, paths.edgeHome, {
      HOME: paths.edgeHome,
      XDG_CONFIG_HOME: paths.edgeHome,
      XDG_DATA_HOME: paths.edgeHome,
    });
  }

  /** Stops the agent and the engine of machine `key`, then kills every process of the machine still left. */
  async stopAll(
    key: string,
    record: MachineRecord | undefined,
    paths: MachinePaths,
    names: { netns: string; cgroup: string },
  ): Promise<void> {
    if (record && agentAlive(record, paths)) {
      const pid = record.agentPid as number;
      await stopProcess(pid, () => agentAlive(record, paths), 5_000);
    }
    if (record && edgeAlive(record, paths)) {
      const pid = record.edgePid as number;
      await stopProcess(pid, () => edgeAlive(record, paths), 5_000);
    }
    const pid = record ? this.enginePid(record, paths) : pidFromFile(paths);
    if (pid !== undefined) {
      // the machine is going: its containers are killed, not given their stop grace period (a Swarm task's 10 s
      // would hold the engine's shutdown that long), then the engine shuts down
      await killContainers(paths.socket);
      await stopProcess(pid, () => processMatches(pid, paths.socket), 10_000);
    }

    // whatever is left (containerd and shims after a SIGKILL, containers, the agent's children): killed
    const marks = { dir: paths.dir, netnsInode: netnsInode(names.netns), cgroup: names.cgroup };
    for (const left of machineProcesses(marks)) signal(left, 'SIGKILL');
    if (!(await waitFor(() => machineProcesses(marks).length === 0, 10_000)))
      throw new ProviderError('failed', `processes of ${ID_PREFIX}${key} did not exit`, 'LocalProcessesLeft');
  }
}

function engineAlive(record: MachineRecord, paths: MachinePaths): boolean {
  return processMatches(record.dockerdPid, paths.socket);
}

function agentAlive(record: MachineRecord, paths: MachinePaths): boolean {
  return processHasEnv(record.agentPid, `WHARF_AGENT_STATE=${paths.agentState}`);
}

function edgeAlive(record: MachineRecord, paths: MachinePaths): boolean {
  return processMatches(record.edgePid, paths.edgeConfig);
}

/**
 * Starts a process of the machine inside its network namespace, detached, its output appended to `logFile`, with
 * only the environment it is given (never that of the process that creates machines: its secrets). Answers its pid.
 */
function launch(record: MachineRecord, command: string[], logFile: string, cwd: string, env: Record<string, string>): number {
  const [bin, ...args] = command;
  if (bin === undefined) throw new ProviderError('invalid', 'empty command', 'LocalInvalidParameter');
  const log = openSync(logFile, 'a', 0o600);
  const child = spawn('nsenter', [`--net=${path.join(NETNS_DIR, record.netns)}`, bin, ...args], {
    detached: true,
    stdio: ['ignore', log, log],
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...env },
  });
  closeSync(log);
  child.on('error', () => undefined); // reported below as a missing pid
  child.unref();
  if (child.pid === undefined)
    throw new ProviderError('failed', `could not start ${path.basename(bin)} in ${record.id}`, 'LocalProcessStart');
  return child.pid;
}

/** The engine's pid from its pid file, when that process is still this machine's engine. */
function pidFromFile(paths: MachinePaths): number | undefined {
  try {
    const pid = Number(readFileSync(paths.pidfile, 'utf8').trim());
    return processMatches(pid, paths.socket) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The last lines of a log, for an error a person reads. */
function tail(file: string, lines = 5): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ');
}
