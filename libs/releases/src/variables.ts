import { AAD, type SecretBox } from '@wharf/crypto';
import { AppsRepository, type TenantScope } from '@wharf/db';

/** Which environment of which app. */
export interface EnvRef {
  appId: string;
  environment: string;
}

export interface EnvironmentValues {
  plain: Record<string, string>;
  secret: Record<string, string>;
}

const apps = new AppsRepository();

/** The AAD a secret variable is sealed with: bound to its tenant, app, environment and key. */
export function variableAad(scope: TenantScope, env: EnvRef, key: string): string {
  return AAD.variable(scope.tenantId, env.appId, key, env.environment);
}

/** Plain values and opened secrets of an environment (for a deployment's snapshot). */
export async function environmentValues(box: SecretBox, scope: TenantScope, env: EnvRef): Promise<EnvironmentValues> {
  const rows = await apps.variables(scope, env.appId, env.environment);
  return {
    plain: Object.fromEntries(rows.filter((v) => !v.secret).map((v) => [v.key, v.value ?? ''])),
    secret: Object.fromEntries(
      rows
        .filter((v) => v.secret && v.valueSealed)
        .map((v) => [v.key, box.open(v.valueSealed ?? '', variableAad(scope, env, v.key))]),
    ),
  };
}
