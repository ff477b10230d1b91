import { ListQuery, page } from '../common.js';
import { defineRoute } from '../route.js';
import * as s from '../schemas.js';
import { T } from './paths.js';

export const apiTokenRoutes = {
  list: defineRoute({
    id: 'api-tokens.list',
    method: 'GET',
    path: `${T}/api-tokens`,
    tag: 'api-tokens',
    auth: 'tenant',
    permission: 'tokens.read',
    summary: "API tokens: the caller's own, or all of the tenant's for owners and admins",
    params: s.TenantParams,
    query: ListQuery,
    response: page(s.ApiToken),
    status: 200,
  }),
  create: defineRoute({
    id: 'api-tokens.create',
    method: 'POST',
    path: `${T}/api-tokens`,
    tag: 'api-tokens',
    auth: 'tenant',
    permission: 'tokens.create',
    summary: 'Create a personal API token acting as the caller in this tenant (shown once)',
    params: s.TenantParams,
    body: s.CreateApiTokenBody,
    response: s.CreatedApiToken,
    status: 201,
  }),
  revoke: defineRoute({
    id: 'api-tokens.revoke',
    method: 'DELETE',
    path: `${T}/api-tokens/{tokenId}`,
    tag: 'api-tokens',
    auth: 'tenant',
    permission: 'tokens.revoke',
    summary: 'Revoke an API token (your own; owners and admins: any)',
    params: s.ApiTokenParams,
    status: 204,
  }),
};

export const registryRoutes = {
  list: defineRoute({
    id: 'registry-credentials.list',
    method: 'GET',
    path: `${T}/registry-credentials`,
    tag: 'registries',
    auth: 'tenant',
    permission: 'registries.read',
    summary: 'Credentials of private registries images are pulled from (passwords are never shown)',
    params: s.TenantParams,
    query: ListQuery,
    response: page(s.RegistryCredential),
    status: 200,
  }),
  create: defineRoute({
    id: 'registry-credentials.create',
    method: 'POST',
    path: `${T}/registry-credentials`,
    tag: 'registries',
    auth: 'tenant',
    permission: 'registries.write',
    summary: 'Store a registry login (one per registry host); the password is encrypted at rest',
    params: s.TenantParams,
    body: s.CreateRegistryCredentialBody,
    response: s.RegistryCredential,
    status: 201,
  }),
  remove: defineRoute({
    id: 'registry-credentials.delete',
    method: 'DELETE',
    path: `${T}/registry-credentials/{credentialId}`,
    tag: 'registries',
    auth: 'tenant',
    permission: 'registries.write',
    summary: 'Forget a registry login',
    params: s.RegistryCredentialParams,
    status: 204,
  }),
};

export const auditRoutes = {
  list: defineRoute({
    id: 'audit-events.list',
    method: 'GET',
    path: `${T}/audit-events`,
    tag: 'audit',
    auth: 'tenant',
    permission: 'audit.read',
    summary: 'Audit log of the tenant, newest first',
    params: s.TenantParams,
    query: s.AuditQuery,
    response: page(s.AuditEvent),
    status: 200,
  }),
};
