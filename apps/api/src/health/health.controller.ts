import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { buildOpenApi, PLAN_IDS, planRoutes, ROUTES, type RouteOutput } from '@wharf/contracts';
import { type Database, PlansRepository } from '@wharf/db';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { Endpoint } from '../core/endpoint.decorator.js';
import { DATABASE, REDIS } from '../core/tokens.js';

const VERSION = '0.1.0';

@Controller()
export class HealthController {
  private readonly openapi = buildOpenApi(ROUTES, { version: VERSION });
  private readonly plans = new PlansRepository();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Liveness: the process answers. */
  @Get('/healthz')
  healthz() {
    return { status: 'ok' };
  }

  /** Readiness: Postgres and Redis are reachable. */
  @Get('/readyz')
  async readyz(@Res({ passthrough: true }) reply: FastifyReply) {
    const check = async (fn: () => Promise<unknown>) => {
      try {
        await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
        return 'ok';
      } catch (err) {
        return `unavailable: ${(err as Error).message}`;
      }
    };
    const checks = { postgres: await check(() => this.db.ping()), redis: await check(() => this.redis.ping()) };
    const ok = Object.values(checks).every((c) => c === 'ok');
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  @Get('/api/openapi.json')
  @HttpCode(200)
  @Header('cache-control', 'public, max-age=60')
  openApi() {
    return this.openapi;
  }

  @Endpoint(planRoutes.list)
  async listPlans(): Promise<RouteOutput<typeof planRoutes.list>> {
    const rows = await this.db.unscoped((trx) => this.plans.list(trx));
    const order = (id: string) => (PLAN_IDS as readonly string[]).indexOf(id);
    return { items: rows.filter((p) => order(p.id) >= 0).sort((a, b) => order(a.id) - order(b.id)) };
  }
}
