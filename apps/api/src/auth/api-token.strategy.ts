import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { UnauthenticatedError } from '@wharf/contracts';
import { hashToken } from '@wharf/crypto';
import { ApiTokensRepository, type Database, UsersRepository } from '@wharf/db';
import { Strategy } from 'passport-custom';
import type { Principal } from '../core/principal.js';
import type { WharfRequest } from '../core/request-state.js';
import { DATABASE } from '../core/tokens.js';

/** Personal API tokens look like `wharf_<43 base64url characters>`. */
export const API_TOKEN_PREFIX = 'wharf_';

@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, 'api-token') {
  private readonly tokens = new ApiTokensRepository();
  private readonly users = new UsersRepository();

  constructor(@Inject(DATABASE) private readonly db: Database) {
    super();
  }

  async validate(req: WharfRequest): Promise<Principal> {
    const token = (req.headers.authorization ?? '').slice('Bearer '.length);
    const hash = hashToken(token);
    const tenantId = await this.db.unscoped((trx) => this.tokens.tenantForToken(trx, hash));
    if (!tenantId) throw new UnauthenticatedError('Unknown API token.');
    return this.db.withTenant(tenantId, null, async (scope) => {
      const row = await this.tokens.findByHash(scope, hash);
      if (!row || row.revokedAt) throw new UnauthenticatedError('This API token was revoked.');
      if (row.expiresAt && row.expiresAt <= new Date()) throw new UnauthenticatedError('This API token has expired.');
      const user = await this.users.findById(scope.trx, row.userId);
      if (!user) throw new UnauthenticatedError('Unknown API token.');
      await this.tokens.touch(scope, row.id);
      return {
        userId: user.id,
        email: user.email,
        isPlatformAdmin: user.isPlatformAdmin,
        via: 'api-token',
        tokenTenantId: tenantId,
      };
    });
  }
}
