import { Controller } from '@nestjs/common';
import { brokerRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import { Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { RequestState } from '../core/request-state.js';
import { BrokersService } from './brokers.service.js';

@Controller()
export class BrokersController {
  constructor(private readonly brokers: BrokersService) {}

  @Endpoint(brokerRoutes.create)
  create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof brokerRoutes.create>,
  ): Promise<RouteOutput<typeof brokerRoutes.create>> {
    state.auditTarget = `cluster=${input.params.clusterId} broker=${input.body.name}`;
    return this.brokers.create(scope, input.params.clusterId, input.body.name);
  }

  @Endpoint(brokerRoutes.list)
  list(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof brokerRoutes.list>,
  ): Promise<RouteOutput<typeof brokerRoutes.list>> {
    return this.brokers.list(scope, input.params.clusterId);
  }

  @Endpoint(brokerRoutes.remove)
  remove(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof brokerRoutes.remove>,
  ): Promise<void> {
    state.auditTarget = `cluster=${input.params.clusterId} broker=${input.params.brokerId}`;
    return this.brokers.remove(scope, input.params.clusterId, input.params.brokerId);
  }
}
