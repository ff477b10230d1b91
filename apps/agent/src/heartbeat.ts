import type { Heartbeat, NodeInfo } from '@wharf/contracts';
import type { z } from 'zod';
import type { ApiClient } from './api-client.js';
import { sleep } from './backoff.js';
import type { EngineNode } from './docker/engine-types.js';
import type { DockerRepository } from './docker/repository.js';
import { errorMessage, FatalAuthError, isAbort } from './errors.js';
import { clusterFilters, statesOf } from './executor/service-state.js';
import type { Logger } from './logger.js';
import { AGENT_VERSION } from './version.js';

/* The heartbeat: what the engine is, its nodes, the state of this cluster's services, and the commands running. */

export type HeartbeatBody = z.input<typeof Heartbeat>;

export function nodeInfo(node: EngineNode): NodeInfo {
  return {
    id: node.ID.slice(0, 64),
    hostname: (node.Description?.Hostname ?? node.ID).slice(0, 253),
    addr: (node.Status?.Addr ?? '').slice(0, 64),
    role: node.Spec?.Role === 'manager' ? 'manager' : 'worker',
    state: (node.Status?.State ?? 'unknown').slice(0, 32),
    availability: (node.Spec?.Availability ?? 'unknown').slice(0, 32),
    cpus: (node.Description?.Resources?.NanoCPUs ?? 0) / 1e9,
    memoryBytes: node.Description?.Resources?.MemoryBytes ?? 0,
    labels: node.Spec?.Labels ?? {},
  };
}

export async function collectHeartbeat(docker: DockerRepository, clusterId: string, running: string[]): Promise<HeartbeatBody> {
  const engine = await docker.engine();
  // a host's agent whose engine is not (yet) a manager has no node list or services to tell
  const [nodes, services] = engine.isManager
    ? await Promise.all([docker.nodes(), docker.services(clusterFilters(clusterId))])
    : [[], []];
  return {
    engine: {
      version: engine.version.slice(0, 64),
      apiVersion: engine.apiVersion.slice(0, 16),
      os: engine.os.slice(0, 200),
      swarmNodeId: engine.swarmNodeId.slice(0, 64),
      ...(engine.swarmClusterId ? { swarmClusterId: engine.swarmClusterId.slice(0, 64) } : {}),
    },
    nodes: nodes.map(nodeInfo).slice(0, 10_000),
    services: (await statesOf({ docker }, services)).slice(0, 100_000),
    running: running.slice(0, 1000),
    version: AGENT_VERSION,
  };
}

export interface HeartbeatOptions {
  api: ApiClient;
  /** What to say each time (an engine's agent: collectHeartbeat; a broker has no engine to tell of). */
  collect: () => Promise<HeartbeatBody>;
  intervalMs: number;
  log: Logger;
  signal: AbortSignal;
}

/** Sends a heartbeat every interval (the API may change the interval) until `signal` aborts. */
export async function runHeartbeat(options: HeartbeatOptions): Promise<void> {
  const { api, log, signal } = options;
  let interval = options.intervalMs;
  while (!signal.aborted) {
    try {
      const body = await options.collect();
      const answer = await api.heartbeat(body, signal);
      if (answer.intervalMs >= 1000 && answer.intervalMs <= 300_000) interval = answer.intervalMs;
    } catch (err) {
      if (err instanceof FatalAuthError) throw err;
      if (isAbort(err, signal)) return;
      log.warn({ err: errorMessage(err) }, 'heartbeat failed');
    }
    try {
      await sleep(interval, signal);
    } catch {
      return;
    }
  }
}
