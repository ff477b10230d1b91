import type { Redis } from 'ioredis';

/**
 * Redis pub/sub between processes: wakes an agent's long-poll on whichever API replica holds it, tells the worker
 * a command finished, carries log lines from the agent's request to the client's stream. Messages are hints:
 * every listener also reads the durable state in Postgres, so a missed message only costs a poll interval.
 */
export const CHANNELS = {
  /** A command was written for the cluster's agent. */
  agentWake: (clusterId: string) => `wharf:agent-wake:${clusterId}`,
  /** An agent reported a command's result. */
  commandDone: (commandId: string) => `wharf:command-done:${commandId}`,
  /** Log lines of one requested stream (JSON `{ lines, done }`). */
  logs: (streamId: string) => `wharf:logs:${streamId}`,
  /** A deployment has new events. */
  deployment: (deploymentId: string) => `wharf:deployment:${deploymentId}`,
  /** A build has new log text or a new status. */
  build: (buildId: string) => `wharf:build:${buildId}`,
} as const;

/** Redis keys shared by API replicas. */
export const KEYS = {
  /** Present (with a short TTL the client's stream keeps renewing) while someone reads a log stream. */
  logStreamAlive: (streamId: string) => `wharf:logs-alive:${streamId}`,
} as const;

type Listener = (message: string) => void;

export interface Listening {
  next(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

export class Bus {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly redis: Redis) {
    this.subscriber = redis.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const fn of this.listeners.get(channel) ?? []) fn(message);
    });
  }

  async publish(channel: string, message = ''): Promise<void> {
    await this.redis.publish(channel, message);
  }

  /** Calls `fn` for each message on `channel` until the returned function is called. */
  async subscribe(channel: string, fn: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await this.subscriber.subscribe(channel);
    }
    set.add(fn);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(fn) || current.size > 0) return;
      this.listeners.delete(channel);
      await this.subscriber.unsubscribe(channel);
    };
  }

  /**
   * Listens on `channel` from now on: `next()` resolves as soon as a message has arrived since the previous
   * `next()` (or since `listen()`), or after its timeout. Subscribe first, then read the state the message is about,
   * then wait: a message published in between is not lost.
   */
  async listen(channel: string): Promise<Listening> {
    let pending = false;
    let wake: (() => void) | undefined;
    const unsubscribe = await this.subscribe(channel, () => {
      pending = true;
      wake?.();
    });
    return {
      async next(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
        if (!pending && !signal?.aborted) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, timeoutMs);
            function done() {
              clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              wake = undefined;
              resolve();
            }
            wake = done;
            signal?.addEventListener('abort', done);
          });
        }
        const woken = pending;
        pending = false;
        return woken;
      },
      close: unsubscribe,
    };
  }

  /** Waits for one message on `channel` (or the timeout); true when one came. */
  async wait(channel: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const listening = await this.listen(channel);
    try {
      return await listening.next(timeoutMs, signal);
    } finally {
      await listening.close();
    }
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
