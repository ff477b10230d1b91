import { z } from 'zod';
import { StackScope } from './protocol.js';

/*
 * Resource usage an agent reports (`POST /api/agent/v1/stats`): every sampling interval, per Wharf service, the sum
 * over the service's running task containers on the agent's own engine. Several agents of one cluster (one per
 * host) each report their engine's share; the API sums the engines' shares.
 */

/** Services in one report (an agent with more sends several reports). */
export const MAX_STATS_SERVICES = 1000;

/** 1 PiB: bounds the byte counts a report may carry. */
const Bytes = z
  .number()
  .int()
  .min(0)
  .max(2 ** 50);

/** One service's usage on the reporting engine. */
export const ServiceUsage = z.strictObject({
  scope: StackScope,
  service: z.string().min(1).max(63),
  /** Running task containers of the service on this engine that the figures sum over. */
  tasks: z.number().int().min(1).max(10_000),
  /** CPU used since the previous sample, in percent of one core (200 = two cores busy), summed over the tasks. */
  cpuPercent: z.number().min(0).max(1_000_000),
  /** Memory in use without the page cache (as `docker stats` shows it), summed over the tasks. */
  memoryBytes: Bytes,
  /** The tasks' memory limits, summed (a task without a limit counts the machine's memory). */
  memoryLimitBytes: Bytes,
});
export type ServiceUsage = z.output<typeof ServiceUsage>;

export const StatsReport = z.strictObject({
  /** The reporting engine's Swarm node id: the API sums the latest share of each engine. */
  node: z.string().min(1).max(64),
  services: z.array(ServiceUsage).max(MAX_STATS_SERVICES),
});
export type StatsReport = z.output<typeof StatsReport>;

/** How many of the report's services the API recorded (the others belong to no app of the agent's cluster). */
export const StatsReportResponse = z.strictObject({ recorded: z.number().int().min(0) });
