import type { Role, RouteContract } from '@wharf/contracts';
import type { TenantId, TenantRow, TenantScope } from '@wharf/db';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal.js';

export interface ParsedInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

/** What the guards and interceptors learn about a request, for the handler and the audit log. */
export interface RequestState {
  route?: RouteContract;
  input?: ParsedInput;
  tenant?: TenantRow;
  role?: Role;
  scope?: TenantScope;
  /** Set by handlers of routes outside `/tenants/{tenant}` to file their audit event under a tenant. */
  auditTenantId?: TenantId;
  auditTarget?: string;
  /** Run after the request's tenant transaction committed (enqueue jobs, wake agents). */
  afterCommit?: (() => Promise<void>)[];
  /** The agent calling an agent route. */
  agent?: { agentId: string; clusterId: string };
}

export type WharfRequest = FastifyRequest & { user?: Principal; wharf?: RequestState };

export function stateOf(req: WharfRequest): RequestState {
  req.wharf ??= {};
  return req.wharf;
}

/** Queues `fn` to run once the request's transaction has committed. */
export function afterCommit(state: RequestState, fn: () => Promise<void>): void {
  state.afterCommit ??= [];
  state.afterCommit.push(fn);
}

/** The slug of the tenant a `/tenants/{tenant}` route runs for (its URLs are built with it). */
export function tenantSlug(state: RequestState): string {
  if (!state.tenant) throw new Error('tenant route without a tenant');
  return state.tenant.slug;
}
