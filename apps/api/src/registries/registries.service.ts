import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type RegistryCredential } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import { RegistryCredentialsRepository, type RegistryCredentialView, type TenantScope, type UserId } from '@wharf/db';
import { SECRET_BOX } from '../core/tokens.js';

export function toRegistryCredential(r: RegistryCredentialView): RegistryCredential {
  return {
    id: r.id,
    server: r.server,
    username: r.username,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy ? { id: r.createdBy, name: r.creatorName ?? '' } : null,
  };
}

@Injectable()
export class RegistriesService {
  private readonly credentials = new RegistryCredentialsRepository();

  constructor(@Inject(SECRET_BOX) private readonly box: SecretBox) {}

  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.credentials.list(scope, page);
    return { items: result.items.map(toRegistryCredential), nextCursor: result.nextCursor };
  }

  async create(
    scope: TenantScope,
    by: UserId,
    input: { server: string; username: string; password: string },
  ): Promise<RegistryCredential> {
    const passwordSealed = this.box.seal(input.password, AAD.registry(scope.tenantId, input.server));
    const created = await this.credentials.create(scope, {
      server: input.server,
      username: input.username,
      passwordSealed,
      createdBy: by,
    });
    if (!created) throw new ConflictError(`There is already a login for ${input.server}; delete it first to replace it.`);
    return toRegistryCredential(created);
  }

  async remove(scope: TenantScope, id: string): Promise<void> {
    if (!(await this.credentials.remove(scope, id))) throw new NotFoundError('registry credential');
  }
}
