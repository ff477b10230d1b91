import type { App, Deployment, Variable } from '@wharf/contracts';
import type { AppRow, AppVariableRow, ClusterRow, DeploymentRow } from '@wharf/db';
import { routeHost, type StackSpecInput } from '@wharf/engine';

export function appUrl(app: AppRow, tenantSlug: string, cluster: ClusterRow): string | null {
  if (app.httpPort === null) return null;
  const port = cluster.proxyPort === 80 ? '' : `:${cluster.proxyPort}`;
  return `http://${routeHost({ service: app.service, app: app.slug, tenantSlug, domain: cluster.domain })}${port}`;
}

interface Actual {
  desired?: number;
  running?: number;
  healthy?: number;
  message?: string | null;
}

export function toApp(row: AppRow, tenantSlug: string, cluster: ClusterRow): App {
  const actual = (row.actual ?? {}) as Actual;
  return {
    id: row.id,
    name: row.slug,
    displayName: row.name,
    status: row.status,
    image: row.image,
    port: row.httpPort,
    replicas: row.replicas,
    cpuMillis: row.cpuMillis,
    memoryMiB: row.memoryMib,
    command: row.command,
    healthcheck: row.healthcheck ?? null,
    stopped: row.stopped,
    service: row.service,
    environment: row.environment,
    url: appUrl(row, tenantSlug, cluster),
    cluster: { id: cluster.id, name: cluster.name, status: cluster.status },
    actual: {
      desired: actual.desired ?? 0,
      running: actual.running ?? 0,
      healthy: actual.healthy ?? 0,
      message: actual.message ?? null,
      observedAt: row.actualAt?.toISOString() ?? null,
    },
    currentDeploymentId: row.currentDeploymentId,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toDeployment(row: DeploymentRow): Deployment {
  const service = (row.spec as StackSpecInput).services[0];
  return {
    id: row.id,
    appId: row.appId,
    revision: row.revision,
    status: row.status,
    reason: row.reason,
    image: service?.image ?? '',
    replicas: service?.replicas ?? 0,
    rollbackOf: row.rollbackOf,
    cancelRequested: row.cancelRequested,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function toVariable(row: AppVariableRow, revealed?: string): Variable {
  return {
    key: row.key,
    secret: row.secret,
    value: row.secret ? (revealed ?? null) : row.value,
    updatedAt: row.updatedAt.toISOString(),
  };
}
