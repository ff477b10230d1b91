import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { UnauthenticatedError } from '@wharf/contracts';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { CONFIG, type Config } from '../config.js';
import type { Principal } from '../core/principal.js';
import { type AccessClaims, JWT_AUDIENCE, JWT_ISSUER, SessionService } from './session.service.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(CONFIG) config: Config,
    private readonly sessions: SessionService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.JWT_SECRET,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      algorithms: ['HS256'],
    });
  }

  async validate(claims: AccessClaims): Promise<Principal> {
    if (await this.sessions.isRevoked(claims.sid)) throw new UnauthenticatedError('This session was signed out.');
    return { userId: claims.sub, email: claims.email, isPlatformAdmin: claims.adm, via: 'session', sessionId: claims.sid };
  }
}
