import type { AgentCommand } from '@wharf/contracts';
import { ApiClient, type FetchFn } from './api-client.js';
import type { BackoffPolicy } from './backoff.js';
import { DockerRepository } from './docker/repository.js';
import { ConfigError, errorMessage } from './errors.js';
import { EventReporter, watchEngineEvents } from './events.js';
import type { ExecutorContext } from './executor/context.js';
import { executeCommand } from './executor/index.js';
import { collectHeartbeat, runHeartbeat } from './heartbeat.js';
import { lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { CommandScheduler, pollCommands } from './poller.js';
import { CaddyProxy } from './proxy/caddy.js';
import { UpstreamDns } from './proxy/upstream-dns.js';
import { type AgentState, readState, writeState } from './state.js';
import { runStatsSampler } from './stats/sampler.js';

/*
 * The agent: registers (once, with the join token) or reads its saved identity, then runs its loops — command
 * long-poll, heartbeat, engine events, container stats, edge proxy sync — until stopped or until the API refuses its credential.
 */

export interface AgentOptions {
  apiUrl: string;
  /** Used only when there is no state file. */
  joinToken?: string;
  statePath: string;
  name: string;
  /** The engine (default: the socket below). */
  docker?: DockerRepository;
  dockerSocket?: string;
  /** Caddy's admin API; without it the agent runs no edge proxy. */
  caddyAdminUrl?: string;
  proxyListen?: string;
  heartbeatMs?: number;
  /** How often to sample and report the CPU and memory of this engine's task containers (default 15 s; 0: never). */
  statsIntervalMs?: number;
  /** Rotate the credential once at start. */
  rotate?: boolean;
  /** A host's own agent: its engine may not be in a Swarm yet (it joins through this agent's commands). */
  hostAgent?: boolean;
  /** A host agent's machine address, reported at registration (the one its engine advertises in the Swarm). */
  advertiseAddr?: string;
  log?: Logger;
  fetch?: FetchFn;
  backoff?: BackoffPolicy;
  /** How long the API may hold a poll (default 25 s). */
  pollWaitMs?: number;
}

export interface RunningAgent {
  clusterId: string;
  agentId: string;
  /** Gets a new credential from the API and saves it (atomically) before using it. */
  rotateCredential(): Promise<void>;
  /** Graceful stop: no new commands, running ones abandoned (the API hands them over again), loops ended. */
  stop(): Promise<void>;
  /** Settles when the agent stopped: resolves after stop(), rejects with FatalAuthError when the credential is refused. */
  done: Promise<void>;
}

async function identity(options: AgentOptions, api: ApiClient, docker: DockerRepository, log: Logger): Promise<AgentState> {
  const saved = await readState(options.statePath);
  if (saved) return saved;
  if (!options.joinToken) {
    throw new ConfigError(`no agent state at ${options.statePath} and no join token (WHARF_JOIN_TOKEN) to register with`);
  }
  const engine = await docker.engine();
  log.info({ agentName: options.name }, 'registering with the API');
  const registered = await api.register({
    joinToken: options.joinToken,
    name: options.name,
    engine: {
      version: engine.version,
      apiVersion: engine.apiVersion,
      os: engine.os,
      swarmNodeId: engine.swarmNodeId,
      ...(engine.swarmClusterId ? { swarmClusterId: engine.swarmClusterId } : {}),
    },
    // a host Wharf did not create (a brought one) is known to it only by what its agent says
    ...(options.hostAgent
      ? {
          machine: {
            ...(options.advertiseAddr ? { advertiseAddr: options.advertiseAddr } : {}),
            cpus: engine.cpus,
            memoryBytes: engine.memoryBytes,
          },
        }
      : {}),
  });
  const state: AgentState = { agentId: registered.agentId, clusterId: registered.clusterId, credential: registered.credential };
  await writeState(options.statePath, state);
  return state;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const log = options.log ?? createLogger();
  const docker = options.docker ?? DockerRepository.connect(options.dockerSocket ?? '/var/run/docker.sock');
  const api = new ApiClient({ baseUrl: options.apiUrl.replace(/\/+$/, ''), log, fetch: options.fetch, backoff: options.backoff });

  const engine = await docker.engine();
  if (!engine.isManager && !options.hostAgent)
    throw new ConfigError('the Docker engine is not a Swarm manager: the agent must run on a manager node');
  let state = await identity(options, api, docker, log);
  api.setCredential(state.credential);
  const agentLog = log.child({ agentId: state.agentId, clusterId: state.clusterId });

  const rotateCredential = async () => {
    // saved before use: a crash in between keeps the credential the API now expects
    await api.rotateCredential(async (credential) => {
      state = { ...state, credential };
      await writeState(options.statePath, state);
    });
    agentLog.info('credential rotated');
  };
  if (options.rotate) await rotateCredential();

  const life = lifecycle(agentLog, async () => {
    await scheduler.stop();
    await proxy?.stop();
    await dns?.close();
  });

  const scheduler = new CommandScheduler({
    log: agentLog,
    execute: async (id, command, signal) => {
      const { context, drained } = contextFor(id, command, signal);
      try {
        return await executeCommand(context, command);
      } finally {
        // the command's last progress messages reach the API before its result
        await drained();
      }
    },
    report: (id, result) => api.postResult(id, result, life.signal),
    onFatal: (err) => void life.fail(err),
  });

  // the edge proxy reads upstreams from the agent's DNS, so rollouts change them without reloading it
  const dns = options.caddyAdminUrl ? new UpstreamDns() : undefined;
  await dns?.listen();
  const proxy = options.caddyAdminUrl
    ? new CaddyProxy({
        docker,
        clusterId: state.clusterId,
        adminUrl: options.caddyAdminUrl,
        listen: options.proxyListen ?? ':8088',
        log: agentLog.child({ component: 'proxy' }),
        ...(dns ? { dns } : {}),
      })
    : undefined;
  const reporter = new EventReporter(api, agentLog);

  function contextFor(id: string, command: AgentCommand, signal: AbortSignal) {
    let chain: Promise<void> = Promise.resolve();
    const context: ExecutorContext = {
      docker,
      clusterId: state.clusterId,
      log: agentLog.child({ commandId: id, kind: command.kind }),
      signal,
      tasksChanged: () => proxy?.poke(0),
      progress: (message) => {
        chain = chain.then(() =>
          api.postProgress(id, message, life.signal).catch((err: unknown) => {
            agentLog.debug({ commandId: id, err: errorMessage(err) }, 'could not post progress');
          }),
        );
      },
      sendLogs: (streamId, batch) => api.postLogs(streamId, batch, life.signal),
    };
    return { context, drained: () => chain };
  }

  life.run('poll', pollCommands(api, scheduler, life.signal, agentLog, options.pollWaitMs));
  life.run(
    'heartbeat',
    runHeartbeat({
      api,
      collect: () => collectHeartbeat(docker, state.clusterId, scheduler.ids()),
      intervalMs: options.heartbeatMs ?? 5000,
      log: agentLog,
      signal: life.signal,
    }),
  );
  life.run(
    'events',
    watchEngineEvents({
      docker,
      clusterId: state.clusterId,
      log: agentLog,
      signal: life.signal,
      onEvent: (event) => {
        reporter.add(event);
        // a node drained, or gone, moves its tasks: the upstreams change (other nodes' task states raise no event)
        proxy?.poke();
      },
    }),
  );
  life.run('event-reporter', reporter.run(life.signal));
  const statsIntervalMs = options.statsIntervalMs ?? 15_000;
  if (statsIntervalMs > 0) {
    life.run(
      'stats',
      runStatsSampler({
        api,
        docker,
        clusterId: state.clusterId,
        intervalMs: statsIntervalMs,
        log: agentLog.child({ component: 'stats' }),
        signal: life.signal,
      }),
    );
  }
  proxy?.start();
  agentLog.info({ agentName: options.name, proxy: options.caddyAdminUrl ?? null }, 'agent started');

  return {
    clusterId: state.clusterId,
    agentId: state.agentId,
    rotateCredential,
    stop: async () => {
      await life.stop();
      agentLog.info('agent stopped');
      life.finish();
    },
    done: life.done,
  };
}
