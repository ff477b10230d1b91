import { z } from 'zod';
import { Broker, BrokerParams, ClusterBrokersParams, CreateBrokerBody, CreatedBroker } from '../brokers.js';
import { ListQuery, page } from '../common.js';
import { ClusterHostsParams, CreatedHost, CreateHostBody, Host, HostParams, InstallCommand, InstallParams } from '../hosts.js';
import { defineRoute } from '../route.js';
import { T, V1 } from './paths.js';

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
      'Add a host to a dedicated cluster: admitted against the host quotas, then created, bootstrapped and joined to the Swarm (follow `state`). A brought host (`byo`) starts bootstrapping and the answer carries its one-time install command, shown only here',
    params: ClusterHostsParams,
    body: CreateHostBody,
    response: CreatedHost,
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
  installCommand: defineRoute({
    id: 'hosts.install-command',
    method: 'POST',
    path: `${T}/clusters/{clusterId}/hosts/{hostId}/install-command`,
    tag: 'hosts',
    auth: 'tenant',
    permission: 'hosts.write',
    summary: 'A fresh one-time install command for a brought host still waiting for its agent (the previous one stops working)',
    params: HostParams,
    response: InstallCommand,
    status: 200,
  }),
};

/** Brokers of a dedicated cluster (broker mode): each drives the cluster's `ssh` hosts of one datacenter. */
export const brokerRoutes = {
  create: defineRoute({
    id: 'brokers.create',
    method: 'POST',
    path: `${T}/clusters/{clusterId}/brokers`,
    tag: 'hosts',
    auth: 'tenant',
    permission: 'hosts.write',
    summary:
      'Create a broker: the answer carries its one-time token and the command that starts it (shown only here); once it runs, its SSH public key shows in the list',
    params: ClusterBrokersParams,
    body: CreateBrokerBody,
    response: CreatedBroker,
    status: 201,
  }),
  list: defineRoute({
    id: 'brokers.list',
    method: 'GET',
    path: `${T}/clusters/{clusterId}/brokers`,
    tag: 'hosts',
    auth: 'tenant',
    permission: 'hosts.read',
    summary: 'The brokers of a dedicated cluster, oldest first, with their SSH public keys',
    params: ClusterBrokersParams,
    response: z.object({ items: z.array(Broker) }),
    status: 200,
  }),
  remove: defineRoute({
    id: 'brokers.delete',
    method: 'DELETE',
    path: `${T}/clusters/{clusterId}/brokers/{brokerId}`,
    tag: 'hosts',
    auth: 'tenant',
    permission: 'hosts.write',
    summary:
      'Remove a broker: its token and the agent it registered as are revoked at once (the broker is refused from then on). Refused (409) while it drives a host not terminated',
    params: BrokerParams,
    status: 204,
  }),
};

/**
 * What a brought host's install command fetches: public (the machine has no credential yet), outside the OpenAPI
 * document (machines call them, not users, and they answer a shell script and a JavaScript file, not JSON).
 */
export const installRoutes = {
  /** The install script of one host; its token in the path is good for one fetch. 404 for any other token. */
  script: defineRoute({
    id: 'install.script',
    method: 'GET',
    path: `${V1}/install/{token}`,
    tag: 'hosts',
    auth: 'public',
    summary: 'The install script of a brought host (POSIX sh), served once per token',
    params: InstallParams,
    status: 200,
  }),
  /** The agent as one file (`node wharf-agent.mjs`); the install script checks it against its SHA-256. */
  agentPackage: defineRoute({
    id: 'install.agent-package',
    method: 'GET',
    path: `${V1}/agent/wharf-agent.mjs`,
    tag: 'hosts',
    auth: 'public',
    summary: 'The agent bundled into one JavaScript file',
    status: 200,
  }),
};
