import { Injectable } from '@nestjs/common';
import { type ApiToken, NotFoundError, type Role } from '@wharf/contracts';
import { hashToken, randomSecret } from '@wharf/crypto';
import { ApiTokensRepository, type ApiTokenView, admit, type TenantScope, type UserId } from '@wharf/db';
import { API_TOKEN_PREFIX } from '../auth/api-token.strategy.js';

export function toApiToken(t: ApiTokenView): ApiToken {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    user: { id: t.userId, name: t.userName },
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}

/** Owners and admins see and revoke every token of the tenant; others only their own. */
const seesAll = (role: Role) => role === 'owner' || role === 'admin';

@Injectable()
export class ApiTokensService {
  private readonly tokens = new ApiTokensRepository();

  async list(scope: TenantScope, role: Role, userId: UserId, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.tokens.list(scope, page, seesAll(role) ? undefined : userId);
    return { items: result.items.map(toApiToken), nextCursor: result.nextCursor };
  }

  async create(scope: TenantScope, userId: UserId, input: { name: string; expiresInDays: number | null }) {
    await admit(scope, { apiTokens: 1 });
    const token = `${API_TOKEN_PREFIX}${randomSecret(32)}`;
    const row = await this.tokens.create(scope, {
      userId,
      name: input.name,
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      tokenHash: hashToken(token),
      expiresAt: input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000),
    });
    const view = await this.tokens.find(scope, row.id);
    if (!view) throw new Error('token vanished');
    return { apiToken: toApiToken(view), token };
  }

  async revoke(scope: TenantScope, role: Role, userId: UserId, id: string): Promise<void> {
    const token = await this.tokens.find(scope, id);
    if (!token || (!seesAll(role) && token.userId !== userId)) throw new NotFoundError('API token');
    await this.tokens.revoke(scope, id);
  }
}
