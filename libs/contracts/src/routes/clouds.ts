import { CloudAccount, CloudAccountParams, CloudAccountSetup, CreateCloudAccountBody } from '../clouds.js';
import { ListQuery, page } from '../common.js';
import { defineRoute } from '../route.js';
import { TenantParams } from '../schemas.js';
import { T } from './paths.js';

export const cloudAccountRoutes = {
  list: defineRoute({
    id: 'cloud-accounts.list',
    method: 'GET',
    path: `${T}/cloud-accounts`,
    tag: 'clouds',
    auth: 'tenant',
    permission: 'clouds.read',
    summary: 'AWS and Aliyun accounts the tenant connected (secrets are never shown)',
    params: TenantParams,
    query: ListQuery,
    response: page(CloudAccount),
    status: 200,
  }),
  setup: defineRoute({
    id: 'cloud-accounts.setup',
    method: 'GET',
    path: `${T}/cloud-accounts/setup`,
    tag: 'clouds',
    auth: 'tenant',
    permission: 'clouds.read',
    summary: "The tenant's ExternalId and the policies to create the role Wharf assumes in a cloud account",
    params: TenantParams,
    response: CloudAccountSetup,
    status: 200,
  }),
  create: defineRoute({
    id: 'cloud-accounts.create',
    method: 'POST',
    path: `${T}/cloud-accounts`,
    tag: 'clouds',
    auth: 'tenant',
    permission: 'clouds.write',
    summary: 'Connect an account by role or access key; Wharf verifies it with the provider first (422 when it fails)',
    params: TenantParams,
    body: CreateCloudAccountBody,
    response: CloudAccount,
    status: 201,
  }),
  get: defineRoute({
    id: 'cloud-accounts.get',
    method: 'GET',
    path: `${T}/cloud-accounts/{accountId}`,
    tag: 'clouds',
    auth: 'tenant',
    permission: 'clouds.read',
    summary: 'A connected cloud account',
    params: CloudAccountParams,
    response: CloudAccount,
    status: 200,
  }),
  remove: defineRoute({
    id: 'cloud-accounts.delete',
    method: 'DELETE',
    path: `${T}/cloud-accounts/{accountId}`,
    tag: 'clouds',
    auth: 'tenant',
    permission: 'clouds.write',
    summary: 'Disconnect a cloud account (its stored secret is deleted)',
    params: CloudAccountParams,
    status: 204,
  }),
};
