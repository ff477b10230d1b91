import { DEFAULT_STATS_WINDOW_MINUTES, MAX_STATS_POINTS, type ServiceStatsSeries, STATS_RETENTION_HOURS } from '@wharf/contracts';
import type { ServiceStatsBucket } from '@wharf/db';

/* How a stats query's window is cut into steps, and the steps read back as series. */

export const RETENTION_MS = STATS_RETENTION_HOURS * 3_600_000;
/** Steps are never shorter than this (agents sample every 15 s by default). */
const MIN_STEP_MS = 1000;

export interface StatsWindow {
  since: Date;
  until: Date;
  stepMs: number;
}

/** The query's window: `since` (clamped to the retention) up to now, cut into at most MAX_STATS_POINTS steps. */
export function statsWindow(sinceIso: string | undefined, now: number): StatsWindow {
  const oldest = now - RETENTION_MS;
  const asked = sinceIso !== undefined ? Date.parse(sinceIso) : now - DEFAULT_STATS_WINDOW_MINUTES * 60_000;
  const since = Math.min(Math.max(asked, oldest), now - MIN_STEP_MS);
  // + 1: a sample taken exactly at `until` still falls in the last step
  const stepMs = Math.max(MIN_STEP_MS, Math.ceil((now - since + 1) / MAX_STATS_POINTS));
  return { since: new Date(since), until: new Date(now), stepMs };
}

/** Steps (ordered by environment, service, step) as one series per environment and service. */
export function toSeries(
  buckets: readonly ServiceStatsBucket[],
  window: Pick<StatsWindow, 'since' | 'stepMs'>,
): ServiceStatsSeries[] {
  const out: ServiceStatsSeries[] = [];
  let current: ServiceStatsSeries | undefined;
  for (const b of buckets) {
    if (b.bucket < 0 || b.bucket >= MAX_STATS_POINTS) continue;
    if (!current || current.environment !== b.environment || current.service !== b.service) {
      current = { environment: b.environment, service: b.service, points: [] };
      out.push(current);
    }
    current.points.push({
      at: new Date(window.since.getTime() + b.bucket * window.stepMs).toISOString(),
      cpuPercent: Math.round(b.cpuPercent * 100) / 100,
      memoryBytes: Math.round(b.memoryBytes),
      memoryLimitBytes: Math.round(b.memoryLimitBytes),
      tasks: Math.round(b.tasks * 10) / 10,
    });
  }
  return out;
}
