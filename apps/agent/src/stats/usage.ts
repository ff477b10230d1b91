import type { ServiceUsage, StackScope } from '@wharf/contracts';
import type { EngineContainerStats } from '../docker/engine-types.js';

/*
 * Pure arithmetic of resource usage, as `docker stats` does it: CPU from the difference of two readings of the
 * container's and the machine's CPU time, memory without the page cache that the kernel can drop.
 */

/** A container's cumulative CPU time and the machine's at one moment (nanoseconds). */
export interface CpuReading {
  container: number;
  system: number;
  onlineCpus: number;
}

/** The CPU counters of a stats answer; undefined when the engine gave none (the container just ended). */
export function cpuReading(stats: EngineContainerStats): CpuReading | undefined {
  const cpu = stats.cpu_stats;
  const container = cpu?.cpu_usage?.total_usage;
  const system = cpu?.system_cpu_usage;
  if (container === undefined || system === undefined || system === 0) return undefined;
  const onlineCpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  return { container, system, onlineCpus };
}

/**
 * CPU used between two readings, in percent of one core (200 = two cores busy): the container's share of the
 * machine's CPU time, times the machine's CPUs. Undefined when the readings cannot be compared (no time passed,
 * or counters that went backwards).
 */
export function cpuPercent(previous: CpuReading, current: CpuReading): number | undefined {
  const containerDelta = current.container - previous.container;
  const systemDelta = current.system - previous.system;
  if (systemDelta <= 0 || containerDelta < 0) return undefined;
  return (containerDelta / systemDelta) * current.onlineCpus * 100;
}

/**
 * Memory in use without the inactive page cache, as `docker stats` shows it: cgroup v1 reports
 * `total_inactive_file`, cgroup v2 `inactive_file`.
 */
export function memoryUsed(stats: EngineContainerStats): number {
  const usage = stats.memory_stats?.usage ?? 0;
  const detail = stats.memory_stats?.stats ?? {};
  const v1 = detail.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = detail.inactive_file;
  if (v2 !== undefined && v2 < usage) return usage - v2;
  return usage;
}

export function memoryLimit(stats: EngineContainerStats): number {
  return stats.memory_stats?.limit ?? 0;
}

/** One task container's usage, with the service it belongs to. */
export interface ContainerUsage {
  scope: StackScope;
  service: string;
  /** Undefined for a container seen for the first time (no earlier reading to compare with). */
  cpuPercent: number | undefined;
  memoryBytes: number;
  memoryLimitBytes: number;
}

/** The bounds of the stats report (libs/contracts). */
const MAX_BYTES = 2 ** 50;
const MAX_CPU_PERCENT = 1_000_000;
const clampBytes = (n: number) => Math.min(MAX_BYTES, Math.max(0, Math.round(n)));

/**
 * The usage of each service: sums over its containers. CPU is summed over the containers that have an earlier
 * reading; a service none of whose containers has one yet is left out (its first figures come with the next sample).
 */
export function usageByService(containers: readonly ContainerUsage[]): ServiceUsage[] {
  const byService = new Map<string, ServiceUsage & { measured: boolean }>();
  for (const c of containers) {
    const key = `${c.scope.tenantId}/${c.scope.app}/${c.scope.environment}/${c.service}`;
    const entry = byService.get(key) ?? {
      scope: c.scope,
      service: c.service,
      tasks: 0,
      cpuPercent: 0,
      memoryBytes: 0,
      memoryLimitBytes: 0,
      measured: false,
    };
    entry.tasks += 1;
    entry.memoryBytes += c.memoryBytes;
    entry.memoryLimitBytes += c.memoryLimitBytes;
    if (c.cpuPercent !== undefined) {
      entry.cpuPercent += c.cpuPercent;
      entry.measured = true;
    }
    byService.set(key, entry);
  }
  return [...byService.values()]
    .filter((s) => s.measured)
    .map(({ measured: _measured, ...s }) => ({
      ...s,
      cpuPercent: Math.min(MAX_CPU_PERCENT, Math.round(s.cpuPercent * 100) / 100),
      memoryBytes: clampBytes(s.memoryBytes),
      memoryLimitBytes: clampBytes(s.memoryLimitBytes),
    }));
}
