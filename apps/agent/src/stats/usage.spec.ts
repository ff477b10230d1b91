import { describe, expect, it } from 'vitest';
import { type ContainerUsage, cpuPercent, cpuReading, memoryLimit, memoryUsed, usageByService } from './usage.js';

const SCOPE = { tenantId: '3f0c6a4e-8a9b-4c1d-9e2f-1a2b3c4d5e6f', app: 'shop', environment: 'production' };

describe('cpuReading', () => {
  it('reads the container and machine CPU time and the online CPUs', () => {
    expect(cpuReading({ cpu_stats: { cpu_usage: { total_usage: 5e9 }, system_cpu_usage: 9e11, online_cpus: 2 } })).toEqual({
      container: 5e9,
      system: 9e11,
      onlineCpus: 2,
    });
  });

  it('counts the per-CPU figures when the engine does not say how many CPUs are online (older engines)', () => {
    expect(
      cpuReading({ cpu_stats: { cpu_usage: { total_usage: 1, percpu_usage: [1, 0, 0, 0] }, system_cpu_usage: 10 } }),
    ).toEqual({ container: 1, system: 10, onlineCpus: 4 });
  });

  it('has nothing for an ended container (the engine sends zeros or nothing)', () => {
    expect(cpuReading({})).toBeUndefined();
    expect(cpuReading({ cpu_stats: { cpu_usage: { total_usage: 0 }, system_cpu_usage: 0 } })).toBeUndefined();
  });
});

describe('cpuPercent', () => {
  it('is the container’s share of the machine’s CPU time, times its CPUs, in percent of one core', () => {
    // 2 CPUs; over 2e9 ns of machine time (1 s on each CPU) the container used 0.5 s: half a core
    const before = { container: 10e9, system: 100e9, onlineCpus: 2 };
    const after = { container: 10.5e9, system: 102e9, onlineCpus: 2 };
    expect(cpuPercent(before, after)).toBeCloseTo(50, 6);
    // both CPUs busy: 200
    expect(cpuPercent(before, { ...after, container: 12e9 })).toBeCloseTo(200, 6);
    expect(cpuPercent(before, { ...after, container: 10e9 })).toBe(0);
  });

  it('cannot compare readings without time between them, or with counters that went backwards', () => {
    const reading = { container: 10e9, system: 100e9, onlineCpus: 2 };
    expect(cpuPercent(reading, reading)).toBeUndefined();
    expect(cpuPercent(reading, { ...reading, container: 1e9, system: 101e9 })).toBeUndefined();
  });
});

describe('memoryUsed', () => {
  it('leaves out the inactive page cache, as docker stats does (cgroup v2)', () => {
    expect(memoryUsed({ memory_stats: { usage: 100_000_000, limit: 268_435_456, stats: { inactive_file: 30_000_000 } } })).toBe(
      70_000_000,
    );
  });

  it('reads cgroup v1’s total_inactive_file first', () => {
    expect(memoryUsed({ memory_stats: { usage: 100, stats: { total_inactive_file: 40, inactive_file: 10 } } })).toBe(60);
  });

  it('keeps the usage when the cache figure is missing or larger than it', () => {
    expect(memoryUsed({ memory_stats: { usage: 100, stats: { inactive_file: 150 } } })).toBe(100);
    expect(memoryUsed({ memory_stats: { usage: 100 } })).toBe(100);
    expect(memoryUsed({})).toBe(0);
  });

  it('reads the limit', () => {
    expect(memoryLimit({ memory_stats: { limit: 268_435_456 } })).toBe(268_435_456);
    expect(memoryLimit({})).toBe(0);
  });
});

describe('usageByService', () => {
  const task = (service: string, cpu: number | undefined, memory: number, extra: Partial<ContainerUsage> = {}) => ({
    scope: SCOPE,
    service,
    cpuPercent: cpu,
    memoryBytes: memory,
    memoryLimitBytes: 256,
    ...extra,
  });

  it('sums the tasks of each service', () => {
    const usage = usageByService([task('web', 12.5, 100), task('web', 30.25, 50), task('worker', 1, 10)]);
    expect(usage).toEqual([
      { scope: SCOPE, service: 'web', tasks: 2, cpuPercent: 42.75, memoryBytes: 150, memoryLimitBytes: 512 },
      { scope: SCOPE, service: 'worker', tasks: 1, cpuPercent: 1, memoryBytes: 10, memoryLimitBytes: 256 },
    ]);
  });

  it('keeps services of the same name in other environments and apps apart', () => {
    const staging = { ...SCOPE, environment: 'staging' };
    const other = { ...SCOPE, app: 'blog' };
    const usage = usageByService([task('web', 1, 1), task('web', 2, 2, { scope: staging }), task('web', 3, 3, { scope: other })]);
    expect(usage.map((u) => [u.scope.app, u.scope.environment, u.cpuPercent])).toEqual([
      ['shop', 'production', 1],
      ['shop', 'staging', 2],
      ['blog', 'production', 3],
    ]);
  });

  it('sums CPU over the tasks measured so far, and leaves out a service none of whose tasks has been measured yet', () => {
    const usage = usageByService([task('web', 10, 100), task('web', undefined, 100), task('new', undefined, 5)]);
    expect(usage).toEqual([{ scope: SCOPE, service: 'web', tasks: 2, cpuPercent: 10, memoryBytes: 200, memoryLimitBytes: 512 }]);
  });

  it('stays within the report’s bounds', () => {
    const [usage] = usageByService([task('web', 2e6, 2 ** 51, { memoryLimitBytes: -5 })]);
    expect(usage).toMatchObject({ cpuPercent: 1_000_000, memoryBytes: 2 ** 50, memoryLimitBytes: 0 });
  });
});
