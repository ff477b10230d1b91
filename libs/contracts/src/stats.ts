import { z } from 'zod';
import { Timestamp } from './common.js';
import { EnvironmentName } from './params.js';

/*
 * CPU and memory of an app's services over time, from what the cluster's agents sample (every 15 s by default).
 * Samples are kept for STATS_RETENTION_HOURS; a series is downsampled to at most MAX_STATS_POINTS points.
 */

export const STATS_RETENTION_HOURS = 24;
export const MAX_STATS_POINTS = 120;
/** The window when `since` is not given. */
export const DEFAULT_STATS_WINDOW_MINUTES = 60;

export const AppStatsQuery = z.strictObject({
  /** One environment's services (default: every environment of the app). */
  environment: EnvironmentName.optional(),
  /** From when (default: an hour ago; at most STATS_RETENTION_HOURS back, earlier is read as that). */
  since: Timestamp.optional(),
});

/** A service's usage over one step of the series (averages over the step, summed over the engines running it). */
export const StatsPoint = z.object({
  /** Start of the step. */
  at: Timestamp,
  /** Percent of one core (200 = two cores busy). */
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  memoryLimitBytes: z.number(),
  tasks: z.number(),
});
export type StatsPoint = z.infer<typeof StatsPoint>;

export const ServiceStatsSeries = z.object({
  environment: z.string(),
  service: z.string(),
  /** Oldest first; steps without samples are left out. */
  points: z.array(StatsPoint).max(MAX_STATS_POINTS),
});
export type ServiceStatsSeries = z.infer<typeof ServiceStatsSeries>;

export const AppStats = z.object({
  since: Timestamp,
  until: Timestamp,
  /** Width of a step of the series. */
  stepSeconds: z.number(),
  services: z.array(ServiceStatsSeries),
});
export type AppStats = z.infer<typeof AppStats>;
