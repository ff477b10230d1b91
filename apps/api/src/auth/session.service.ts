import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Session, User } from '@wharf/contracts';
import { UnauthenticatedError } from '@wharf/contracts';
import { hashToken, randomSecret } from '@wharf/crypto';
import { type Database, RefreshTokensRepository, type UserId, type UserRow, UsersRepository } from '@wharf/db';
import jwt from 'jsonwebtoken';
import { CONFIG, type Config } from '../config.js';
import { DATABASE } from '../core/tokens.js';
import { SessionRevocations } from './session-revocations.js';

export interface AccessClaims {
  sub: UserId;
  sid: string;
  email: string;
  adm: boolean;
}

export const JWT_ISSUER = 'wharf';
export const JWT_AUDIENCE = 'wharf-api';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isPlatformAdmin: row.isPlatformAdmin,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Sessions: a short-lived JWT access token plus a rotating refresh token. Refresh tokens of one session form a
 * family; presenting one that was already rotated means it leaked, so the whole family is revoked.
 */
@Injectable()
export class SessionService {
  private readonly refreshTokens = new RefreshTokensRepository();
  private readonly users = new UsersRepository();
  /** Built once: given a string, jsonwebtoken would first try to parse it as a PEM key on every call. */
  private readonly key: KeyObject;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
    private readonly revocations: SessionRevocations,
  ) {
    this.key = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
  }

  /** The claims of a valid, unexpired access token of a session that was not signed out. */
  async verifyAccessToken(token: string): Promise<AccessClaims> {
    let claims: AccessClaims;
    try {
      claims = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: JWT_ISSUER, audience: JWT_AUDIENCE }) as AccessClaims;
    } catch {
      throw new UnauthenticatedError('The access token is invalid or expired.');
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string')
      throw new UnauthenticatedError('The access token is invalid.');
    if (this.revocations.isRevoked(claims.sid)) throw new UnauthenticatedError('This session was signed out.');
    return claims;
  }

  async start(user: UserRow, client: { ip: string; userAgent: string | null }): Promise<Session> {
    return this.issue(user, randomUUID(), client);
  }

  async refresh(refreshToken: string, client: { ip: string; userAgent: string | null }): Promise<Session> {
    const outcome = await this.db.unscoped(async (trx) => {
      const row = await this.refreshTokens.findByHashForUpdate(trx, hashToken(refreshToken));
      if (!row || row.revokedAt || row.expiresAt <= new Date()) return { kind: 'invalid' as const };
      if (row.rotatedAt) {
        await this.refreshTokens.revokeFamily(trx, row.familyId);
        return { kind: 'reused' as const, familyId: row.familyId };
      }
      await this.refreshTokens.markRotated(trx, row.id);
      const user = await this.users.findById(trx, row.userId);
      if (!user) return { kind: 'invalid' as const };
      return { kind: 'ok' as const, session: await this.issue(user, row.familyId, client, trx) };
    });
    if (outcome.kind === 'ok') return outcome.session;
    if (outcome.kind === 'reused') {
      await this.markRevoked(outcome.familyId);
      throw new UnauthenticatedError('This refresh token was already used; the session has been revoked. Sign in again.');
    }
    throw new UnauthenticatedError('The refresh token is invalid, expired or revoked.');
  }

  /** Ends a session: its refresh tokens stop working at once, its access tokens too (checked in Redis). */
  async revoke(sessionId: string): Promise<void> {
    await this.db.unscoped((trx) => this.refreshTokens.revokeFamily(trx, sessionId));
    await this.markRevoked(sessionId);
  }

  async familyOf(refreshToken: string): Promise<string | undefined> {
    return this.db.unscoped(
      async (trx) => (await this.refreshTokens.findByHashForUpdate(trx, hashToken(refreshToken)))?.familyId,
    );
  }

  private markRevoked(sessionId: string): Promise<void> {
    return this.revocations.revoke(sessionId);
  }

  private async issue(
    user: UserRow,
    familyId: string,
    client: { ip: string; userAgent: string | null },
    trx?: Parameters<Parameters<Database['unscoped']>[0]>[0],
  ): Promise<Session> {
    const now = Date.now();
    const claims: AccessClaims = { sub: user.id, sid: familyId, email: user.email, adm: user.isPlatformAdmin };
    const accessToken = jwt.sign(claims, this.key, {
      algorithm: 'HS256',
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    const refreshToken = `wrt_${randomSecret(32)}`;
    const refreshExpires = new Date(now + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
    const record = {
      familyId,
      userId: user.id,
      tokenHash: hashToken(refreshToken),
      expiresAt: refreshExpires,
      ip: client.ip,
      userAgent: client.userAgent,
    };
    if (trx) await this.refreshTokens.create(trx, record);
    else await this.db.unscoped((t) => this.refreshTokens.create(t, record));
    return {
      user: toUser(user),
      accessToken,
      accessTokenExpiresAt: new Date(now + this.config.ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpires.toISOString(),
    };
  }
}
