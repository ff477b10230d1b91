import { Controller, Headers, Res } from '@nestjs/common';
import { deploymentRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import type { FastifyReply } from 'fastify';
import { BuildsService } from '../builds/builds.service.js';
import { Caller, Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import { afterCommit, type RequestState } from '../core/request-state.js';
import { AppsService } from './apps.service.js';
import { DeploymentsService } from './deployments.service.js';
import { openEventStream, StreamsService } from './streams.service.js';

@Controller()
export class DeploymentsController {
  constructor(
    private readonly apps: AppsService,
    private readonly deployments: DeploymentsService,
    private readonly streams: StreamsService,
    private readonly builds: BuildsService,
  ) {}

  @Endpoint(deploymentRoutes.list)
  async list(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof deploymentRoutes.list>) {
    const { environment, ...page } = input.query;
    return this.deployments.list(scope, (await this.apps.find(scope, input.params.app)).id, page, environment);
  }

  @Endpoint(deploymentRoutes.create)
  async create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof deploymentRoutes.create>,
  ): Promise<RouteOutput<typeof deploymentRoutes.create>> {
    const app = await this.apps.find(scope, input.params.app);
    const locked = await this.apps.lockRow(scope, app.id);
    state.auditTarget = `app=${app.slug} environment=${input.body.environment}`;
    const { environment, rollbackTo, test, build: buildId } = input.body;
    const build = buildId ? await this.builds.findBuild(scope, app.id, buildId) : undefined;
    const after = (fn: () => Promise<void>) => afterCommit(state, fn);
    return this.deployments.deploy(scope, locked, environment, caller.userId, { rollbackTo, test, build }, after);
  }

  @Endpoint(deploymentRoutes.get)
  async get(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof deploymentRoutes.get>) {
    return this.deployments.get(scope, (await this.apps.find(scope, input.params.app)).id, input.params.deploymentId);
  }

  @Endpoint(deploymentRoutes.cancel)
  async cancel(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof deploymentRoutes.cancel>) {
    return this.deployments.cancel(scope, (await this.apps.find(scope, input.params.app)).id, input.params.deploymentId);
  }

  @Endpoint(deploymentRoutes.events)
  async events(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof deploymentRoutes.events>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const app = await this.apps.find(scope, input.params.app);
    const deployment = await this.deployments.get(scope, app.id, input.params.deploymentId);
    const after = lastEventId && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : 0;
    afterCommit(state, async () => {
      reply.hijack();
      openEventStream(reply.raw);
      this.streams.deploymentEvents(reply.raw, scope.tenantId, deployment.id, after);
    });
  }
}
