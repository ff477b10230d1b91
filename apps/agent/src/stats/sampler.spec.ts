import { MAX_STATS_SERVICES, type ServiceUsage, type StatsReport } from '@wharf/contracts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { EngineContainer, EngineContainerStats } from '../docker/engine-types.js';
import type { DockerRepository, EngineSummary } from '../docker/repository.js';
import { EngineError } from '../errors.js';
import { runStatsSampler, StatsSampler, statsReports } from './sampler.js';

const CLUSTER = '7d3c7c1e-59a4-4bd6-9a40-1f6a3a0b9c11';
const TENANT = '3f0c6a4e-8a9b-4c1d-9e2f-1a2b3c4d5e6f';
const SCOPE = { tenantId: TENANT, app: 'shop', environment: 'production' };
const silent = pino({ level: 'silent' });

const labels = (service: string) => ({
  'wharf.managed-by': 'wharf',
  'wharf.cluster': CLUSTER,
  'wharf.tenant': TENANT,
  'wharf.app': 'shop',
  'wharf.environment': 'production',
  'wharf.service': service,
});

/** An engine whose containers' CPU counters advance by what the test says between samples. */
class FakeEngine {
  containers: EngineContainer[] = [];
  /** Container id → its CPU time (ns); the machine's advances 1e9 per call on 1 CPU. */
  cpu = new Map<string, number>();
  system = 1e12;
  memory = new Map<string, number>();
  failing = new Set<string>();
  filters: string[][] = [];
  swarmNodeId = 'node-a';

  runningContainers = async (filters: string[]) => {
    this.filters.push(filters);
    return this.containers;
  };

  containerStats = async (id: string): Promise<EngineContainerStats | undefined> => {
    if (this.failing.has(id)) throw new EngineError(`GET /containers/${id}/stats: boom`, 500);
    const total = this.cpu.get(id);
    if (total === undefined) return undefined;
    return {
      cpu_stats: { cpu_usage: { total_usage: total }, system_cpu_usage: this.system, online_cpus: 1 },
      memory_stats: { usage: this.memory.get(id) ?? 0, limit: 64 * 1_048_576, stats: { inactive_file: 0 } },
    };
  };

  engine = async (): Promise<EngineSummary> => ({
    version: '27.5.1',
    apiVersion: '1.47',
    os: 'Debian',
    swarmNodeId: this.swarmNodeId,
    isManager: true,
    cpus: 1,
    memoryBytes: 1 << 30,
  });

  add(id: string, service: string, memory: number) {
    this.containers.push({ Id: id, Labels: labels(service) });
    this.cpu.set(id, 0);
    this.memory.set(id, memory);
  }

  /** One second of machine time passes, in which each listed container used this share of the CPU. */
  tick(shares: Record<string, number>) {
    this.system += 1e9;
    for (const [id, share] of Object.entries(shares)) this.cpu.set(id, (this.cpu.get(id) ?? 0) + share * 1e9);
  }

  asRepository(): DockerRepository {
    return this as unknown as DockerRepository;
  }
}

