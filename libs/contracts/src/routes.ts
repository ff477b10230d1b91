import { z } from 'zod';
import { ListQuery, page } from './common.js';
import { defineRoute, type RouteContract } from './route.js';
import * as s from './schemas.js';

const V1 = '/api/v1';
const T = `${V1}/tenants/{tenant}`;

export const authRoutes = {
  signup: defineRoute({
    id: 'auth.signup', method: 'POST', path: `${V1}/auth/signup`, tag: 'auth', auth: 'public',
    summary: 'Create an account and its personal tenant on the free plan',
    body: s.SignupBody, response: s.SignupResult, status: 201,
  }),
  login: defineRoute({
    id: 'auth.login', method: 'POST', path: `${V1}/auth/login`, tag: 'auth', auth: 'public',
    summary: 'Exchange email and password for an access token and a refresh token',
    body: s.LoginBody, response: s.Session, status: 200,
  }),
  refresh: defineRoute({
    id: 'auth.refresh', method: 'POST', path: `${V1}/auth/refresh`, tag: 'auth', auth: 'public',
    summary: 'Rotate a refresh token (body or cookie); reusing a rotated one revokes its whole family',
    body: s.RefreshBody, response: s.Session, status: 200,
  }),
  logout: defineRoute({
    id: 'auth.logout', method: 'POST', path: `${V1}/auth/logout`, tag: 'auth', auth: 'user',
    summary: 'Revoke the current session (its refresh token family and access tokens)',
    body: s.LogoutBody, status: 204,
  }),
  me: defineRoute({
    id: 'auth.me', method: 'GET', path: `${V1}/me`, tag: 'auth', auth: 'user',
    summary: 'The signed-in user and the tenants they belong to', response: s.Me, status: 200,
  }),
};

export const tenantRoutes = {
  list: defineRoute({
    id: 'tenants.list', method: 'GET', path: `${V1}/tenants`, tag: 'tenants', auth: 'user',
    summary: 'Tenants the caller belongs to', query: ListQuery, response: page(s.Tenant), status: 200,
  }),
  create: defineRoute({
    id: 'tenants.create', method: 'POST', path: `${V1}/tenants`, tag: 'tenants', auth: 'user',
    summary: 'Create a team tenant with the caller as owner', body: s.CreateTenantBody, response: s.Tenant, status: 201,
  }),
  get: defineRoute({
    id: 'tenants.get', method: 'GET', path: T, tag: 'tenants', auth: 'tenant', permission: 'tenant.read',
    summary: 'One tenant', params: s.TenantParams, response: s.Tenant, status: 200,
  }),
  update: defineRoute({
    id: 'tenants.update', method: 'PATCH', path: T, tag: 'tenants', auth: 'tenant', permission: 'tenant.update',
    summary: 'Rename a tenant', params: s.TenantParams, body: s.UpdateTenantBody, response: s.Tenant, status: 200,
  }),
  usage: defineRoute({
    id: 'tenants.usage', method: 'GET', path: `${T}/usage`, tag: 'tenants', auth: 'tenant', permission: 'usage.read',
    summary: 'Limits and current usage of every quota', params: s.TenantParams, response: s.Usage, status: 200,
  }),
};

export const memberRoutes = {
  list: defineRoute({
    id: 'members.list', method: 'GET', path: `${T}/members`, tag: 'members', auth: 'tenant', permission: 'members.read',
    summary: 'Members of a tenant', params: s.TenantParams, query: ListQuery, response: page(s.Member), status: 200,
  }),
  update: defineRoute({
    id: 'members.update', method: 'PATCH', path: `${T}/members/{userId}`, tag: 'members', auth: 'tenant',
    permission: 'members.update', summary: "Change a member's role (the last owner cannot be demoted)",
    params: s.MemberParams, body: s.UpdateMemberBody, response: s.Member, status: 200,
  }),
  remove: defineRoute({
    id: 'members.remove', method: 'DELETE', path: `${T}/members/{userId}`, tag: 'members', auth: 'tenant',
    permission: 'members.remove', summary: 'Remove a member (the last owner cannot be removed)',
    params: s.MemberParams, status: 204,
  }),
};

export const invitationRoutes = {
  list: defineRoute({
    id: 'invitations.list', method: 'GET', path: `${T}/invitations`, tag: 'members', auth: 'tenant',
    permission: 'members.invite', summary: 'Invitations of a tenant',
    params: s.TenantParams, query: ListQuery, response: page(s.Invitation), status: 200,
  }),
  create: defineRoute({
    id: 'invitations.create', method: 'POST', path: `${T}/invitations`, tag: 'members', auth: 'tenant',
    permission: 'members.invite', summary: 'Invite someone by email; returns the single-use link',
    params: s.TenantParams, body: s.CreateInvitationBody, response: s.CreatedInvitation, status: 201,
  }),
  revoke: defineRoute({
    id: 'invitations.revoke', method: 'DELETE', path: `${T}/invitations/{invitationId}`, tag: 'members', auth: 'tenant',
    permission: 'members.invite', summary: 'Revoke a pending invitation', params: s.InvitationParams, status: 204,
  }),
  preview: defineRoute({
    id: 'invitations.preview', method: 'POST', path: `${V1}/invitations/preview`, tag: 'members', auth: 'user',
    mutates: false, summary: 'What an invitation token is for', body: s.InvitationTokenBody,
    response: s.InvitationPreview, status: 200,
  }),
  accept: defineRoute({
    id: 'invitations.accept', method: 'POST', path: `${V1}/invitations/accept`, tag: 'members', auth: 'user',
    summary: "Accept an invitation sent to the caller's email (admitted against the seat quota)",
    body: s.InvitationTokenBody, response: s.Tenant, status: 200,
  }),
};

