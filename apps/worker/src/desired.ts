import type { DesiredStack } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import {
  type AppRow,
  type ClusterRow,
  type DeploymentRow,
  RegistryCredentialsRepository,
  type TenantRow,
  type TenantScope,
} from '@wharf/db';
import { parseImageReference, routeHost, StackSpec, type StackSpecInput } from '@wharf/engine';

/** Replicas the app should run now: none while it is stopped or its tenant suspended. */
export function desiredReplicas(app: AppRow, tenant: Pick<TenantRow, 'status'>): number {
  return app.stopped || tenant.status === 'suspended' ? 0 : app.replicas;
}

/**
 * The stack an app's deployment runs on its cluster: the revision's spec with today's replica count, its secrets
 * opened, the tenant's login for the image's registry, and the app's public route.
 */
export async function desiredStack(
  scope: TenantScope,
  box: SecretBox,
  parts: { app: AppRow; tenant: TenantRow; cluster: ClusterRow; deployment: DeploymentRow },
): Promise<DesiredStack> {
  const { app, tenant, cluster, deployment } = parts;
  const spec = structuredClone(deployment.spec) as StackSpecInput;
  for (const service of spec.services) service.replicas = desiredReplicas(app, tenant);
  const secrets = deployment.secretsSealed
    ? (JSON.parse(box.open(deployment.secretsSealed, AAD.deploymentSecrets(tenant.id, app.id))) as Record<string, string>)
    : {};
  const registries = new Set(spec.services.map((s) => parseImageReference(s.image)?.registry).filter((r) => r !== undefined));
  const logins = await new RegistryCredentialsRepository().sealedLogins(scope);
  const registryAuth = logins
    .filter((l) => registries.has(l.server))
    .map((l) => ({
      serveraddress: l.server,
      username: l.username,
      password: box.open(l.passwordSealed, AAD.registry(tenant.id, l.server)),
    }));
  const routes: Record<string, string> =
    app.httpPort === null
      ? {}
      : { [app.service]: routeHost({ service: app.service, app: app.slug, tenantSlug: tenant.slug, domain: cluster.domain }) };
  return {
    scope: { tenantId: tenant.id, app: app.slug, environment: app.environment },
    deploymentId: deployment.id,
    stack: StackSpec.parse(spec),
    secrets,
    registryAuth,
    routes,
  };
}
