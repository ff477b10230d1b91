import path from 'node:path';
import type { AgentCommand } from '@wharf/contracts';
import type { RunningAgent } from '../agent.js';
import { ApiClient, type FetchFn } from '../api-client.js';
import type { BackoffPolicy } from '../backoff.js';
import { CommandError, ConfigError } from '../errors.js';
import { runHeartbeat } from '../heartbeat.js';
import { lifecycle } from '../lifecycle.js';
import { createLogger, type Logger } from '../logger.js';
import { CommandScheduler, pollCommands } from '../poller.js';
import { type AgentState, readState, writeState } from '../state.js';
import { AGENT_VERSION } from '../version.js';
import { BrokerStore } from './broker-state.js';
import { HostAgents } from './host-agents.js';

/*
 * The broker (broker mode, `WHARF_AGENT_BROKER=1`): one process per datacenter that drives that datacenter's `ssh`
 * hosts. It registers with a broker token (reporting the public half of the SSH key it generated), then runs only
 * broker.* commands addressed to it: `broker.attach` starts a host agent inside this process, whose engine is the
 * host's, reached over SSH; `broker.detach` stops it. It dials out only, like any agent.
 */

export interface BrokerOptions {
  apiUrl: string;
  /** Used only when there is no state file. */
  joinToken?: string;
  /** The broker's own agent state; its directory holds the key pair and the attached hosts. */
  statePath: string;
  name: string;
  heartbeatMs?: number;
  log?: Logger;
  fetch?: FetchFn;
  backoff?: BackoffPolicy;
  pollWaitMs?: number;
}

/** What a broker's heartbeat says of an engine: it has none (the API records nothing of the cluster from it). */
const NO_ENGINE = { version: 'broker', apiVersion: 'none', os: 'wharf-broker', swarmNodeId: '' };

async function identity(options: BrokerOptions, api: ApiClient, sshPublicKey: string, log: Logger): Promise<AgentState> {
  const saved = await readState(options.statePath);
  if (saved) return saved;
  if (!options.joinToken)
    throw new ConfigError(`no broker state at ${options.statePath} and no broker token (WHARF_JOIN_TOKEN) to register with`);
  log.info({ agentName: options.name }, 'registering the broker with the API');
  const registered = await api.register({
    joinToken: options.joinToken,
    name: options.name,
    engine: NO_ENGINE,
    broker: { sshPublicKey },
  });
  const state: AgentState = { agentId: registered.agentId, clusterId: registered.clusterId, credential: registered.credential };
  await writeState(options.statePath, state);
  return state;
}

export async function startBroker(options: BrokerOptions): Promise<RunningAgent> {
  const log = options.log ?? createLogger();
  const store = new BrokerStore(path.dirname(options.statePath));
  const keys = await store.keys();
  const api = new ApiClient({ baseUrl: options.apiUrl.replace(/\/+$/, ''), log, fetch: options.fetch, backoff: options.backoff });
  let state = await identity(options, api, keys.publicKey, log);
  api.setCredential(state.credential);
  const brokerLog = log.child({ agentId: state.agentId, clusterId: state.clusterId, broker: true });

  const hosts = new HostAgents({
    apiUrl: options.apiUrl,
    store,
    privateKey: keys.privateKey,
    log: brokerLog,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.pollWaitMs ? { pollWaitMs: options.pollWaitMs } : {}),
  });

  const life = lifecycle(brokerLog, async () => {
    await scheduler.stop();
    await hosts.stop();
  });
  const scheduler = new CommandScheduler({
    log: brokerLog,
    execute: (_id, command) => executeBrokerCommand(hosts, command),
    report: (id, result) => api.postResult(id, result, life.signal),
    onFatal: (err) => void life.fail(err),
  });

  await hosts.resume();
  life.run('poll', pollCommands(api, scheduler, life.signal, brokerLog, options.pollWaitMs));
  life.run(
    'heartbeat',
    runHeartbeat({
      api,
      // alive, and the commands it runs (their leases are extended); nothing of an engine
      collect: async () => ({ engine: NO_ENGINE, nodes: [], services: [], running: scheduler.ids(), version: AGENT_VERSION }),
      intervalMs: options.heartbeatMs ?? 5000,
      log: brokerLog,
      signal: life.signal,
    }),
  );
  brokerLog.info({ agentName: options.name, sshPublicKey: keys.publicKey }, 'broker started');

  return {
    clusterId: state.clusterId,
    agentId: state.agentId,
    rotateCredential: async () => {
      await api.rotateCredential(async (credential) => {
        state = { ...state, credential };
        await writeState(options.statePath, state);
      });
    },
    stop: async () => {
      await life.stop();
      brokerLog.info('broker stopped');
      life.finish();
    },
    done: life.done,
  };
}

/** The broker's loop runs broker.* commands only; anything else is refused (it has no engine of its own). */
export async function executeBrokerCommand(hosts: HostAgents, command: AgentCommand): Promise<unknown> {
  switch (command.kind) {
    case 'broker.attach': {
      const { kind: _kind, ...host } = command;
      return hosts.attach(host);
    }
    case 'broker.detach':
      return hosts.detach(command.hostId);
    default:
      throw new CommandError(`a broker runs only broker.* commands, not ${command.kind}`);
  }
}
