import { Inject, Injectable } from '@nestjs/common';
import { RateLimitedError } from '@wharf/contracts';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { CONFIG, type Config } from '../config.js';
import { REDIS } from '../core/tokens.js';

type Bucket = 'login-ip' | 'login-account' | 'signup-ip';

/** Fixed-window limits kept in Redis, so they hold across every API replica. */
@Injectable()
export class RateLimitService {
  private readonly limiters: Record<Bucket, RateLimiterRedis>;

  constructor(@Inject(REDIS) redis: Redis, @Inject(CONFIG) config: Config) {
    const make = (keyPrefix: Bucket, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `wharf:rl:${keyPrefix}`,
        points,
        duration: config.RATE_LIMIT_WINDOW_SECONDS,
      });
    this.limiters = {
      'login-ip': make('login-ip', config.LOGIN_RATE_LIMIT_PER_IP),
      'login-account': make('login-account', config.LOGIN_RATE_LIMIT_PER_ACCOUNT),
      'signup-ip': make('signup-ip', config.SIGNUP_RATE_LIMIT_PER_IP),
    };
  }

  /** Counts one attempt in each bucket; throws RateLimitedError (429) when any is exhausted. */
  async consume(...hits: [Bucket, string][]): Promise<void> {
    for (const [bucket, key] of hits) {
      try {
        await this.limiters[bucket].consume(key);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
        throw err;
      }
    }
  }
}
