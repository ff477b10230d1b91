import { type Build, buildRoutes } from '@wharf/contracts';
import type { Account, TestApp } from './app.js';

const FINAL = ['succeeded', 'failed', 'cancelled'];

/** Polls a build until it ends (or the timeout); returns it. */
export async function buildSettled(t: TestApp, who: Account, app: string, build: string, timeoutMs = 180_000): Promise<Build> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.call<Build>(buildRoutes.get, { params: { tenant: who.tenant.id, app, build }, token: who.accessToken });
    if (res.status !== 200) throw new Error(`get build: ${res.status} ${JSON.stringify(res.body)}`);
    if (FINAL.includes(res.body.status)) return res.body;
    if (Date.now() > until) throw new Error(`build ${build} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The build's stored log, read through its SSE stream (which ends with the build). */
export async function buildLog(t: TestApp, who: Account, app: string, build: string): Promise<string> {
  const res = await fetch(`${t.url}/api/v1/tenants/${who.tenant.id}/apps/${app}/builds/${build}/logs`, {
    headers: { authorization: `Bearer ${who.accessToken}` },
  });
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((e) => e.includes('event: log'))
    .map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)).text as string)
    .join('');
}
