import { z } from 'zod';
import { ListQuery, page } from '../common.js';
import { HostSweep } from '../host-sweeps.js';
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
  listHostSweeps: defineRoute({
    id: 'admin.host-sweeps.list',
    method: 'GET',
    path: `${V1}/admin/host-sweeps`,
    tag: 'admin',
    auth: 'admin',
    summary: 'The leak sweeps of cloud accounts and the local provider, newest first: machines seen, terminated and why',
    query: ListQuery,
    response: page(HostSweep),
    status: 200,
  }),
};

// ── admin-clusters: the platform's clusters and their agents ────────────────────
const C = `${V1}/admin/clusters`;
export const adminClusterRoutes = {
  list: defineRoute({
    id: 'admin.clusters.list',
    method: 'GET',
    path: C,
    tag: 'admin',
    auth: 'admin',
    summary: 'All clusters, shared and dedicated, with their status and last heartbeat',
    response: page(s.AdminCluster),
    status: 200,
  }),
  create: defineRoute({
    id: 'admin.clusters.create',
    method: 'POST',
    path: C,
    tag: 'admin',
    auth: 'admin',
    summary: "Register a shared cluster, or a tenant's dedicated one; answers its agent's one-time join token (shown once)",
    body: s.CreateClusterBody,
    response: s.CreatedCluster,
    status: 201,
  }),
  issueJoinToken: defineRoute({
    id: 'admin.clusters.issue-join-token',
    method: 'POST',
    path: `${C}/{clusterId}/join-tokens`,
    tag: 'admin',
    auth: 'admin',
    summary: 'A new one-time join token for an agent of the cluster (shown once, valid for a day)',
    params: s.AdminClusterParams,
    response: s.IssuedJoinToken,
    status: 201,
  }),
  listAgents: defineRoute({
    id: 'admin.agents.list',
    method: 'GET',
    path: `${C}/{clusterId}/agents`,
    tag: 'admin',
    auth: 'admin',
    summary: "The cluster's agents, revoked ones included",
    params: s.AdminClusterParams,
    response: z.object({ items: z.array(s.AdminAgent) }),
    status: 200,
  }),
  revokeAgent: defineRoute({
    id: 'admin.agents.revoke',
    method: 'POST',
    path: `${C}/{clusterId}/agents/{agentId}/revoke`,
    tag: 'admin',
    auth: 'admin',
    summary: 'Revoke an agent: its credential is refused from now on (revoking twice is no error)',
    params: s.AdminAgentParams,
    response: s.AdminAgent,
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
