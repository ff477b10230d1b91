import { Controller } from '@nestjs/common';
import { cloudAccountRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import { Caller, Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import type { RequestState } from '../core/request-state.js';
import { CloudsService } from './clouds.service.js';

@Controller()
export class CloudsController {
  constructor(private readonly clouds: CloudsService) {}

  @Endpoint(cloudAccountRoutes.list)
  list(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof cloudAccountRoutes.list>,
  ): Promise<RouteOutput<typeof cloudAccountRoutes.list>> {
    return this.clouds.list(scope, input.query);
  }

  @Endpoint(cloudAccountRoutes.setup)
  setup(@Scope() scope: TenantScope): Promise<RouteOutput<typeof cloudAccountRoutes.setup>> {
    return this.clouds.setup(scope);
  }

  @Endpoint(cloudAccountRoutes.create)
  create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof cloudAccountRoutes.create>,
  ): Promise<RouteOutput<typeof cloudAccountRoutes.create>> {
    state.auditTarget = `provider=${input.body.provider} name=${input.body.name}`;
    return this.clouds.connect(scope, caller.userId, input.body);
  }

  @Endpoint(cloudAccountRoutes.get)
  get(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof cloudAccountRoutes.get>,
  ): Promise<RouteOutput<typeof cloudAccountRoutes.get>> {
    return this.clouds.get(scope, input.params.accountId);
  }

  @Endpoint(cloudAccountRoutes.remove)
  remove(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof cloudAccountRoutes.remove>): Promise<void> {
    return this.clouds.remove(scope, input.params.accountId);
  }
}