describe('StatsSampler', () => {
  it('lists the cluster’s running Wharf containers, and reports each service from its second sample on', async () => {
    const engine = new FakeEngine();
    engine.add('c1', 'web', 10_000_000);
    engine.add('c2', 'web', 20_000_000);
    engine.add('c3', 'worker', 5_000_000);
    const sampler = new StatsSampler(engine.asRepository(), CLUSTER, silent);
    const signal = new AbortController().signal;

    expect(await sampler.sample(signal)).toEqual([]);
    expect(engine.filters[0]).toEqual(['wharf.managed-by=wharf', `wharf.cluster=${CLUSTER}`]);

    engine.tick({ c1: 0.25, c2: 0.5, c3: 0 });
    expect(await sampler.sample(signal)).toEqual([
      { scope: SCOPE, service: 'web', tasks: 2, cpuPercent: 75, memoryBytes: 30_000_000, memoryLimitBytes: 2 * 64 * 1_048_576 },
      { scope: SCOPE, service: 'worker', tasks: 1, cpuPercent: 0, memoryBytes: 5_000_000, memoryLimitBytes: 64 * 1_048_576 },
    ]);
  });

  it('forgets containers that stopped, skips one whose stats fail or that is gone, and ignores foreign labels', async () => {
    const engine = new FakeEngine();
    engine.add('c1', 'web', 1);
    engine.add('c2', 'web', 1);
    engine.add('gone', 'web', 1);
    engine.cpu.delete('gone');
    // a container without a valid Wharf scope (labels not of a stack) counts for nothing
    engine.containers.push({ Id: 'odd', Labels: { ...labels('web'), 'wharf.tenant': 'not-a-uuid' } });
    engine.cpu.set('odd', 0);
    const sampler = new StatsSampler(engine.asRepository(), CLUSTER, silent);
    const signal = new AbortController().signal;
    await sampler.sample(signal);

    engine.failing.add('c2');
    engine.tick({ c1: 0.5, c2: 1, odd: 1 });
    expect(await sampler.sample(signal)).toEqual([
      { scope: SCOPE, service: 'web', tasks: 1, cpuPercent: 50, memoryBytes: 1, memoryLimitBytes: 64 * 1_048_576 },
    ]);

    // c2 is measured since its last reading that worked (1.1 s of CPU over 2 s)
    engine.failing.clear();
    const c1 = engine.containers.find((c) => c.Id === 'c1');
    engine.containers = engine.containers.filter((c) => c.Id !== 'c1');
    engine.tick({ c1: 1, c2: 0.1 });
    expect(await sampler.sample(signal)).toEqual([
      { scope: SCOPE, service: 'web', tasks: 1, cpuPercent: 55, memoryBytes: 1, memoryLimitBytes: 64 * 1_048_576 },
    ]);

    // c1 was forgotten when it stopped running: back again, it starts without a reading (no CPU from before)
    if (c1) engine.containers.push(c1);
    engine.tick({ c1: 1, c2: 0.3 });
    expect(await sampler.sample(signal)).toEqual([
      { scope: SCOPE, service: 'web', tasks: 2, cpuPercent: 30, memoryBytes: 2, memoryLimitBytes: 2 * 64 * 1_048_576 },
    ]);
  });
});

describe('statsReports', () => {
  it('splits a long list into reports the API accepts', () => {
    const one: ServiceUsage = { scope: SCOPE, service: 'web', tasks: 1, cpuPercent: 1, memoryBytes: 1, memoryLimitBytes: 1 };
    const reports = statsReports(
      'node-a',
      Array.from({ length: MAX_STATS_SERVICES + 1 }, () => one),
    );
    expect(reports.map((r) => [r.node, r.services.length])).toEqual([
      ['node-a', MAX_STATS_SERVICES],
      ['node-a', 1],
    ]);
    expect(statsReports('node-a', [])).toEqual([]);
  });
});

describe('runStatsSampler', () => {
  it('reports every interval, goes on after failures of the engine and of the API, and ends with its signal', async () => {
    const engine = new FakeEngine();
    engine.add('c1', 'web', 1);
    const posted: StatsReport[] = [];
    let apiDown = true;
    const api = {
      postStats: async (report: StatsReport) => {
        if (apiDown) {
          apiDown = false;
          throw new Error('the API answered 503');
        }
        posted.push(report);
        return { recorded: report.services.length };
      },
    };
    let listed = 0;
    const listing = engine.runningContainers;
    engine.runningContainers = async (filters: string[]) => {
      listed++;
      engine.tick({ c1: 0.2 });
      if (listed === 3) throw new EngineError('GET /containers: engine restarting', 500);
      return listing(filters);
    };
    const abort = new AbortController();
    const loop = runStatsSampler({
      api,
      docker: engine.asRepository(),
      clusterId: CLUSTER,
      intervalMs: 5,
      log: silent,
      signal: abort.signal,
    });
    const deadline = Date.now() + 5_000;
    while (posted.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await expect(loop).resolves.toBeUndefined();
    expect(posted.length).toBeGreaterThanOrEqual(2);
    expect(posted[0]).toEqual({
      node: 'node-a',
      services: [{ scope: SCOPE, service: 'web', tasks: 1, cpuPercent: 20, memoryBytes: 1, memoryLimitBytes: 64 * 1_048_576 }],
    });
  });

  it('reports nothing while its engine is in no Swarm', async () => {
    const engine = new FakeEngine();
    engine.swarmNodeId = '';
    engine.add('c1', 'web', 1);
    const posted: StatsReport[] = [];
    const abort = new AbortController();
    const loop = runStatsSampler({
      api: {
        postStats: async (r: StatsReport) => {
          posted.push(r);
          return { recorded: 0 };
        },
      },
      docker: engine.asRepository(),
      clusterId: CLUSTER,
      intervalMs: 2,
      log: silent,
      signal: abort.signal,
    });
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await loop;
    expect(engine.filters).toEqual([]);
    expect(posted).toEqual([]);
  });
});