export const apiTokenRoutes = {
  list: defineRoute({
    id: 'api-tokens.list', method: 'GET', path: `${T}/api-tokens`, tag: 'api-tokens', auth: 'tenant',
    permission: 'tokens.read', summary: "API tokens: the caller's own, or all of the tenant's for owners and admins",
    params: s.TenantParams, query: ListQuery, response: page(s.ApiToken), status: 200,
  }),
  create: defineRoute({
    id: 'api-tokens.create', method: 'POST', path: `${T}/api-tokens`, tag: 'api-tokens', auth: 'tenant',
    permission: 'tokens.create', summary: 'Create a personal API token acting as the caller in this tenant (shown once)',
    params: s.TenantParams, body: s.CreateApiTokenBody, response: s.CreatedApiToken, status: 201,
  }),
  revoke: defineRoute({
    id: 'api-tokens.revoke', method: 'DELETE', path: `${T}/api-tokens/{tokenId}`, tag: 'api-tokens', auth: 'tenant',
    permission: 'tokens.revoke', summary: 'Revoke an API token (your own; owners and admins: any)',
    params: s.ApiTokenParams, status: 204,
  }),
};

export const auditRoutes = {
  list: defineRoute({
    id: 'audit-events.list', method: 'GET', path: `${T}/audit-events`, tag: 'audit', auth: 'tenant',
    permission: 'audit.read', summary: 'Audit log of the tenant, newest first',
    params: s.TenantParams, query: s.AuditQuery, response: page(s.AuditEvent), status: 200,
  }),
};

const A = `${V1}/admin/tenants`;
export const adminRoutes = {
  listTenants: defineRoute({
    id: 'admin.tenants.list', method: 'GET', path: A, tag: 'admin', auth: 'admin',
    summary: 'All tenants with their usage (search by name or slug)',
    query: s.AdminTenantQuery, response: page(s.AdminTenant), status: 200,
  }),
  getTenant: defineRoute({
    id: 'admin.tenants.get', method: 'GET', path: `${A}/{tenantId}`, tag: 'admin', auth: 'admin',
    summary: 'One tenant with usage', params: s.AdminTenantParams, response: s.AdminTenant, status: 200,
  }),
  changePlan: defineRoute({
    id: 'admin.tenants.change-plan', method: 'PATCH', path: `${A}/{tenantId}`, tag: 'admin', auth: 'admin',
    summary: "Change a tenant's plan", params: s.AdminTenantParams, body: s.ChangePlanBody, response: s.AdminTenant,
    status: 200,
  }),
  setOverrides: defineRoute({
    id: 'admin.tenants.set-quota-overrides', method: 'PUT', path: `${A}/{tenantId}/quota-overrides`, tag: 'admin',
    auth: 'admin', summary: "Override any of a tenant's limits (null restores the plan's)",
    params: s.AdminTenantParams, body: s.QuotaOverridesBody, response: s.AdminTenant, status: 200,
  }),
  suspend: defineRoute({
    id: 'admin.tenants.suspend', method: 'POST', path: `${A}/{tenantId}/suspend`, tag: 'admin', auth: 'admin',
    summary: 'Suspend a tenant: it can read but not change anything', params: s.AdminTenantParams,
    body: s.SuspendBody, response: s.AdminTenant, status: 200,
  }),
  resume: defineRoute({
    id: 'admin.tenants.resume', method: 'POST', path: `${A}/{tenantId}/resume`, tag: 'admin', auth: 'admin',
    summary: 'Lift a suspension', params: s.AdminTenantParams, response: s.AdminTenant, status: 200,
  }),
};

export const planRoutes = {
  list: defineRoute({
    id: 'plans.list', method: 'GET', path: `${V1}/plans`, tag: 'plans', auth: 'public',
    summary: 'Plans and their limits', response: z.object({ items: z.array(s.Plan) }), status: 200,
  }),
};

/** Every route of the public API. The OpenAPI document, the role matrix and the isolation tests walk this. */
export const ROUTES: readonly RouteContract[] = [
  ...Object.values(authRoutes),
  ...Object.values(tenantRoutes),
  ...Object.values(memberRoutes),
  ...Object.values(invitationRoutes),
  ...Object.values(apiTokenRoutes),
  ...Object.values(auditRoutes),
  ...Object.values(adminRoutes),
  ...Object.values(planRoutes),
];
