import { Controller } from '@nestjs/common';
import { adminRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { TenantId } from '@wharf/db';
import { Caller, Endpoint, Input, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import type { RequestState } from '../core/request-state.js';
import { AdminService } from './admin.service.js';

/** Every admin action is filed in the audit log of the tenant it acts on. */
async function filed<T extends { id: string }>(state: RequestState, result: Promise<T>): Promise<T> {
  const value = await result;
  state.auditTenantId = value.id as TenantId;
  return value;
}

@Controller()
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Endpoint(adminRoutes.listTenants)
  list(@Input() input: RouteInput<typeof adminRoutes.listTenants>): Promise<RouteOutput<typeof adminRoutes.listTenants>> {
    return this.admin.list(input.query);
  }

  @Endpoint(adminRoutes.getTenant)
  get(@Input() input: RouteInput<typeof adminRoutes.getTenant>): Promise<RouteOutput<typeof adminRoutes.getTenant>> {
    return this.admin.get(input.params.tenantId as TenantId);
  }

  @Endpoint(adminRoutes.changePlan)
  changePlan(
    @State() state: RequestState,
    @Input() input: RouteInput<typeof adminRoutes.changePlan>,
  ): Promise<RouteOutput<typeof adminRoutes.changePlan>> {
    return filed(state, this.admin.changePlan(input.params.tenantId as TenantId, input.body.planId));
  }

  @Endpoint(adminRoutes.setOverrides)
  setOverrides(
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof adminRoutes.setOverrides>,
  ): Promise<RouteOutput<typeof adminRoutes.setOverrides>> {
    return filed(state, this.admin.setOverrides(input.params.tenantId as TenantId, input.body.overrides, caller.userId));
  }

  @Endpoint(adminRoutes.suspend)
  suspend(
    @State() state: RequestState,
    @Input() input: RouteInput<typeof adminRoutes.suspend>,
  ): Promise<RouteOutput<typeof adminRoutes.suspend>> {
    return filed(state, this.admin.suspend(input.params.tenantId as TenantId, input.body.reason));
  }

  @Endpoint(adminRoutes.listHostSweeps)
  listHostSweeps(
    @Input() input: RouteInput<typeof adminRoutes.listHostSweeps>,
  ): Promise<RouteOutput<typeof adminRoutes.listHostSweeps>> {
    return this.admin.listHostSweeps(input.query);
  }

  @Endpoint(adminRoutes.resume)
  resume(
    @State() state: RequestState,
    @Input() input: RouteInput<typeof adminRoutes.resume>,
  ): Promise<RouteOutput<typeof adminRoutes.resume>> {
    return filed(state, this.admin.resume(input.params.tenantId as TenantId));
  }
}
