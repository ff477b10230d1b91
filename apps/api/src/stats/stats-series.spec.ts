import { MAX_STATS_POINTS } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { RETENTION_MS, statsWindow, toSeries } from './stats-series.js';

const NOW = Date.parse('2026-11-29T12:00:00.000Z');

describe('statsWindow', () => {
  it('is the last hour by default, in 120 steps', () => {
    const w = statsWindow(undefined, NOW);
    expect(w.since.toISOString()).toBe('2026-11-29T11:00:00.000Z');
    expect(w.until.getTime()).toBe(NOW);
    expect(w.stepMs).toBe(30_001);
    // a sample taken at `until` falls in the last step
    expect(Math.floor((NOW - w.since.getTime()) / w.stepMs)).toBe(MAX_STATS_POINTS - 1);
  });

  it('reaches back no further than the retention, and never past now', () => {
    expect(statsWindow('2026-11-01T00:00:00Z', NOW).since.getTime()).toBe(NOW - RETENTION_MS);
    const future = statsWindow('2027-01-01T00:00:00Z', NOW);
    expect(future.since.getTime()).toBeLessThan(NOW);
    expect(future.stepMs).toBe(1000);
  });

  it('keeps steps of at least a second in a short window', () => {
    const w = statsWindow(new Date(NOW - 30_000).toISOString(), NOW);
    expect(w.stepMs).toBe(1000);
    expect(Math.floor((NOW - w.since.getTime()) / w.stepMs)).toBeLessThan(MAX_STATS_POINTS);
  });
});

describe('toSeries', () => {
  const window = { since: new Date(NOW - 60_000), stepMs: 10_000 };
  const bucket = (environment: string, service: string, b: number, cpu = 1) => ({
    environment,
    service,
    bucket: b,
    cpuPercent: cpu,
    memoryBytes: 1048576.4,
    memoryLimitBytes: 67108864,
    tasks: 1.25,
  });

  it('makes one series per environment and service, each step at its start time', () => {
    const series = toSeries(
      [
        bucket('production', 'web', 0, 12.3456),
        bucket('production', 'web', 3),
        bucket('production', 'worker', 1),
        bucket('staging', 'web', 5),
      ],
      window,
    );
    expect(series.map((s) => [s.environment, s.service, s.points.map((p) => p.at)])).toEqual([
      ['production', 'web', ['2026-11-29T11:59:00.000Z', '2026-11-29T11:59:30.000Z']],
      ['production', 'worker', ['2026-11-29T11:59:10.000Z']],
      ['staging', 'web', ['2026-11-29T11:59:50.000Z']],
    ]);
    expect(series[0]?.points[0]).toEqual({
      at: '2026-11-29T11:59:00.000Z',
      cpuPercent: 12.35,
      memoryBytes: 1048576,
      memoryLimitBytes: 67108864,
      tasks: 1.3,
    });
  });

  it('drops steps outside the window', () => {
    expect(toSeries([bucket('production', 'web', -1), bucket('production', 'web', MAX_STATS_POINTS)], window)).toEqual([]);
  });
});
