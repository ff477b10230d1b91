import { Controller } from '@nestjs/common';
import { POLICY_RULES } from '@wharf/compose';
import {
  ConflictError,
  clusterPolicyRoutes,
  environmentRoutes,
  NotFoundError,
  type RouteInput,
  type RouteOutput,
  stackRoutes,
  ValidationError,
} from '@wharf/contracts';
import { ClustersRepository, type TenantScope } from '@wharf/db';
import { AppsService } from '../apps/apps.service.js';
import { tenantClusterView } from '../clusters/clusters.service.js';
import { Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import { afterCommit, type RequestState, tenantSlug } from '../core/request-state.js';
import { EnvironmentsService } from './environments.service.js';
import { StacksService } from './stacks.service.js';

/** Compose stacks (YAML and form), environments and their bindings, and the policy of a tenant's own clusters. */
@Controller()
export class StacksController {
  private readonly clusters = new ClustersRepository();

  constructor(
    private readonly apps: AppsService,
    private readonly stacks: StacksService,
    private readonly environments: EnvironmentsService,
  ) {}

  @Endpoint(stackRoutes.get)
  async getStack(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof stackRoutes.get>) {
    return this.stacks.view(scope, await this.apps.find(scope, input.params.app));
  }

  @Endpoint(stackRoutes.save)
  async saveStack(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof stackRoutes.save>) {
    return this.stacks.save(scope, await this.apps.locked(scope, input.params.app), input.body);
  }

  @Endpoint(stackRoutes.validate)
  async validateStack(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof stackRoutes.validate>) {
    const app = await this.apps.find(scope, input.params.app);
    return this.stacks.validate(scope, app, input.body.yaml, input.body.environment);
  }

  @Endpoint(environmentRoutes.list)
  async listEnvironments(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof environmentRoutes.list>,
  ): Promise<RouteOutput<typeof environmentRoutes.list>> {
    const app = await this.apps.find(scope, input.params.app);
    return { items: await this.environments.list(scope, tenantSlug(state), app), nextCursor: null };
  }

  @Endpoint(environmentRoutes.create)
  async createEnvironment(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof environmentRoutes.create>,
  ) {
    const app = await this.apps.locked(scope, input.params.app);
    return this.environments.create(scope, tenantSlug(state), app, input.body);
  }

  @Endpoint(environmentRoutes.get)
  async getEnvironment(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof environmentRoutes.get>,
  ) {
    const app = await this.apps.find(scope, input.params.app);
    return this.environments.get(scope, tenantSlug(state), app, input.params.environment);
  }

  @Endpoint(environmentRoutes.setBindings)
  async setBindings(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof environmentRoutes.setBindings>,
  ) {
    const app = await this.apps.locked(scope, input.params.app);
    state.auditTarget = `app=${app.slug} environment=${input.params.environment} bindings=${Object.keys(input.body.bindings).join(',')}`;
    return this.environments.setBindings(scope, tenantSlug(state), app, input.params.environment, input.body.bindings);
  }

  @Endpoint(environmentRoutes.remove)
  async removeEnvironment(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof environmentRoutes.remove>,
  ) {
    const app = await this.apps.locked(scope, input.params.app);
    return this.environments.remove(scope, app, input.params.environment, (fn) => afterCommit(state, fn));
  }

  @Endpoint(environmentRoutes.diff)
  async diff(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof environmentRoutes.diff>) {
    return this.stacks.diff(scope, await this.apps.find(scope, input.params.app), input.params.environment);
  }

  @Endpoint(clusterPolicyRoutes.set)
  async setPolicy(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof clusterPolicyRoutes.set>,
  ): Promise<RouteOutput<typeof clusterPolicyRoutes.set>> {
    const unknown = input.body.relaxed.filter((r) => !(POLICY_RULES as readonly string[]).includes(r));
    if (unknown.length > 0) {
      throw new ValidationError(
        unknown.map((r) => ({
          path: 'body.relaxed',
          message: `"${r}" is not a policy rule (${POLICY_RULES.join(', ')})`,
          code: 'enum',
        })),
      );
    }
    const cluster = await this.clusters.findForTenant(scope, input.params.cluster);
    if (!cluster) throw new NotFoundError('cluster');
    if (cluster.kind === 'shared')
      throw new ConflictError('A shared cluster enforces every policy rule; only dedicated clusters can relax them.');
    const relaxed = [...new Set(input.body.relaxed)].sort();
    state.auditTarget = `cluster=${cluster.name} relaxed=${relaxed.join(',') || '(none)'}`;
    const row = await this.clusters.setPolicyRelaxed(scope, cluster.id, relaxed);
    if (!row) throw new NotFoundError('cluster');
    return tenantClusterView(row);
  }
}
