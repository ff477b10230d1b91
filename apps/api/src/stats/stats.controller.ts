import { Controller, Req } from '@nestjs/common';
import { agentRoutes, type RouteInput, type RouteOutput, statsRoutes } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import { Endpoint, Input, Scope } from '../core/endpoint.decorator.js';
import { stateOf, type WharfRequest } from '../core/request-state.js';
import { StatsService } from './stats.service.js';

/** Service CPU and memory: agents report it (agent API), the tenant's members read it per app. */
@Controller()
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Endpoint(agentRoutes.stats)
  async report(
    @Req() req: WharfRequest,
    @Input() input: RouteInput<typeof agentRoutes.stats>,
  ): Promise<RouteOutput<typeof agentRoutes.stats>> {
    const agent = stateOf(req).agent;
    if (!agent) throw new Error('agent route without an authenticated agent');
    return { recorded: await this.stats.record(agent, input.body) };
  }

  @Endpoint(statsRoutes.app)
  app(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof statsRoutes.app>,
  ): Promise<RouteOutput<typeof statsRoutes.app>> {
    return this.stats.read(scope, input.params.app, input.query);
  }
}
