import { Controller, Inject, Req, Res, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { authRoutes, type RouteInput, type RouteOutput, UnauthenticatedError } from '@wharf/contracts';
import type { UserRow } from '@wharf/db';
import type { FastifyReply } from 'fastify';
import { CONFIG, type Config } from '../config.js';
import { Caller, Client, type ClientInfo, Endpoint, Input, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import type { RequestState, WharfRequest } from '../core/request-state.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { AuthService } from './auth.service.js';
import { SessionService, toUser } from './session.service.js';

const COOKIE = 'wharf_refresh';
const COOKIE_PATH = '/api/v1/auth';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly tenants: TenantsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Endpoint(authRoutes.signup)
  async signup(
    @Input() input: RouteInput<typeof authRoutes.signup>,
    @Client() client: ClientInfo,
    @State() state: RequestState,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RouteOutput<typeof authRoutes.signup>> {
    const result = await this.auth.signup(input.body, client);
    // the new account's first event opens its tenant's audit log
    state.auditTenantId = result.tenant.id as RequestState['auditTenantId'];
    this.setCookie(reply, result.refreshToken);
    return result;
  }

  @Endpoint(authRoutes.login)
  @UseGuards(AuthGuard('local'))
  async login(
    @Req() req: WharfRequest,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RouteOutput<typeof authRoutes.login>> {
    const user = req.user as unknown as UserRow;
    // passport put the user row on the request; from here on the request is that user's.
    req.user = { userId: user.id, email: user.email, isPlatformAdmin: user.isPlatformAdmin, via: 'session' } satisfies Principal;
    const session = await this.sessions.start(user, client);
    this.setCookie(reply, session.refreshToken);
    return session;
  }

  @Endpoint(authRoutes.refresh)
  async refresh(
    @Input() input: RouteInput<typeof authRoutes.refresh>,
    @Req() req: WharfRequest & { cookies?: Record<string, string | undefined> },
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RouteOutput<typeof authRoutes.refresh>> {
    const token = input.body?.refreshToken ?? req.cookies?.[COOKIE];
    if (!token) throw new UnauthenticatedError('No refresh token in the body or the session cookie.');
    try {
      const session = await this.sessions.refresh(token, client);
      this.setCookie(reply, session.refreshToken);
      return session;
    } catch (err) {
      reply.clearCookie(COOKIE, { path: COOKIE_PATH });
      throw err;
    }
  }

  @Endpoint(authRoutes.logout)
  async logout(
    @Input() input: RouteInput<typeof authRoutes.logout>,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (caller.sessionId) await this.sessions.revoke(caller.sessionId);
    const other = input.body?.refreshToken ? await this.sessions.familyOf(input.body.refreshToken) : undefined;
    if (other && other !== caller.sessionId) await this.sessions.revoke(other);
    reply.clearCookie(COOKIE, { path: COOKIE_PATH });
  }

  @Endpoint(authRoutes.me)
  async me(@Caller() caller: Principal): Promise<RouteOutput<typeof authRoutes.me>> {
    const [user, tenants] = await Promise.all([
      this.auth.findUser(caller.userId),
      this.tenants.listForUser(caller.userId, { limit: 100 }),
    ]);
    const visible = caller.tokenTenantId ? tenants.items.filter((t) => t.id === caller.tokenTenantId) : tenants.items;
    return { user: toUser(user), tenants: visible };
  }

  private setCookie(reply: FastifyReply, token: string): void {
    reply.setCookie(COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.PUBLIC_URL.startsWith('https:'),
      path: COOKIE_PATH,
      maxAge: this.config.REFRESH_TOKEN_TTL_SECONDS,
    });
  }
}
