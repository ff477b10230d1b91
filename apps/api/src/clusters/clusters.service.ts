import { Inject, Injectable } from '@nestjs/common';
import {
  type AdminAgent,
  type AdminCluster,
  type Cluster,
  ConflictError,
  JOIN_TOKEN_PREFIX,
  NotFoundError,
  ValidationError,
} from '@wharf/contracts';
import { hashToken, randomSecret } from '@wharf/crypto';
import {
  AdminRepository,
  type AgentRow,
  AgentsRepository,
  type ClusterRow,
  ClustersRepository,
  Database,
  type PlatformScope,
  type TenantId,
} from '@wharf/db';
import { DATABASE } from '../core/tokens.js';

const JOIN_TOKEN_TTL_MS = 24 * 3600 * 1000;

/** A cluster as its tenants see it. */
export function tenantClusterView(row: ClusterRow): Cluster {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    domain: row.domain,
    status: row.status,
    lastHeartbeatAt: row.lastHeartbeatAt?.toISOString() ?? null,
    nodes: row.nodes.length,
    policyRelaxed: row.policyRelaxed,
  };
}

export function clusterView(row: ClusterRow): AdminCluster {
  return {
    ...tenantClusterView(row),
    tenantId: row.tenantId,
    proxyPort: row.proxyPort,
    createdAt: row.createdAt.toISOString(),
  };
}

/** An agent as admins see it: never its credential hash. */
export function agentView(row: AgentRow): AdminAgent {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
  };
}

/** Platform clusters, the one-time join tokens their agents register with, and the agents themselves. */
@Injectable()
export class ClustersService {
  private readonly clusters = new ClustersRepository();
  private readonly agents = new AgentsRepository();
  private readonly admin = new AdminRepository();

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async list(): Promise<AdminCluster[]> {
    return (await this.db.withPlatform((p) => this.clusters.listAll(p))).map(clusterView);
  }

  /** A new shared cluster, or a dedicated one of a tenant; a cluster of that name already exists → 409. */
  async create(cluster: { name: string; domain: string; proxyPort: number; tenantId?: string | undefined }): Promise<ClusterRow> {
    const { tenantId, ...spec } = cluster;
    const row = await this.db.withPlatform(async (p) => {
      const tenant = tenantId === undefined ? undefined : await this.admin.getTenant(p, tenantId as TenantId);
      if (tenantId !== undefined && !tenant)
        throw new ValidationError([{ path: 'body.tenantId', message: 'no such tenant', code: 'not_found' }]);
      return this.clusters.create(p, spec, tenant ? tenant.id : null);
    });
    if (!row) throw new ConflictError(`There is already a cluster named ${cluster.name}.`);
    return row;
  }

  /** The shared cluster of that name, created when missing. */
  async ensureShared(cluster: { name: string; domain: string; proxyPort: number }): Promise<ClusterRow> {
    return this.db.withPlatform(
      async (p) =>
        (await this.clusters.create(p, cluster)) ??
        (await this.clusters.findByName(p, cluster.name)) ??
        Promise.reject(new Error(`cluster ${cluster.name} vanished`)),
    );
  }

  /** A new one-time join token for the cluster (shown once; stored hashed; valid for a day). */
  async issueJoinToken(clusterId: string): Promise<string> {
    const token = `${JOIN_TOKEN_PREFIX}${randomSecret()}`;
    await this.db.withPlatform(async (p) => {
      await this.find(p, clusterId);
      await this.agents.createJoinToken(p, clusterId, hashToken(token), new Date(Date.now() + JOIN_TOKEN_TTL_MS));
    });
    return token;
  }

  async listAgents(clusterId: string): Promise<AdminAgent[]> {
    return this.db.withPlatform(async (p) => {
      await this.find(p, clusterId);
      return (await this.agents.listForCluster(p, clusterId)).map(agentView);
    });
  }

  /** Revokes the agent's credential (the API refuses it from the next request on); an already revoked agent is no error. */
  async revokeAgent(clusterId: string, agentId: string): Promise<AdminAgent> {
    return this.db.withPlatform(async (p) => {
      await this.agents.revoke(p, clusterId, agentId);
      const agent = await this.agents.findInCluster(p, clusterId, agentId);
      if (!agent) throw new NotFoundError('agent');
      return agentView(agent);
    });
  }

  private async find(p: PlatformScope, clusterId: string): Promise<ClusterRow> {
    const cluster = await this.clusters.get(p, clusterId);
    if (!cluster) throw new NotFoundError('cluster');
    return cluster;
  }
}
