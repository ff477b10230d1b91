import {
  applyDecorators,
  createParamDecorator,
  Delete,
  type ExecutionContext,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  SetMetadata,
} from '@nestjs/common';
import { type RouteContract, toRouterPath } from '@wharf/contracts';
import type { Principal } from './principal.js';
import { type RequestState, stateOf, type WharfRequest } from './request-state.js';

export const ROUTE_KEY = 'wharf:route';

const METHODS = { GET: Get, POST: Post, PATCH: Patch, PUT: Put, DELETE: Delete } as const;

/** Binds a handler to a route of the contract: path, method, status, and the metadata guards read. */
export function Endpoint(route: RouteContract): MethodDecorator {
  return applyDecorators(METHODS[route.method](toRouterPath(route.path)), HttpCode(route.status), SetMetadata(ROUTE_KEY, route));
}

const request = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<WharfRequest>();

/** The request's params, query and body, parsed by the route's schemas (see ValidationGuard). */
export const Input = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const input = stateOf(request(ctx)).input;
  if (!input) throw new Error('Input() used on a handler without @Endpoint');
  return input;
});

/** The tenant-scoped transaction opened for a `/tenants/{tenant}` route (see TenantScopeInterceptor). */
export const Scope = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const scope = stateOf(request(ctx)).scope;
  if (!scope) throw new Error('Scope() used outside a tenant route');
  return scope;
});

export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const user = request(ctx).user;
  if (!user) throw new Error('Caller() used on a public route');
  return user;
});

export const State = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestState => stateOf(request(ctx)));

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
  requestId: string;
}
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientInfo => {
  const req = request(ctx);
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null, requestId: String(req.id) };
});
