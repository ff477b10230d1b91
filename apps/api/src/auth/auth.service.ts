import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, type SignupResult, type Tenant, UnauthenticatedError } from '@wharf/contracts';
import { dummyPasswordHash, hashPassword, verifyPassword } from '@wharf/crypto';
import { type Database, isUniqueViolation, type UserId, type UserRow, UsersRepository } from '@wharf/db';
import { AuditService } from '../core/audit.service.js';
import type { ClientInfo } from '../core/endpoint.decorator.js';
import { DATABASE } from '../core/tokens.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { RateLimitService } from './rate-limit.service.js';
import { SessionService } from './session.service.js';

@Injectable()
export class AuthService {
  private readonly users = new UsersRepository();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly tenants: TenantsService,
    private readonly sessions: SessionService,
    private readonly rateLimits: RateLimitService,
    private readonly audit: AuditService,
  ) {}

  /** A user and their personal tenant (free plan, user as owner), in one transaction. */
  async createAccount(input: { email: string; name: string; password: string; isPlatformAdmin?: boolean }) {
    const passwordHash = await hashPassword(input.password);
    const id = randomUUID() as UserId;
    try {
      return await this.db.withUser(id, async (scope) => {
        const user = await this.users.create(scope.trx, {
          id,
          email: input.email,
          name: input.name,
          passwordHash,
          isPlatformAdmin: input.isPlatformAdmin ?? false,
        });
        const tenant = await this.tenants.create(scope, id, {
          name: input.name,
          slug: undefined,
          planId: 'free',
          personal: true,
        });
        return { user, tenant };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) throw new ConflictError('An account with this email already exists.');
      throw err;
    }
  }

  async signup(
    input: { email: string; name: string; password: string },
    client: ClientInfo,
  ): Promise<SignupResult & { tenant: Tenant }> {
    await this.rateLimits.consume(['signup-ip', client.ip]);
    const { user, tenant } = await this.createAccount(input);
    const session = await this.sessions.start(user, client);
    return { ...session, tenant };
  }

  /** Password check behind the local strategy: rate-limited per IP and per account, failures audited. */
  async verifyLogin(email: string, password: string, client: ClientInfo): Promise<UserRow> {
    const normalised = email.toLowerCase();
    await this.rateLimits.consume(['login-ip', client.ip], ['login-account', normalised]);
    const user = await this.db.unscoped((trx) => this.users.findByEmail(trx, normalised));
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) {
      await this.audit.record({
        tenantId: null,
        actorId: user?.id ?? null,
        actorEmail: normalised,
        action: 'auth.login',
        target: null,
        outcome: 'denied',
        status: 401,
        ip: client.ip,
        requestId: client.requestId,
      });
      throw new UnauthenticatedError('Wrong email or password.');
    }
    return user;
  }

  async findUser(id: UserId): Promise<UserRow> {
    const user = await this.db.unscoped((trx) => this.users.findById(trx, id));
    if (!user) throw new UnauthenticatedError('This account no longer exists.');
    return user;
  }
}
