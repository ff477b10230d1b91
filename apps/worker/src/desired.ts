import type { DesiredStack } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import {
  type AppEnvironmentRow,
  type AppRow,
  type ClusterRow,
  type DeploymentRow,
  RegistryCredentialsRepository,
  type TenantRow,
  type TenantScope,
} from '@wharf/db';
import { parseImageReference, routeHost, type ServiceSpec, StackSpec } from '@wharf/engine';

/**
 * Replicas a service of the app should run now: none while the app is stopped or its tenant suspended; an image
 * app's replica count is the app's (scaling takes effect without a deployment), a compose service's its file's.
 */
export function desiredReplicas(app: AppRow, tenant: Pick<TenantRow, 'status'>, service: Pick<ServiceSpec, 'replicas'>): number {
  if (app.stopped || tenant.status === 'suspended') return 0;
  return app.kind !== 'compose' ? (app.replicas ?? 0) : service.replicas;
}

/**
 * The stack an environment's deployment runs on its cluster: the revision's spec with today's replica counts, its
 * secrets opened, its configs, the tenant's logins for the registries of its images, and the public routes of its
 * HTTP services.
 */
export async function desiredStack(
  scope: TenantScope,
  box: SecretBox,
  parts: { app: AppRow; env: Pick<AppEnvironmentRow, 'name'>; tenant: TenantRow; cluster: ClusterRow; deployment: DeploymentRow },
): Promise<DesiredStack> {
  const { app, env, tenant, cluster, deployment } = parts;
  const stack = StackSpec.parse(deployment.spec);
  for (const service of stack.services) {
    // a job ran to completion: running it again is a new deployment's business
    if (service.mode === 'replicated') service.replicas = desiredReplicas(app, tenant, service);
  }
  const secrets = deployment.secretsSealed
    ? (JSON.parse(box.open(deployment.secretsSealed, AAD.deploymentSecrets(tenant.id, app.id))) as Record<string, string>)
    : {};
  const registries = new Set(stack.services.map((s) => parseImageReference(s.image)?.registry).filter((r) => r !== undefined));
  const logins = await new RegistryCredentialsRepository().sealedLogins(scope);
  const registryAuth = logins
    .filter((l) => registries.has(l.server))
    .map((l) => ({
      serveraddress: l.server,
      username: l.username,
      password: box.open(l.passwordSealed, AAD.registry(tenant.id, l.server)),
    }));
  const routes = Object.fromEntries(
    stack.services
      .filter((s) => s.ports.some((p) => p.http))
      .map((s) => [
        s.name,
        routeHost({ service: s.name, app: app.slug, tenantSlug: tenant.slug, domain: cluster.domain, environment: env.name }),
      ]),
  );
  return {
    scope: { tenantId: tenant.id, app: app.slug, environment: env.name },
    deploymentId: deployment.id,
    stack,
    secrets,
    configs: deployment.configs,
    registryAuth,
    routes,
  };
}
