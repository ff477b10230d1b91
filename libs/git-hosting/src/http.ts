import type { z } from 'zod';
import { HostingError } from './errors.js';
import { type GitProvider, type HostingClientOptions, PROVIDER_NAMES } from './types.js';

export const DEFAULT_MAX_PAGES = 1000;
export const DEFAULT_TIMEOUT_MS = 15_000;
export const PER_PAGE = 100;
/** Largest body read from one answer: a page of 100 repositories is well under 1 MiB. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** How one client talks to its provider: base URL, auth, limits. */
export interface ApiContext {
  provider: GitProvider;
  base: URL;
  fetch: typeof fetch;
  headers: Record<string, string>;
  /** Query parameters every request carries (Gitee's access_token). */
  query: Record<string, string>;
  maxPages: number;
  timeoutMs: number;
}

export function apiContext(
  provider: GitProvider,
  opts: HostingClientOptions,
  auth: { headers?: Record<string, string>; query?: Record<string, string> },
): ApiContext {
  let base: URL;
  try {
    base = new URL(opts.baseUrl.replace(/\/+$/, ''));
  } catch {
    throw new HostingError('invalid', provider, `the ${PROVIDER_NAMES[provider]} API URL is not a valid URL`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new HostingError('invalid', provider, `the ${PROVIDER_NAMES[provider]} API URL must be http(s)`);
  }
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError('maxPages must be a positive integer');
  return {
    provider,
    base,
    fetch: opts.fetch ?? fetch,
    headers: { 'user-agent': 'wharf', ...auth.headers },
    query: auth.query ?? {},
    maxPages,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

/** `path` under the API base (`/user/repos`), with query parameters. */
export function apiUrl(ctx: ApiContext, path: string, params: Record<string, string | number> = {}): URL {
  const url = new URL(`${ctx.base.href.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  return url;
}

/** One GET, its body checked against `schema` (unknown fields dropped). `what` names the thing in error messages. */
export async function getJson<S extends z.ZodType>(
  ctx: ApiContext,
  url: URL,
  schema: S,
  what: string,
): Promise<{ data: z.infer<S>; headers: Headers }> {
  const name = PROVIDER_NAMES[ctx.provider];
  const target = new URL(url);
  for (const [k, v] of Object.entries(ctx.query)) target.searchParams.set(k, v);
  let res: Response;
  try {
    res = await ctx.fetch(target, {
      headers: ctx.headers,
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const message = timedOut
      ? `${name} did not answer within ${ctx.timeoutMs} ms while reading ${what}`
      : `could not reach ${name} at ${ctx.base.origin} while reading ${what}`;
    throw new HostingError('unavailable', ctx.provider, message, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw statusError(ctx, res, what);
  }
  const text = await readLimited(ctx, res, what);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new HostingError('invalid', ctx.provider, `${name} sent a body that is not JSON for ${what}`, { cause: err });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new HostingError('invalid', ctx.provider, `${name} sent an unexpected answer for ${what}${where}: ${issue?.message}`, {
      cause: parsed.error,
    });
  }
  return { data: parsed.data, headers: res.headers };
}

/** The body as text, refusing one larger than MAX_BODY_BYTES (the base URL may be a self-hosted server). */
async function readLimited(ctx: ApiContext, res: Response, what: string): Promise<string> {
  const tooLarge = () =>
    new HostingError(
      'invalid',
      ctx.provider,
      `${PROVIDER_NAMES[ctx.provider]} sent more than ${MAX_BODY_BYTES} bytes for ${what}`,
    );
  if (Number(res.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HostingError) throw err;
    throw new HostingError('unavailable', ctx.provider, `${PROVIDER_NAMES[ctx.provider]} broke off its answer for ${what}`, {
      cause: err,
    });
  }
  return Buffer.concat(chunks).toString('utf8');
}

function statusError(ctx: ApiContext, res: Response, what: string): HostingError {
  const name = PROVIDER_NAMES[ctx.provider];
  const status = res.status;
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const exhausted = ['x-ratelimit-remaining', 'ratelimit-remaining'].some((h) => res.headers.get(h) === '0');
  if (status === 429 || (status === 403 && (exhausted || retryAfterSeconds !== undefined))) {
    const when = retryAfterSeconds === undefined ? 'later' : `in ${retryAfterSeconds} s`;
    return new HostingError('rate_limited', ctx.provider, `${name} is rate-limiting this token: try again ${when}`, {
      status,
      retryAfterSeconds,
    });
  }
  if (status === 401 || status === 403) {
    return new HostingError(
      'auth',
      ctx.provider,
      `the token was refused by ${name} (${status}): it may have expired, been revoked or lack the permission to read ${what}`,
      { status },
    );
  }
  if (status === 404) {
    return new HostingError('not_found', ctx.provider, `${name} found no ${what} for this token (404)`, { status });
  }
  if (status >= 500) {
    return new HostingError('unavailable', ctx.provider, `${name} is unavailable (${status}) while reading ${what}`, { status });
  }
  return new HostingError('invalid', ctx.provider, `${name} answered ${status} to the request for ${what}`, { status });
}

/** The `rel="next"` target of an RFC 8288 `Link` header, if any. */
export function linkNext(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    const rel = m?.[2] ? /(?:^|;)\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]) : null;
    if (m?.[1] && rel?.[1]?.toLowerCase().split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

export interface PageInfo {
  url: URL;
  headers: Headers;
  /** items on this page */
  count: number;
  /** items so far, this page included */
  total: number;
  /** 1-based number of this page */
  page: number;
}

/**
 * Every page of a listing. `next` says where the next page is (undefined: this was the last). Refuses a next link
 * that leaves the API base (the token must not travel elsewhere) or comes back to a page already read, and throws,
 * never truncates, when the listing has more than `maxPages` pages.
 */
export async function collectPages<T>(
  ctx: ApiContext,
  first: URL,
  schema: z.ZodType<T[]>,
  what: string,
  next: (page: PageInfo) => URL | string | undefined,
): Promise<T[]> {
  const name = PROVIDER_NAMES[ctx.provider];
  const items: T[] = [];
  const seen = new Set<string>();
  let url: URL | undefined = first;
  for (let page = 1; url; page++) {
    if (page > ctx.maxPages) {
      throw new HostingError(
        'invalid',
        ctx.provider,
        `${name} has more than ${ctx.maxPages} pages of ${what}; stopped rather than return a partial list`,
      );
    }
    seen.add(url.href);
    const { data, headers } = await getJson(ctx, url, schema, what);
    items.push(...data);
    const target = next({ url, headers, count: data.length, total: items.length, page });
    url = target === undefined ? undefined : sameApi(ctx, new URL(target, url), what);
    if (url && seen.has(url.href)) {
      throw new HostingError('invalid', ctx.provider, `${name} sent a next-page link back to a page already read (${what})`);
    }
  }
  return items;
}

function sameApi(ctx: ApiContext, url: URL, what: string): URL {
  const basePath = ctx.base.pathname.replace(/\/+$/, '');
  if (url.origin !== ctx.base.origin || !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) {
    throw new HostingError(
      'invalid',
      ctx.provider,
      `${PROVIDER_NAMES[ctx.provider]} sent a next-page link outside its API (${what})`,
    );
  }
  return url;
}

/** `owner/name` with one plain segment each (GitHub, Gitee), URL-encoded for a path. */
export function ownerRepoPath(ctx: ApiContext, fullName: string): string {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(fullName);
  if (!m?.[1] || !m[2] || m[1].startsWith('.') || m[2].startsWith('.')) {
    throw new HostingError('invalid', ctx.provider, `"${fullName}" is not a repository name of the form owner/name`);
  }
  return `${encodeURIComponent(m[1])}/${encodeURIComponent(m[2])}`;
}
