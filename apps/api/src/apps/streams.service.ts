import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { FINAL_BUILD_STATUSES, FINAL_STATUSES, LogLine } from '@wharf/contracts';
import {
  AgentCommandsRepository,
  type AppRow,
  BuildsRepository,
  Database,
  DeploymentsRepository,
  type TenantId,
  type TenantScope,
} from '@wharf/db';
import { type Bus, CHANNELS, KEYS } from '@wharf/queue';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { BUS, DATABASE, REDIS } from '../core/tokens.js';

const KEEPALIVE_MS = 15_000;
const ALIVE_TTL_S = 30;
const LogBatch = z.object({ lines: z.array(LogLine), done: z.boolean() });

/** Opens a Server-Sent Events response on a hijacked reply. */
export function openEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
}

interface StreamEvent {
  seq: number;
  event: string;
  data: unknown;
}

function send(res: ServerResponse, event: string, data: unknown, id?: number): void {
  res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * The two live streams: a deployment's events until it ends, and a service's logs (requested from the cluster's
 * agent, carried over Redis). Each runs outside the request's transaction, which has committed by then.
 */
@Injectable()
export class StreamsService {
  private readonly log = new Logger(StreamsService.name);
  private readonly deployments = new DeploymentsRepository();
  private readonly builds = new BuildsRepository();
  private readonly commands = new AgentCommandsRepository();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  deploymentEvents(res: ServerResponse, tenantId: TenantId, deploymentId: string, afterSeq: number): void {
    this.follow(res, tenantId, CHANNELS.deployment(deploymentId), afterSeq, async (s, seq) => {
      const status = (await this.deployments.get(s, deploymentId))?.status;
      return {
        events: (await this.deployments.events(s, deploymentId, seq)).map((e) => ({
          seq: Number(e.seq),
          event: e.kind,
          data: { seq: Number(e.seq), at: e.at.toISOString(), kind: e.kind, message: e.message },
        })),
        end: !status || FINAL_STATUSES.includes(status) ? { status: status ?? null } : undefined,
      };
    });
  }

  /** A build's log from chunk `afterSeq` on, live until the build ends (`log` events, then `end`). */
  buildLog(res: ServerResponse, tenantId: TenantId, buildId: string, afterSeq: number): void {
    this.follow(res, tenantId, CHANNELS.build(buildId), afterSeq, async (s, seq) => {
      const build = await this.builds.get(s, buildId);
      return {
        events: (await this.builds.logs(s, buildId, seq)).map((c) => ({
          seq: c.seq,
          event: 'log',
          data: { seq: c.seq, text: c.text },
        })),
        end:
          !build || FINAL_BUILD_STATUSES.includes(build.status)
            ? { status: build?.status ?? null, reason: build?.reason ?? null }
            : undefined,
      };
    });
  }

  /**
   * Streams what `read` finds after the last event sent, woken by `channel` (or every second), until `read` says
   * the record ended: the pass that sees the end also reads what was written just before it.
   */
  private follow(
    res: ServerResponse,
    tenantId: TenantId,
    channel: string,
    afterSeq: number,
    read: (s: TenantScope, afterSeq: number) => Promise<{ events: StreamEvent[]; end: unknown }>,
  ): void {
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    void (async () => {
      let seq = afterSeq;
      let lastWrite = Date.now();
      const news = await this.bus.listen(channel);
      while (!closed.signal.aborted) {
        const { events, end } = await this.db.withTenant(tenantId, null, (s) => read(s, seq));
        for (const e of events) {
          seq = e.seq;
          send(res, e.event, e.data, e.seq);
          lastWrite = Date.now();
        }
        if (end !== undefined) {
          send(res, 'end', end);
          break;
        }
        if (Date.now() - lastWrite > KEEPALIVE_MS) {
          res.write(': keepalive\n\n');
          lastWrite = Date.now();
        }
        await news.next(1_000, closed.signal);
      }
      await news.close();
      res.end();
    })().catch((err: unknown) => {
      this.log.error(err);
      res.end();
    });
  }

  /** Asks the app's agent for its service's logs and relays them until the client goes or the stream ends. */
  async serviceLogs(
    res: ServerResponse,
    app: AppRow,
    request: { environment: string; service: string; follow: boolean; sinceMs?: number | undefined; tail: number },
  ): Promise<void> {
    const streamId = randomUUID();
    const aliveKey = KEYS.logStreamAlive(streamId);
    await this.redis.set(aliveKey, '1', 'EX', ALIVE_TTL_S);
    let finished = false;
    let resolveEnd: () => void = () => undefined;
    const ended = new Promise<void>((r) => {
      resolveEnd = r;
    });
    const unsubscribe = await this.bus.subscribe(CHANNELS.logs(streamId), (message) => {
      const batch = LogBatch.safeParse(JSON.parse(message));
      if (!batch.success) return;
      for (const line of batch.data.lines) send(res, 'log', line);
      if (batch.data.done) resolveEnd();
    });
    res.once('close', () => resolveEnd());
    const keepalive = setInterval(() => {
      res.write(': keepalive\n\n');
      void this.redis.expire(aliveKey, ALIVE_TTL_S);
    }, KEEPALIVE_MS / 3);
    await this.db.withPlatform((p) =>
      this.commands.enqueue(p, {
        clusterId: app.clusterId,
        tenantId: app.tenantId,
        idempotencyKey: `logs-${streamId}`,
        kind: 'logs.stream',
        payload: {
          kind: 'logs.stream',
          streamId,
          scope: { tenantId: app.tenantId, app: app.slug, environment: request.environment },
          service: request.service,
          follow: request.follow,
          ...(request.sinceMs !== undefined ? { sinceMs: request.sinceMs } : {}),
          tail: request.tail,
        },
      }),
    );
    await this.bus.publish(CHANNELS.agentWake(app.clusterId));
    void ended.then(async () => {
      if (finished) return;
      finished = true;
      clearInterval(keepalive);
      await this.redis.del(aliveKey);
      await unsubscribe();
      if (!res.writableEnded) {
        send(res, 'end', {});
        res.end();
      }
    });
  }
}
