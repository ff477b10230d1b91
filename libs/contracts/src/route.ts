import type { z } from 'zod';
import type { Permission } from './roles.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Who may call a route:
 * - `public`: anyone;
 * - `user`: any signed-in user (session or API token);
 * - `tenant`: a member of the `{tenant}` in the path holding `permission`;
 * - `admin`: a platform admin;
 * - `agent`: a cluster's agent, with its per-agent credential (the agent API only).
 */
export type RouteAuth = 'public' | 'user' | 'tenant' | 'admin' | 'agent';

type AnySchema = z.ZodType;

export interface RouteContract {
  /** Stable id, `<resource>.<verb>`: the audit action and the OpenAPI operationId. */
  id: string;
  method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/v1/tenants/{tenant}/members`. */
  path: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  permission?: Permission;
  /** Whether a suspended tenant may still call it (reads may; changes may not). */
  mutates: boolean;
  params?: AnySchema;
  query?: AnySchema;
  body?: AnySchema;
  response?: AnySchema;
  status: number;
  /**
   * The handler reads the body itself, as bytes: a signed webhook (`json`, whose signature covers the exact bytes)
   * or an uploaded archive (`gzip`, up to MAX_UPLOAD_BYTES).
   */
  raw?: 'json' | 'gzip';
}

/** Input and output types of a route, as its handlers see them. */
export type RouteInput<R extends RouteContract> = {
  params: R['params'] extends AnySchema ? z.output<R['params']> : Record<string, never>;
  query: R['query'] extends AnySchema ? z.output<R['query']> : Record<string, never>;
  body: R['body'] extends AnySchema ? z.output<R['body']> : undefined;
};
export type RouteOutput<R extends RouteContract> = R['response'] extends AnySchema ? z.input<R['response']> : undefined;
/** What a client sends. */
export type RouteRequest<R extends RouteContract> = {
  params: R['params'] extends AnySchema ? z.input<R['params']> : undefined;
  query: R['query'] extends AnySchema ? z.input<R['query']> : undefined;
  body: R['body'] extends AnySchema ? z.input<R['body']> : undefined;
};

export function defineRoute<const R extends Omit<RouteContract, 'mutates'> & { mutates?: boolean }>(
  route: R,
): R & { mutates: boolean } {
  if (route.auth === 'tenant' && !route.permission) throw new Error(`${route.id}: tenant routes need a permission`);
  return { ...route, mutates: route.mutates ?? route.method !== 'GET' };
}

/** `/a/{b}/c` → `/a/:b/c`, the router's syntax. */
export function toRouterPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
