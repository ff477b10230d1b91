import type { Deployment } from '@wharf/contracts';
import type { DeploymentRow } from '@wharf/db';
import type { StackSpecInput } from '@wharf/engine';

export function toDeployment(row: DeploymentRow): Deployment {
  const services = (row.spec as StackSpecInput).services;
  const first = services[0];
  return {
    id: row.id,
    appId: row.appId,
    environment: row.environment,
    revision: row.revision,
    status: row.status,
    reason: row.reason,
    image: first?.image ?? '',
    replicas: first?.replicas ?? 0,
    services: services.map((s) => s.name),
    rollbackOf: row.rollbackOf,
    buildId: row.buildId,
    test: row.testResult,
    cancelRequested: row.cancelRequested,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
