import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, ValidationError, type Variable } from '@wharf/contracts';
import type { SecretBox } from '@wharf/crypto';
import { AppsRepository, type AppVariableRow, EnvironmentsRepository, type TenantScope } from '@wharf/db';
import { type EnvironmentValues, type EnvRef, environmentValues, variableAad } from '@wharf/releases';
import { SECRET_BOX } from '../core/tokens.js';
import { toVariable } from './app-views.js';

/**
 * The variables and secrets of an app's environment; secret values are sealed at rest (bound to tenant, app,
 * environment and key) and masked unless revealed.
 */
@Injectable()
export class VariablesService {
  private readonly apps = new AppsRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(@Inject(SECRET_BOX) private readonly box: SecretBox) {}

  async list(scope: TenantScope, env: EnvRef) {
    const rows = await this.rows(scope, env);
    return { items: rows.map((r) => toVariable(r)), nextCursor: null };
  }

  async set(scope: TenantScope, env: EnvRef, key: string, body: { value: string; secret: boolean }): Promise<Variable> {
    const existing = (await this.rows(scope, env)).map((v) => v.key);
    const clash = body.secret ? existing.includes(`${key}_FILE`) : key.endsWith('_FILE') && existing.includes(key.slice(0, -5));
    if (clash)
      throw new ValidationError([{ path: 'params.key', message: 'clashes with a secret’s *_FILE variable', code: 'conflict' }]);
    await this.apps.setVariable(scope, env.appId, env.environment, {
      key,
      secret: body.secret,
      value: body.secret ? null : body.value,
      valueSealed: body.secret ? this.box.seal(body.value, this.aad(scope, env, key)) : null,
    });
    return this.get(scope, env, key);
  }

  async remove(scope: TenantScope, env: EnvRef, key: string): Promise<void> {
    await this.rows(scope, env);
    if (!(await this.apps.removeVariable(scope, env.appId, env.environment, key))) throw new NotFoundError('variable');
  }

  async reveal(scope: TenantScope, env: EnvRef, key: string): Promise<Variable> {
    return this.get(scope, env, key, true);
  }

  /** Plain values and opened secrets of the environment. */
  async values(scope: TenantScope, env: EnvRef): Promise<EnvironmentValues> {
    await this.rows(scope, env);
    return environmentValues(this.box, scope, env);
  }

  /** Seals a secret of the environment (app creation writes production's directly). */
  seal(scope: TenantScope, env: EnvRef, key: string, value: string): string {
    return this.box.seal(value, this.aad(scope, env, key));
  }

  private aad(scope: TenantScope, env: EnvRef, key: string): string {
    return variableAad(scope, env, key);
  }

  private async rows(scope: TenantScope, env: EnvRef): Promise<AppVariableRow[]> {
    if (!(await this.environments.find(scope, env.appId, env.environment))) throw new NotFoundError('environment');
    return this.apps.variables(scope, env.appId, env.environment);
  }

  private async get(scope: TenantScope, env: EnvRef, key: string, reveal = false): Promise<Variable> {
    const row = (await this.rows(scope, env)).find((v) => v.key === key);
    if (!row) throw new NotFoundError('variable');
    const revealed = reveal && row.valueSealed ? this.box.open(row.valueSealed, this.aad(scope, env, key)) : undefined;
    return toVariable(row, revealed);
  }
}
