import type { RouteContract, RouteOutput, RouteRequest } from '@wharf/contracts';
import { ApiError, errorFromResponse, SESSION_PROBLEM } from './problem';
import { currentAccess, refreshAccess } from './session-store';
import { fillPath, toQueryString } from './url';

type Part<R extends RouteContract, K extends keyof RouteRequest<R>> = RouteRequest<R>[K];
/** Parts that may be left out: absent from the route, or objects whose fields are all optional. */
type OptionalPart<T> = undefined extends T ? true : Record<never, never> extends T ? true : false;

/** What a caller passes: `params`, `query` and `body` as the route's schemas accept them. */
export type ApiCall<R extends RouteContract> = {
  [K in keyof RouteRequest<R> as OptionalPart<Part<R, K>> extends true ? K : never]?: Part<R, K>;
} & {
  [K in keyof RouteRequest<R> as OptionalPart<Part<R, K>> extends true ? never : K]: Part<R, K>;
};

export interface ApiCallOptions {
  signal?: AbortSignal;
  /** The body of a route that takes an uploaded archive (`raw: 'gzip'`): sent as is, `application/gzip`. */
  archive?: Blob;
}

/** For routes that do not answer JSON (Server-Sent Events): what to accept, and where a stream resumes. */
export interface RequestOptions extends ApiCallOptions {
  accept?: string;
  /** Sent as `Last-Event-ID` when an event stream reconnects. */
  lastEventId?: string;
}

type AuthLostListener = () => void;
const authLostListeners = new Set<AuthLostListener>();

/** Called when a signed-in request is refused and the session cannot be refreshed. */
export function onAuthLost(listener: AuthLostListener): () => void {
  authLostListeners.add(listener);
  return () => authLostListeners.delete(listener);
}

/** What a request carries: JSON text, or an uploaded archive's bytes. */
interface Payload {
  data: string | Blob;
  type: 'application/json' | 'application/gzip';
}

function requestParts(
  route: RouteContract,
  call: Record<string, unknown>,
  options: RequestOptions,
): { url: string; body: Payload | undefined } {
  const params = call.params as Record<string, unknown> | undefined;
  const query = call.query as Record<string, unknown> | undefined;
  const url = fillPath(route.path, params) + toQueryString(query);
  if (route.raw === 'gzip') return { url, body: options.archive && { data: options.archive, type: 'application/gzip' } };
  // Routes with a body schema always get a JSON body (`{}` when every field is optional).
  const body = route.body ? { data: JSON.stringify(call.body ?? {}), type: 'application/json' as const } : undefined;
  return { url, body };
}

async function send(
  route: RouteContract,
  url: string,
  payload: Payload | undefined,
  token: string | undefined,
  options: RequestOptions,
): Promise<Response> {
  const { signal } = options;
  const body = payload?.data;
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json, application/problem+json' };
  if (payload) headers['content-type'] = payload.type;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  try {
    return await fetch(url, { method: route.method, headers, body, signal, credentials: 'same-origin' });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw ApiError.network(error);
  }
}

async function readBody<R extends RouteContract>(response: Response): Promise<RouteOutput<R>> {
  const text = response.status === 204 ? '' : await response.text();
  // The contract types the wire format; the API validates its responses against the same schemas.
  return (text ? JSON.parse(text) : undefined) as RouteOutput<R>;
}

function sessionLost(): ApiError {
  for (const listener of authLostListeners) listener();
  return new ApiError({
    type: SESSION_PROBLEM,
    title: 'Signed out',
    status: 401,
    detail: 'Your session has ended. Please sign in again.',
  });
}

/**
 * Sends one route's request and returns its successful response, whatever its body. Signed-in routes
 * carry the access token; a 401 refreshes the session once and retries. Failures throw an `ApiError`
 * carrying the problem+json body. `api()` reads the JSON; event streams read the body themselves.
 */
export async function request<R extends RouteContract>(
  route: R,
  call: ApiCall<R>,
  options: RequestOptions = {},
): Promise<Response> {
  const { url, body } = requestParts(route, call as Record<string, unknown>, options);
  if (route.auth === 'public') {
    const response = await send(route, url, body, undefined, options);
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  const access = await currentAccess();
  if (!access) throw sessionLost();
  let response = await send(route, url, body, access.token, options);
  if (response.status === 401) {
    const renewed = await refreshAccess(access.token);
    if (!renewed) throw sessionLost();
    response = await send(route, url, body, renewed.token, options);
    if (response.status === 401) throw sessionLost();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** Calls one route of the public API and returns its JSON as the contract types it. */
export async function api<R extends RouteContract>(
  route: R,
  call: ApiCall<R>,
  options: ApiCallOptions = {},
): Promise<RouteOutput<R>> {
  return readBody<R>(await request(route, call, options));
}
