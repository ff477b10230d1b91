import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { UserRow } from '@wharf/db';
import { Strategy } from 'passport-local';
import type { WharfRequest } from '../core/request-state.js';
import { AuthService } from './auth.service.js';

/** Email + password login. The body was already validated by the route's schema (ValidationGuard). */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  async validate(req: WharfRequest, email: string, password: string): Promise<UserRow> {
    const ua = req.headers['user-agent'];
    return this.auth.verifyLogin(email, password, {
      ip: req.ip,
      userAgent: typeof ua === 'string' ? ua : null,
      requestId: String(req.id),
    });
  }
}
