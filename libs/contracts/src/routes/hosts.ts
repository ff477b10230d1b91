import { ListQuery, page } from '../common.js';
import { ClusterHostsParams, CreateHostBody, Host, HostParams } from '../hosts.js';
import { defineRoute } from '../route.js';
import { T } from './paths.js';

export const hostRoutes = {
  list: defineRoute({
    id: 'hosts.list',
    method: 'GET',
    path: `${T}/clusters/{clusterId}/hosts`,
    tag: 'hosts',
    auth: 'tenant',
    permission: 'hosts.read',
    summary: 'The hosts of one of the tenant’s dedicated clusters, newest first',
    params: ClusterHostsParams,
    query: ListQuery,
    response: page(Host),
    status: 200,
  }),
  create: defineRoute({
    id: 'hosts.create',
    method: 'POST',
    path: `${T}/clusters/{clusterId}/hosts`,
    tag: 'hosts',
    auth: 'tenant',
    permission: 'hosts.write',
    summary:
      'Add a host to a dedicated cluster: admitted against the host quotas, then created, bootstrapped and joined to the Swarm (follow `state`)',
    params: ClusterHostsParams,
    body: CreateHostBody,
    response: Host,
    status: 202,
  }),
  get: defineRoute({
    id: 'hosts.get',
    method: 'GET',
    path: `${T}/clusters/{clusterId}/hosts/{hostId}`,
    tag: 'hosts',
    auth: 'tenant',
    permission: 'hosts.read',
    summary: 'A host and its provisioning state',
    params: HostParams,
    response: Host,
    status: 200,
  }),
  remove: defineRoute({
    id: 'hosts.delete',
    method: 'DELETE',
    path: `${T}/clusters/{clusterId}/hosts/{hostId}`,
    tag: 'hosts',
    auth: 'tenant',
    permission: 'hosts.write',
    summary: 'Remove a host: drained (its tasks move off), out of the Swarm, its machine terminated (follow `state`)',
    params: HostParams,
    response: Host,
    status: 202,
  }),
};
