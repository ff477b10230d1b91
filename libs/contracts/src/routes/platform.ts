import { z } from 'zod';
import { page } from '../common.js';
import { defineRoute } from '../route.js';
import * as s from '../schemas.js';
import { V1 } from './paths.js';

const A = `${V1}/admin/tenants`;
export const adminRoutes = {
  listTenants: defineRoute({
    id: 'admin.tenants.list',
    method: 'GET',
    path: A,
    tag: 'admin',
    auth: 'admin',
    summary: 'All tenants with their usage (search by name or slug)',
    query: s.AdminTenantQuery,
    response: page(s.AdminTenant),
    status: 200,
  }),
  getTenant: defineRoute({
    id: 'admin.tenants.get',
    method: 'GET',
    path: `${A}/{tenantId}`,
    tag: 'admin',
    auth: 'admin',
    summary: 'One tenant with usage',
    params: s.AdminTenantParams,
    response: s.AdminTenant,
    status: 200,
  }),
  changePlan: defineRoute({
    id: 'admin.tenants.change-plan',
    method: 'PATCH',
    path: `${A}/{tenantId}`,
    tag: 'admin',
    auth: 'admin',
    summary: "Change a tenant's plan",
    params: s.AdminTenantParams,
    body: s.ChangePlanBody,
    response: s.AdminTenant,
    status: 200,
  }),
  setOverrides: defineRoute({
    id: 'admin.tenants.set-quota-overrides',
    method: 'PUT',
    path: `${A}/{tenantId}/quota-overrides`,
    tag: 'admin',
    auth: 'admin',
    summary: "Override any of a tenant's limits (null restores the plan's)",
    params: s.AdminTenantParams,
    body: s.QuotaOverridesBody,
    response: s.AdminTenant,
    status: 200,
  }),
  suspend: defineRoute({
    id: 'admin.tenants.suspend',
    method: 'POST',
    path: `${A}/{tenantId}/suspend`,
    tag: 'admin',
    auth: 'admin',
    summary: 'Suspend a tenant: it can read but not change anything',
    params: s.AdminTenantParams,
    body: s.SuspendBody,
    response: s.AdminTenant,
    status: 200,
  }),
  resume: defineRoute({
    id: 'admin.tenants.resume',
    method: 'POST',
    path: `${A}/{tenantId}/resume`,
    tag: 'admin',
    auth: 'admin',
    summary: 'Lift a suspension',
    params: s.AdminTenantParams,
    response: s.AdminTenant,
    status: 200,
  }),
};

export const planRoutes = {
  list: defineRoute({
    id: 'plans.list',
    method: 'GET',
    path: `${V1}/plans`,
    tag: 'plans',
    auth: 'public',
    summary: 'Plans and their limits',
    response: z.object({ items: z.array(s.Plan) }),
    status: 200,
  }),
};

/** Every route of the public API. The OpenAPI document, the role matrix and the isolation tests walk this. */
