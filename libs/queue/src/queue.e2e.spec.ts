import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { JobQueues } from './job-queues.js';
import { assertHandlers, type JobHandlers } from './jobs.js';
import { createWorker } from './worker.js';

// each run in its own key space of the real Redis
const prefix = `wharf-test-${process.pid}-${Date.now()}`;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', { maxRetriesPerRequest: null });
const queues = new JobQueues(redis, prefix);

afterAll(async () => {
  await queues.obliterate();
  await queues.close();
  redis.disconnect();
});

const noop = async () => undefined;

describe('job queues', () => {
  it('refuse a payload that does not match its job', async () => {
    await expect(queues.enqueue('deploy.run', { tenantId: 'nope', deploymentId: randomUUID() })).rejects.toThrow();
    await expect(
      queues.enqueue('deploy.run', { tenantId: randomUUID(), deploymentId: randomUUID(), extra: 1 } as never),
    ).rejects.toThrow();
  });

  it('give a job its fixed id, so enqueueing it twice adds it once', async () => {
    const payload = { tenantId: randomUUID(), deploymentId: randomUUID() };
    const first = await queues.enqueue('deploy.run', payload);
    const again = await queues.enqueue('deploy.run', payload);
    expect(first.id).toBe(`deploy-${payload.deploymentId}`);
    expect(again.id).toBe(first.id);
    const jobs = await queues.queue('deploy').getJobs(['prioritized', 'waiting']);
    expect(jobs.filter((j) => j.id === first.id)).toHaveLength(1);
    expect(first.priority).toBe(1);
    expect(again.priority).toBe(1);
    await queues.obliterate();
  });

  it('refuse to start a worker while a job name has no handler', () => {
    expect(() => assertHandlers({ 'deploy.run': noop })).toThrow(
      /no handlers? for jobs?: app.sync, reconcile.cluster, build.run, host.provision, host.deprovision, reconcile.sweep/,
    );
    expect(() => createWorker('deploy', { 'deploy.run': noop }, { redis, queues })).toThrow(/reconcile.cluster/);
  });

  it("keep tenants fair: A's 30 queued deploys do not hold back B's one", async () => {
    const a = randomUUID();
    const b = randomUUID();
    const aJobs = [];
    for (let i = 0; i < 30; i++) aJobs.push(await queues.enqueue('deploy.run', { tenantId: a, deploymentId: randomUUID() }));
    const bJob = await queues.enqueue('deploy.run', { tenantId: b, deploymentId: randomUUID() });
    expect(aJobs.map((j) => j.priority)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(bJob.priority).toBe(1);

    const order: string[] = [];
    const handlers: JobHandlers = {
      'deploy.run': async (p) => {
        order.push(p.tenantId === b ? 'B' : 'A');
      },
      'app.sync': noop,
      'reconcile.cluster': noop,
      'reconcile.sweep': noop,
      'build.run': noop,
      'host.provision': noop,
      'host.deprovision': noop,
      'host.sweep': noop,
    };
    const worker = createWorker('deploy', handlers, { redis, queues }, { prefix, concurrency: 1 });
    try {
      for (let i = 0; i < 200 && order.length < 31; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.close();
    }
    expect(order).toHaveLength(31);
    expect(order.indexOf('B')).toBeLessThan(4);
    // finished jobs no longer count: A's next deploy is first in line again
    for (let i = 0; i < 100 && (await redis.scard(`${prefix}:fair:deploy:${a}`)) > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await queues.enqueue('deploy.run', { tenantId: a, deploymentId: randomUUID() })).priority).toBe(1);
  });
});
