import { Controller } from '@nestjs/common';
import { adminClusterRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import { Endpoint, Input } from '../core/endpoint.decorator.js';
import { ClustersService, clusterView } from './clusters.service.js';

/** The platform admin's view of clusters and agents (the admin-clusters routes). */
@Controller()
export class ClustersController {
  constructor(private readonly clusters: ClustersService) {}

  @Endpoint(adminClusterRoutes.list)
  async list(): Promise<RouteOutput<typeof adminClusterRoutes.list>> {
    return { items: await this.clusters.list(), nextCursor: null };
  }

  @Endpoint(adminClusterRoutes.create)
  async create(
    @Input() input: RouteInput<typeof adminClusterRoutes.create>,
  ): Promise<RouteOutput<typeof adminClusterRoutes.create>> {
    const cluster = await this.clusters.create(input.body);
    return { cluster: clusterView(cluster), joinToken: await this.clusters.issueJoinToken(cluster.id) };
  }

  @Endpoint(adminClusterRoutes.issueJoinToken)
  async issueJoinToken(
    @Input() input: RouteInput<typeof adminClusterRoutes.issueJoinToken>,
  ): Promise<RouteOutput<typeof adminClusterRoutes.issueJoinToken>> {
    return { joinToken: await this.clusters.issueJoinToken(input.params.clusterId) };
  }

  @Endpoint(adminClusterRoutes.listAgents)
  async listAgents(
    @Input() input: RouteInput<typeof adminClusterRoutes.listAgents>,
  ): Promise<RouteOutput<typeof adminClusterRoutes.listAgents>> {
    return { items: await this.clusters.listAgents(input.params.clusterId) };
  }

  @Endpoint(adminClusterRoutes.revokeAgent)
  revokeAgent(
    @Input() input: RouteInput<typeof adminClusterRoutes.revokeAgent>,
  ): Promise<RouteOutput<typeof adminClusterRoutes.revokeAgent>> {
    return this.clusters.revokeAgent(input.params.clusterId, input.params.agentId);
  }
}
