import { Controller } from '@nestjs/common';
import { apiTokenRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import { Caller, Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import type { RequestState } from '../core/request-state.js';
import { ApiTokensService } from './api-tokens.service.js';

@Controller()
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Endpoint(apiTokenRoutes.list)
  list(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof apiTokenRoutes.list>,
  ): Promise<RouteOutput<typeof apiTokenRoutes.list>> {
    return this.tokens.list(scope, state.role ?? 'viewer', caller.userId, input.query);
  }

  @Endpoint(apiTokenRoutes.create)
  async create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof apiTokenRoutes.create>,
  ): Promise<RouteOutput<typeof apiTokenRoutes.create>> {
    const created = await this.tokens.create(scope, caller.userId, input.body);
    state.auditTarget = `tokenId=${created.apiToken.id}`;
    return created;
  }

  @Endpoint(apiTokenRoutes.revoke)
  revoke(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof apiTokenRoutes.revoke>,
  ): Promise<void> {
    return this.tokens.revoke(scope, state.role ?? 'viewer', caller.userId, input.params.tokenId);
  }
}
