import { Controller } from '@nestjs/common';
import { hostRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import { Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import { afterCommit, type RequestState } from '../core/request-state.js';
import { HostsService } from './hosts.service.js';

@Controller()
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Endpoint(hostRoutes.list)
  list(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof hostRoutes.list>,
  ): Promise<RouteOutput<typeof hostRoutes.list>> {
    return this.hosts.list(scope, input.params.clusterId, input.query);
  }

  @Endpoint(hostRoutes.create)
  create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof hostRoutes.create>,
  ): Promise<RouteOutput<typeof hostRoutes.create>> {
    state.auditTarget = `cluster=${input.params.clusterId} provider=${input.body.provider} name=${input.body.name}`;
    return this.hosts.create(scope, input.params.clusterId, input.body, (fn) => afterCommit(state, fn));
  }

  @Endpoint(hostRoutes.installCommand)
  installCommand(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof hostRoutes.installCommand>,
  ): Promise<RouteOutput<typeof hostRoutes.installCommand>> {
    state.auditTarget = `cluster=${input.params.clusterId} host=${input.params.hostId}`;
    return this.hosts.installCommand(scope, input.params.clusterId, input.params.hostId);
  }

  @Endpoint(hostRoutes.get)
  get(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof hostRoutes.get>,
  ): Promise<RouteOutput<typeof hostRoutes.get>> {
    return this.hosts.get(scope, input.params.clusterId, input.params.hostId);
  }

  @Endpoint(hostRoutes.remove)
  remove(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof hostRoutes.remove>,
  ): Promise<RouteOutput<typeof hostRoutes.remove>> {
    state.auditTarget = `cluster=${input.params.clusterId} host=${input.params.hostId}`;
    return this.hosts.remove(scope, input.params.clusterId, input.params.hostId, (fn) => afterCommit(state, fn));
  }
}
