import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import type { Principal } from '../core/principal.js';
import type { WharfRequest } from '../core/request-state.js';
import { SessionService } from './session.service.js';

/** Bearer access tokens (HS256 JWTs) issued by SessionService; signed-out sessions are refused. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly sessions: SessionService) {
    super();
  }

  async validate(req: WharfRequest): Promise<Principal> {
    const token = (req.headers.authorization ?? '').slice('Bearer '.length);
    const claims = await this.sessions.verifyAccessToken(token);
    return { userId: claims.sub, email: claims.email, isPlatformAdmin: claims.adm, via: 'session', sessionId: claims.sid };
  }
}
