import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CONFIG, type Config } from '../config.js';
import { REDIS } from '../core/tokens.js';

const KEY = (sid: string) => `wharf:session-revoked:${sid}`;
const CHANNEL = 'wharf:session-revoked';

/**
 * Signed-out sessions whose access tokens may still be unexpired. Redis holds the list (a key per session, expiring
 * with the last access token); every API process keeps a copy in memory, loaded at start and on every reconnect and
 * kept current through pub/sub, so checking a request costs no round trip. A process that revokes a session adds it
 * to its own copy before answering.
 */
@Injectable()
export class SessionRevocations implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(SessionRevocations.name);
  private readonly revoked = new Map<string, number>();
  private subscriber?: Redis;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onModuleInit(): Promise<void> {
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, sid: string) => this.remember(sid));
    // after any reconnect, what was published meanwhile is in the keys
    subscriber.on('ready', () => void this.load().catch((err) => this.log.error(err)));
    await subscriber.subscribe(CHANNEL);
    await this.load();
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
  }

  isRevoked(sessionId: string): boolean {
    const until = this.revoked.get(sessionId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.revoked.delete(sessionId);
    return false;
  }

  async revoke(sessionId: string): Promise<void> {
    this.remember(sessionId);
    await this.redis.multi().set(KEY(sessionId), '1', 'EX', this.ttlSeconds()).publish(CHANNEL, sessionId).exec();
  }

  private remember(sessionId: string): void {
    this.revoked.set(sessionId, Date.now() + this.ttlSeconds() * 1000);
  }

  private ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS + 60;
  }

  private async load(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', KEY('*'), 'COUNT', 1000);
      cursor = next;
      for (const key of keys) this.remember(key.slice(KEY('').length));
    } while (cursor !== '0');
    for (const [sid, until] of this.revoked) if (until <= Date.now()) this.revoked.delete(sid);
  }
}
