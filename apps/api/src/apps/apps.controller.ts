import { Controller, Res } from '@nestjs/common';
import { appRoutes, ConflictError, NotFoundError, type RouteInput, type RouteOutput, variableRoutes } from '@wharf/contracts';
import { ClustersRepository, DeploymentsRepository, EnvironmentsRepository, type TenantScope } from '@wharf/db';
import type { StackSpecInput } from '@wharf/engine';
import type { EnvRef } from '@wharf/releases';
import type { FastifyReply } from 'fastify';
import { Caller, Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import { afterCommit, type RequestState, tenantSlug } from '../core/request-state.js';
import { AppsService } from './apps.service.js';
import { openEventStream, StreamsService } from './streams.service.js';
import { VariablesService } from './variables.service.js';

const later = (state: RequestState) => (fn: () => Promise<void>) => afterCommit(state, fn);

@Controller()
export class AppsController {
  private readonly clusters = new ClustersRepository();
  private readonly deployments = new DeploymentsRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(
    private readonly apps: AppsService,
    private readonly variables: VariablesService,
    private readonly streams: StreamsService,
  ) {}

  @Endpoint(appRoutes.list)
  list(@Scope() scope: TenantScope, @State() state: RequestState, @Input() input: RouteInput<typeof appRoutes.list>) {
    return this.apps.list(scope, tenantSlug(state), input.query);
  }

  @Endpoint(appRoutes.create)
  create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof appRoutes.create>,
  ): Promise<RouteOutput<typeof appRoutes.create>> {
    state.auditTarget = `app=${input.body.name}`;
    return this.apps.create(scope, tenantSlug(state), caller.userId, input.body, later(state));
  }

  @Endpoint(appRoutes.get)
  async get(@Scope() scope: TenantScope, @State() state: RequestState, @Input() input: RouteInput<typeof appRoutes.get>) {
    return this.apps.view(scope, tenantSlug(state), await this.apps.find(scope, input.params.app));
  }

  @Endpoint(appRoutes.update)
  update(@Scope() scope: TenantScope, @State() state: RequestState, @Input() input: RouteInput<typeof appRoutes.update>) {
    return this.apps.update(scope, tenantSlug(state), input.params.app, input.body);
  }

  @Endpoint(appRoutes.remove)
  remove(@Scope() scope: TenantScope, @State() state: RequestState, @Input() input: RouteInput<typeof appRoutes.remove>) {
    return this.apps.remove(scope, input.params.app, later(state));
  }

  @Endpoint(appRoutes.scale)
  scale(@Scope() scope: TenantScope, @State() state: RequestState, @Input() input: RouteInput<typeof appRoutes.scale>) {
    return this.apps.scale(scope, tenantSlug(state), input.params.app, input.body.replicas, later(state));
  }

  @Endpoint(appRoutes.stop)
  stop(@Scope() scope: TenantScope, @State() state: RequestState, @Input() input: RouteInput<typeof appRoutes.stop>) {
    return this.apps.stop(scope, tenantSlug(state), input.params.app, later(state));
  }

  @Endpoint(appRoutes.start)
  start(@Scope() scope: TenantScope, @State() state: RequestState, @Input() input: RouteInput<typeof appRoutes.start>) {
    return this.apps.start(scope, tenantSlug(state), input.params.app, later(state));
  }

  @Endpoint(appRoutes.logs)
  async logs(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof appRoutes.logs>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const app = await this.apps.find(scope, input.params.app);
    const { environment, follow, since, tail } = input.query;
    const env = await this.environments.find(scope, app.id, environment);
    if (!env) throw new NotFoundError('environment');
    const latest = await this.deployments.latest(scope, app.id, environment);
    const services =
      app.kind !== 'compose' ? [app.service] : ((latest?.spec as StackSpecInput | undefined)?.services ?? []).map((s) => s.name);
    if (!services.includes(input.params.service)) throw new NotFoundError('service');
    const cluster = await this.clusters.findForTenant(scope, app.clusterId);
    if (cluster?.status !== 'ready') {
      throw new ConflictError(`The app's cluster is ${cluster?.status ?? 'gone'}: its logs cannot be read now.`);
    }
    const sinceMs = since === undefined ? undefined : /^\d+$/.test(since) ? Number(since) * 1000 : Date.parse(since);
    afterCommit(state, async () => {
      reply.hijack();
      openEventStream(reply.raw);
      await this.streams.serviceLogs(reply.raw, app, { environment, service: input.params.service, follow, sinceMs, tail });
    });
  }

  @Endpoint(variableRoutes.list)
  async listVariables(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof variableRoutes.list>) {
    return this.variables.list(scope, await this.envRef(scope, input.params.app, input.query.environment));
  }

  @Endpoint(variableRoutes.set)
  async setVariable(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof variableRoutes.set>) {
    return this.variables.set(
      scope,
      await this.envRef(scope, input.params.app, input.query.environment),
      input.params.key,
      input.body,
    );
  }

  @Endpoint(variableRoutes.remove)
  async removeVariable(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof variableRoutes.remove>) {
    return this.variables.remove(scope, await this.envRef(scope, input.params.app, input.query.environment), input.params.key);
  }

  @Endpoint(variableRoutes.reveal)
  async revealVariable(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof variableRoutes.reveal>) {
    return this.variables.reveal(scope, await this.envRef(scope, input.params.app, input.query.environment), input.params.key);
  }

  private async envRef(scope: TenantScope, app: string, environment: string): Promise<EnvRef> {
    return { appId: (await this.apps.find(scope, app)).id, environment };
  }
}
