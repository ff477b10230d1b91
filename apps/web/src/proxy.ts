import { type NextRequest, NextResponse } from 'next/server';

const DEFAULT_API_URL = 'http://127.0.0.1:4000';

/**
 * Same-origin access to the public API: `/api/*` is proxied to `${API_URL}/api/*`, so the refresh
 * cookie (path `/api/v1/auth`) and every call stay first-party.
 *
 * This lives here rather than in `next.config` `rewrites()` on purpose: Next compiles rewrites into
 * `.next/routes-manifest.json` at build time, so an `API_URL` given to `next start` would be ignored
 * (checked with next 16.4: a build without `API_URL` proxies to the default whatever `next start`
 * is given). The proxy runs on the Node.js runtime per request and reads the variable at run time.
 */
export function proxy(request: NextRequest): NextResponse {
  const target = new URL(request.nextUrl.pathname + request.nextUrl.search, process.env.API_URL ?? DEFAULT_API_URL);
  return NextResponse.rewrite(target);
}

export const config = { matcher: '/api/:path*' };
