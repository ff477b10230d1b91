import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  type CreateTenantClusterBody,
  DnsName,
  HOST_STATES,
  type HostCounts,
  NotFoundError,
  type TenantCluster,
  ValidationError,
} from '@wharf/contracts';
import { admit, type ClusterRow, ClustersRepository, type HostState, type TenantScope } from '@wharf/db';
import { tenantClusterView } from '../clusters/clusters.service.js';

/** The edge proxy of a dedicated cluster serves HTTP on port 80 of its managers (docs/hosts.md, "The edge on hosts"). */
const DEDICATED_PROXY_PORT = 80;

/** A cluster as its tenant sees it, with its hosts counted by state (none given: no hosts). */
function toTenantCluster(row: ClusterRow, counts?: Map<HostState, number>): TenantCluster {
  return {
    ...tenantClusterView(row),
    proxyPort: row.proxyPort,
    createdAt: row.createdAt.toISOString(),
    hosts: Object.fromEntries(HOST_STATES.map((state) => [state, counts?.get(state) ?? 0])) as HostCounts,
  };
}

/**
 * Clusters as their tenant manages them. A tenant creates and deletes its dedicated clusters (admitted against the
 * `clusters` quota) and sees them beside the shared ones it deploys to; hosts are added through the host routes.
 */
@Injectable()
export class TenantClustersService {
  private readonly clusters = new ClustersRepository();

  async list(scope: TenantScope): Promise<TenantCluster[]> {
    return this.views(scope, await this.clusters.listForTenant(scope));
  }

  async get(scope: TenantScope, clusterId: string): Promise<TenantCluster> {
    const cluster = await this.clusters.findForTenant(scope, clusterId);
    if (!cluster) throw new NotFoundError('cluster');
    const [view] = await this.views(scope, [cluster]);
    if (!view) throw new NotFoundError('cluster');
    return view;
  }

  /** A new dedicated cluster (no hosts yet); a cluster of that name already exists → 409. */
  async create(scope: TenantScope, tenantSlug: string, body: CreateTenantClusterBody): Promise<TenantCluster> {
    const conflict = () => new ConflictError(`There is already a cluster named "${body.name}".`);
    if ((await this.clusters.listForTenant(scope)).some((c) => c.name === body.name && c.tenantId === scope.tenantId))
      throw conflict();
    const domain = body.domain ?? (await this.defaultDomain(scope, body.name, tenantSlug));
    await admit(scope, { clusters: 1 });
    const row = await this.clusters.createDedicated(scope, { name: body.name, domain, proxyPort: DEDICATED_PROXY_PORT });
    if (!row) throw conflict();
    return toTenantCluster(row);
  }

  /** Deletes a dedicated cluster with no apps and no host that may still hold a machine (else 409). */
  async remove(scope: TenantScope, clusterId: string): Promise<void> {
    const cluster = await this.clusters.findForTenant(scope, clusterId);
    if (cluster?.tenantId !== scope.tenantId || cluster.kind !== 'dedicated') throw new NotFoundError('cluster');
    const { apps, hosts } = await this.clusters.blockers(scope, cluster.id);
    if (hosts > 0)
      throw new ConflictError(
        `The cluster ${cluster.name} still has ${hosts} host(s) that are not terminated: remove them first.`,
      );
    if (apps > 0) throw new ConflictError(`The cluster ${cluster.name} still runs ${apps} app(s): delete or move them first.`);
    if (!(await this.clusters.removeDedicated(scope, cluster.id))) throw new NotFoundError('cluster');
  }

  private async views(scope: TenantScope, rows: ClusterRow[]): Promise<TenantCluster[]> {
    const counts = await this.clusters.hostCounts(
      scope,
      rows.filter((r) => r.tenantId === scope.tenantId).map((r) => r.id),
    );
    return rows.map((row) => toTenantCluster(row, counts.get(row.id)));
  }

  /**
   * `<name>.<tenant slug>.<the platform's apps domain>`: the domain of the oldest shared cluster. Without a shared
   * cluster, or when the result is no valid DNS name (too long), the request must name a domain.
   */
  private async defaultDomain(scope: TenantScope, name: string, tenantSlug: string): Promise<string> {
    const shared = (await this.clusters.listForTenant(scope)).find((c) => c.kind === 'shared');
    const domain = shared ? `${name}.${tenantSlug}.${shared.domain}` : undefined;
    if (domain && DnsName.safeParse(domain).success) return domain;
    throw new ValidationError([
      { path: 'body.domain', message: 'required: no default domain can be made for this cluster', code: 'required' },
    ]);
  }
}
