import { Controller } from '@nestjs/common';
import { invitationRoutes, memberRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { TenantScope, UserId } from '@wharf/db';
import { Caller, Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import type { RequestState } from '../core/request-state.js';
import { MembersService } from './members.service.js';

function roleOf(state: RequestState) {
  if (!state.role) throw new Error('tenant route without role');
  return state.role;
}

@Controller()
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Endpoint(memberRoutes.list)
  list(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof memberRoutes.list>,
  ): Promise<RouteOutput<typeof memberRoutes.list>> {
    return this.members.list(scope, input.query);
  }

  @Endpoint(memberRoutes.update)
  update(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof memberRoutes.update>,
  ): Promise<RouteOutput<typeof memberRoutes.update>> {
    return this.members.changeRole(scope, roleOf(state), input.params.userId as UserId, input.body.role);
  }

  @Endpoint(memberRoutes.remove)
  remove(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof memberRoutes.remove>,
  ): Promise<void> {
    return this.members.remove(scope, roleOf(state), input.params.userId as UserId);
  }

  @Endpoint(invitationRoutes.list)
  listInvitations(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof invitationRoutes.list>,
  ): Promise<RouteOutput<typeof invitationRoutes.list>> {
    return this.members.listInvitations(scope, input.query);
  }

  @Endpoint(invitationRoutes.create)
  invite(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof invitationRoutes.create>,
  ): Promise<RouteOutput<typeof invitationRoutes.create>> {
    state.auditTarget = `email=${input.body.email},role=${input.body.role}`;
    return this.members.invite(scope, caller, roleOf(state), input.body);
  }

  @Endpoint(invitationRoutes.revoke)
  revokeInvitation(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof invitationRoutes.revoke>): Promise<void> {
    return this.members.revokeInvitation(scope, input.params.invitationId);
  }

  @Endpoint(invitationRoutes.preview)
  preview(
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof invitationRoutes.preview>,
  ): Promise<RouteOutput<typeof invitationRoutes.preview>> {
    return this.members.preview(caller.userId, input.body.token);
  }

  @Endpoint(invitationRoutes.accept)
  accept(
    @Caller() caller: Principal,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof invitationRoutes.accept>,
  ): Promise<RouteOutput<typeof invitationRoutes.accept>> {
    return this.members.accept(caller, input.body.token, state);
  }
}
