import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ForbiddenError, type RouteContract, UnauthenticatedError } from '@wharf/contracts';
import { AgentAuthService } from '../agents/agent-auth.service.js';
import { ROUTE_KEY } from '../core/endpoint.decorator.js';
import { stateOf, type WharfRequest } from '../core/request-state.js';
import { API_TOKEN_PREFIX } from './api-token.strategy.js';

const JwtGuard = AuthGuard('jwt');
const ApiTokenGuard = AuthGuard('api-token');

/**
 * Authenticates every non-public route with passport: `Bearer wharf_…` through the API-token strategy, any other
 * bearer token as a JWT access token. Admin routes also need a platform admin signed in with a session. Agent
 * routes take an agent credential instead.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly jwt = new JwtGuard();
  private readonly apiToken = new ApiTokenGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly agentAuth: AgentAuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const route = this.reflector.get<RouteContract | undefined>(ROUTE_KEY, ctx.getHandler());
    if (!route || route.auth === 'public') return true;
    const req = ctx.switchToHttp().getRequest<WharfRequest>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]{10,2048})$/.exec(header) : null;
    if (!match?.[1]) throw new UnauthenticatedError('Send `Authorization: Bearer <token>`.');
    if (route.auth === 'agent') {
      stateOf(req).agent = await this.agentAuth.verify(match[1]);
      return true;
    }
    const guard = match[1].startsWith(API_TOKEN_PREFIX) ? this.apiToken : this.jwt;
    await guard.canActivate(ctx);
    const user = req.user;
    if (!user) throw new UnauthenticatedError('Missing, invalid or expired credentials.');
    if (route.auth === 'admin' && !(user.isPlatformAdmin && user.via === 'session')) {
      throw new ForbiddenError('Platform admin only (signed in, not through an API token).');
    }
    return true;
  }
}
