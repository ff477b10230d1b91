import { z } from 'zod';
import {
  CatalogAccountParams,
  CreateTenantClusterBody,
  InstanceTypesQuery,
  ProviderInstanceType,
  ProviderRegion,
  TenantCluster,
  TenantClusterParams,
} from '../clusters.js';
import { page } from '../common.js';
import { defineRoute } from '../route.js';
import { TenantParams } from '../schemas.js';
import { T } from './paths.js';

export const clusterRoutes = {
  list: defineRoute({
    id: 'clusters.list',
    method: 'GET',
    path: `${T}/clusters`,
    tag: 'clusters',
    auth: 'tenant',
    permission: 'clusters.read',
    summary: 'Clusters the tenant can deploy to: the shared platform clusters and its own, with host counts by state',
    params: TenantParams,
    response: page(TenantCluster),
    status: 200,
  }),
  create: defineRoute({
    id: 'clusters.create',
    method: 'POST',
    path: `${T}/clusters`,
    tag: 'clusters',
    auth: 'tenant',
    permission: 'clusters.write',
    summary: 'Create a dedicated cluster of the tenant (admitted against the `clusters` quota); add hosts to it next',
    params: TenantParams,
    body: CreateTenantClusterBody,
    response: TenantCluster,
    status: 201,
  }),
  get: defineRoute({
    id: 'clusters.get',
    method: 'GET',
    path: `${T}/clusters/{clusterId}`,
    tag: 'clusters',
    auth: 'tenant',
    permission: 'clusters.read',
    summary: 'A shared cluster, or one of the tenant’s dedicated ones, with host counts by state',
    params: TenantClusterParams,
    response: TenantCluster,
    status: 200,
  }),
  remove: defineRoute({
    id: 'clusters.delete',
    method: 'DELETE',
    path: `${T}/clusters/{clusterId}`,
    tag: 'clusters',
    auth: 'tenant',
    permission: 'clusters.write',
    summary: 'Delete a dedicated cluster: refused (409) while it has apps or hosts not terminated or failed',
    params: TenantClusterParams,
    status: 204,
  }),
};

/** What the add-host form offers: a provider's own lists, through the account's adapter. */
export const providerCatalogRoutes = {
  regions: defineRoute({
    id: 'cloud-accounts.regions',
    method: 'GET',
    path: `${T}/cloud-accounts/{accountId}/regions`,
    tag: 'clouds',
    auth: 'tenant',
    permission: 'hosts.read',
    summary: 'The regions the account’s provider offers (`local`: the embedded provider’s one region)',
    params: CatalogAccountParams,
    response: z.object({ items: z.array(ProviderRegion) }),
    status: 200,
  }),
  instanceTypes: defineRoute({
    id: 'cloud-accounts.instance-types',
    method: 'GET',
    path: `${T}/cloud-accounts/{accountId}/instance-types`,
    tag: 'clouds',
    auth: 'tenant',
    permission: 'hosts.read',
    summary: 'The instance types the account’s provider offers in a region, with their vCPUs and memory',
    params: CatalogAccountParams,
    query: InstanceTypesQuery,
    response: z.object({ items: z.array(ProviderInstanceType) }),
    status: 200,
  }),
};
