import { Controller } from '@nestjs/common';
import { type RouteInput, type RouteOutput, registryRoutes } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import { Caller, Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import type { RequestState } from '../core/request-state.js';
import { RegistriesService } from './registries.service.js';

@Controller()
export class RegistriesController {
  constructor(private readonly registries: RegistriesService) {}

  @Endpoint(registryRoutes.list)
  list(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof registryRoutes.list>,
  ): Promise<RouteOutput<typeof registryRoutes.list>> {
    return this.registries.list(scope, input.query);
  }

  @Endpoint(registryRoutes.create)
  create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof registryRoutes.create>,
  ): Promise<RouteOutput<typeof registryRoutes.create>> {
    state.auditTarget = `server=${input.body.server}`;
    return this.registries.create(scope, caller.userId, input.body);
  }

  @Endpoint(registryRoutes.remove)
  remove(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof registryRoutes.remove>): Promise<void> {
    return this.registries.remove(scope, input.params.credentialId);
  }
}
