import { LABEL_CLUSTER, LABEL_MANAGED_BY, MANAGED_BY } from '@wharf/engine';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DockerRepository } from '../docker/repository.js';
import { EngineError } from '../errors.js';
import type { ExecutorContext, LogBatchBody } from './context.js';
import { streamLogs } from './logs-stream.js';

const clusterId = 'cluster-1';
const scope = { tenantId: '0b6a1f3e-8f7c-4d59-9d0e-3c1b2a4d5e6f', app: 'web', environment: 'production' };

/** An engine whose followed service logs have not answered yet: the request ends only when it is aborted. */
const slowEngine = {
  serviceByName: async () => ({
    ID: 'service-1',
    Spec: { Labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_CLUSTER]: clusterId } },
  }),
  tasks: async () => [],
  serviceLogs: (_id: string, options: { signal?: AbortSignal }) =>
    new Promise((_resolve, reject) => {
      options.signal?.addEventListener('abort', () => reject(new EngineError('GET /services/logs: aborted')));
    }),
} as unknown as DockerRepository;

afterEach(() => {
  vi.useRealTimers();
});

describe('streamLogs', () => {
  it('ends as stopped by the API when the reader leaves before the engine has answered (not as a failure)', async () => {
    vi.useFakeTimers();
    const sent: LogBatchBody[] = [];
    const ctx: ExecutorContext = {
      docker: slowEngine,
      clusterId,
      log: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      progress: () => undefined,
      sendLogs: async (_streamId, batch) => {
        sent.push(batch);
        return { continue: false };
      },
    };
    const result = streamLogs(ctx, { streamId: 's-1', scope, service: 'web', follow: true, tail: 1 });
    // the keepalive of a quiet stream asks whether to go on
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toEqual({ lines: 0, ended: 'api-stopped' });
    expect(sent).toEqual([{ lines: [], done: false }]);
  });
});
