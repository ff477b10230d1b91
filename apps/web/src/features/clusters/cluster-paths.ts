/** `/t/{tenant}/clusters`, the team's clusters. */
export function clustersPath(tenantSlug: string): string {
  return `/t/${encodeURIComponent(tenantSlug)}/clusters`;
}

/** One cluster's page: its facts and its hosts. */
export function clusterPath(tenantSlug: string, clusterId: string): string {
  return `${clustersPath(tenantSlug)}/${encodeURIComponent(clusterId)}`;
}

/** One host of a cluster: its facts, its state's history and its heartbeat. */
export function hostPath(tenantSlug: string, clusterId: string, hostId: string): string {
  return `${clusterPath(tenantSlug, clusterId)}/hosts/${encodeURIComponent(hostId)}`;
}
