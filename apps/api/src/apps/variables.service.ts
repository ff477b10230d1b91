import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, ValidationError, type Variable } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import { AppsRepository, type TenantScope } from '@wharf/db';
import { SECRET_BOX } from '../core/tokens.js';
import { toVariable } from './app-views.js';

/** An app's environment variables and secrets; secret values are sealed at rest and masked unless revealed. */
@Injectable()
export class VariablesService {
  private readonly apps = new AppsRepository();

  constructor(@Inject(SECRET_BOX) private readonly box: SecretBox) {}

  async list(scope: TenantScope, appId: string) {
    const rows = await this.apps.variables(scope, appId);
    return { items: rows.map((r) => toVariable(r)), nextCursor: null };
  }

  async set(scope: TenantScope, appId: string, key: string, body: { value: string; secret: boolean }): Promise<Variable> {
    const existing = (await this.apps.variables(scope, appId)).map((v) => v.key);
    const clash = body.secret ? existing.includes(`${key}_FILE`) : key.endsWith('_FILE') && existing.includes(key.slice(0, -5));
    if (clash)
      throw new ValidationError([{ path: 'params.key', message: 'clashes with a secret’s *_FILE variable', code: 'conflict' }]);
    await this.apps.setVariable(scope, appId, {
      key,
      secret: body.secret,
      value: body.secret ? null : body.value,
      valueSealed: body.secret ? this.box.seal(body.value, AAD.variable(scope.tenantId, appId, key)) : null,
    });
    return this.get(scope, appId, key);
  }

  async remove(scope: TenantScope, appId: string, key: string): Promise<void> {
    if (!(await this.apps.removeVariable(scope, appId, key))) throw new NotFoundError('variable');
  }

  async reveal(scope: TenantScope, appId: string, key: string): Promise<Variable> {
    return this.get(scope, appId, key, true);
  }

  private async get(scope: TenantScope, appId: string, key: string, reveal = false): Promise<Variable> {
    const row = (await this.apps.variables(scope, appId)).find((v) => v.key === key);
    if (!row) throw new NotFoundError('variable');
    const revealed =
      reveal && row.valueSealed ? this.box.open(row.valueSealed, AAD.variable(scope.tenantId, appId, key)) : undefined;
    return toVariable(row, revealed);
  }
}
