import { Controller, Inject } from '@nestjs/common';
import { type RouteInput, type RouteOutput, tenantRoutes } from '@wharf/contracts';
import { type Database, type TenantScope, usageReport } from '@wharf/db';
import { Caller, Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import type { RequestState } from '../core/request-state.js';
import { DATABASE } from '../core/tokens.js';
import { toTenant } from './tenant-views.js';
import { TenantsService } from './tenants.service.js';

@Controller()
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  @Endpoint(tenantRoutes.list)
  list(
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof tenantRoutes.list>,
  ): Promise<RouteOutput<typeof tenantRoutes.list>> {
    return this.tenants
      .listForUser(caller.userId, input.query)
      .then((page) =>
        caller.tokenTenantId ? { ...page, items: page.items.filter((t) => t.id === caller.tokenTenantId) } : page,
      );
  }

  @Endpoint(tenantRoutes.create)
  async create(
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof tenantRoutes.create>,
    @State() state: RequestState,
  ): Promise<RouteOutput<typeof tenantRoutes.create>> {
    const tenant = await this.db.withUser(caller.userId, (scope) =>
      this.tenants.create(scope, caller.userId, { ...input.body, planId: 'free', personal: false }),
    );
    state.auditTenantId = tenant.id as RequestState['auditTenantId'];
    state.auditTarget = `slug=${tenant.slug}`;
    return tenant;
  }

  @Endpoint(tenantRoutes.get)
  get(@State() state: RequestState): RouteOutput<typeof tenantRoutes.get> {
    if (!state.tenant || !state.role) throw new Error('tenant route without tenant');
    return toTenant(state.tenant, state.role);
  }

  @Endpoint(tenantRoutes.update)
  update(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof tenantRoutes.update>,
  ): Promise<RouteOutput<typeof tenantRoutes.update>> {
    return this.tenants.rename(scope, input.body.name, state.role ?? 'viewer');
  }

  @Endpoint(tenantRoutes.usage)
  async usage(@Scope() scope: TenantScope, @State() state: RequestState): Promise<RouteOutput<typeof tenantRoutes.usage>> {
    return { planId: state.tenant?.planId ?? 'free', quotas: await usageReport(scope) };
  }
}
