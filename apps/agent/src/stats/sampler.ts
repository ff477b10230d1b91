import { MAX_STATS_SERVICES, type ServiceUsage, type StatsReport } from '@wharf/contracts';
import { LABEL_SERVICE } from '@wharf/engine';
import type { ApiClient } from '../api-client.js';
import { sleep } from '../backoff.js';
import type { EngineContainer } from '../docker/engine-types.js';
import type { DockerRepository } from '../docker/repository.js';
import { errorMessage, isAbort } from '../errors.js';
import { clusterFilters, scopeOf } from '../executor/service-state.js';
import type { Logger } from '../logger.js';
import {
  type ContainerUsage,
  type CpuReading,
  cpuPercent,
  cpuReading,
  memoryLimit,
  memoryUsed,
  usageByService,
} from './usage.js';

/*
 * The stats sampler: every interval, the CPU and memory of this cluster's running task containers on this agent's
 * own engine, summed per Wharf service and sent to the API. It runs beside the heartbeat and the commands and never
 * stops them: whatever fails is logged, and the next interval samples again.
 */

/** Stats calls at once (each is one short request to the engine). */
const PARALLEL = 4;
/** A stats call that takes longer is abandoned (the container's figures wait for the next sample). */
const CALL_TIMEOUT_MS = 10_000;

export class StatsSampler {
  /** The last CPU reading of each container seen running, to compute the next sample's CPU use from. */
  private readonly previous = new Map<string, CpuReading>();

  constructor(
    private readonly docker: DockerRepository,
    private readonly clusterId: string,
    private readonly log: Logger,
  ) {}

  /** One sample of every service with running tasks here (services first seen now have figures from the next one). */
  async sample(signal: AbortSignal): Promise<ServiceUsage[]> {
    const containers = await this.docker.runningContainers(clusterFilters(this.clusterId));
    const running = new Set(containers.map((c) => c.Id));
    for (const id of this.previous.keys()) if (!running.has(id)) this.previous.delete(id);
    const usages: ContainerUsage[] = [];
    for (let i = 0; i < containers.length; i += PARALLEL) {
      const batch = await Promise.all(containers.slice(i, i + PARALLEL).map((c) => this.containerUsage(c, signal)));
      for (const u of batch) if (u) usages.push(u);
    }
    return usageByService(usages);
  }

  private async containerUsage(container: EngineContainer, signal: AbortSignal): Promise<ContainerUsage | undefined> {
    const scope = scopeOf(container.Labels);
    const service = container.Labels[LABEL_SERVICE];
    if (!scope || !service || service.length > 63) return undefined;
    let stats: Awaited<ReturnType<DockerRepository['containerStats']>>;
    try {
      stats = await this.docker.containerStats(container.Id, AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]));
    } catch (err) {
      if (signal.aborted) throw err;
      this.log.debug({ containerId: container.Id, err: errorMessage(err) }, 'could not read container stats');
      return undefined;
    }
    if (!stats) return undefined;
    const reading = cpuReading(stats);
    const before = this.previous.get(container.Id);
    if (reading) this.previous.set(container.Id, reading);
    return {
      scope,
      service,
      cpuPercent: reading && before ? cpuPercent(before, reading) : undefined,
      memoryBytes: memoryUsed(stats),
      memoryLimitBytes: memoryLimit(stats),
    };
  }
}

/** Reports of at most MAX_STATS_SERVICES services each. */
export function statsReports(node: string, services: readonly ServiceUsage[]): StatsReport[] {
  const reports: StatsReport[] = [];
  for (let i = 0; i < services.length; i += MAX_STATS_SERVICES) {
    reports.push({ node, services: services.slice(i, i + MAX_STATS_SERVICES) });
  }
  return reports;
}

export interface StatsLoopOptions {
  api: Pick<ApiClient, 'postStats'>;
  docker: DockerRepository;
  clusterId: string;
  intervalMs: number;
  log: Logger;
  signal: AbortSignal;
}

/** Samples and reports every `intervalMs` until `signal` aborts; never throws. */
export async function runStatsSampler(options: StatsLoopOptions): Promise<void> {
  const { api, docker, log, signal } = options;
  const sampler = new StatsSampler(docker, options.clusterId, log);
  let lastError: string | undefined;
  while (!signal.aborted) {
    try {
      // the engine's node id: an engine that is in no Swarm (a host agent before its join) runs no Wharf task
      const { swarmNodeId } = await docker.engine();
      const services = swarmNodeId ? await sampler.sample(signal) : [];
      for (const report of statsReports(swarmNodeId, services)) await api.postStats(report, signal);
      lastError = undefined;
    } catch (err) {
      if (isAbort(err, signal)) return;
      const message = errorMessage(err);
      // the same failure every interval is said once, then only in debug
      if (message !== lastError) log.warn({ err: message }, 'stats sample failed');
      else log.debug({ err: message }, 'stats sample failed');
      lastError = message;
    }
    try {
      await sleep(options.intervalMs, signal);
    } catch {
      return;
    }
  }
}
