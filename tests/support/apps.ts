import http from 'node:http';
import { type App, appRoutes, type Deployment, deploymentRoutes } from '@wharf/contracts';
import type { Account, TestApp } from './app.js';

/** Factory: an app from an image in the account's own tenant; fails the test unless it is created. */
export async function createApp(
  t: TestApp,
  who: Account,
  body: Record<string, unknown>,
): Promise<{ app: App; deployment: Deployment | null }> {
  const res = await t.call(appRoutes.create, { params: { tenant: who.tenant.id }, token: who.accessToken, body });
  if (res.status !== 201) throw new Error(`create app failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Polls a deployment until it reaches a final status (or the timeout); returns it. */
export async function settled(
  t: TestApp,
  who: Account,
  app: string,
  deploymentId: string,
  timeoutMs = 90_000,
): Promise<Deployment> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.call<Deployment>(deploymentRoutes.get, {
      params: { tenant: who.tenant.id, app, deploymentId },
      token: who.accessToken,
    });
    if (res.status !== 200) throw new Error(`get deployment: ${res.status} ${JSON.stringify(res.body)}`);
    if (['live', 'failed', 'rolled_back', 'cancelled'].includes(res.body.status)) return res.body;
    if (Date.now() > until) throw new Error(`deployment ${deploymentId} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function deploy(t: TestApp, who: Account, app: string, body: Record<string, unknown> = {}): Promise<Deployment> {
  const res = await t.call<Deployment>(deploymentRoutes.create, {
    params: { tenant: who.tenant.id, app },
    token: who.accessToken,
    body,
  });
  if (res.status !== 202) throw new Error(`deploy failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface Fetched {
  status: number;
  body: string;
}

/**
 * GET through the edge proxy with a Host header (node:http: a Go server cancels proxying on a half-closed client).
 * The edge is this machine's unless `address` names another (a host's).
 */
export function viaProxy(
  proxyPort: number,
  host: string,
  path = '/',
  timeoutMs = 5_000,
  address = '127.0.0.1',
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port: proxyPort, path, headers: { host }, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Waits until the URL answers 200 with `body` (trimmed), or a body `body` matches when it is a pattern. */
export async function waitServing(
  proxyPort: number,
  host: string,
  body: string | RegExp,
  timeoutMs = 30_000,
  address = '127.0.0.1',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    const r = await viaProxy(proxyPort, host, '/', 5_000, address).catch((e: Error) => ({ status: 0, body: e.message }));
    if (r.status === 200 && (typeof body === 'string' ? r.body.trim() === body : body.test(r.body))) return;
    last = `${r.status} ${r.body.slice(0, 100)}`;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${host} never served ${body}; last: ${last}`);
}

/**
 * Requests the URL in a loop until `stop()`; counts answers other than 200 (and connection errors). The proof of a
 * zero-downtime rollout.
 */
export function hammer(proxyPort: number, host: string, address = '127.0.0.1') {
  let running = true;
  const bodies = new Map<string, number>();
  const failures: string[] = [];
  let total = 0;
  const loop = (async () => {
    while (running) {
      const r = await viaProxy(proxyPort, host, '/', 5_000, address).catch((e: Error) => ({ status: 0, body: e.message }));
      total++;
      if (r.status !== 200) failures.push(`${new Date().toISOString()} ${r.status} ${r.body.slice(0, 80)}`);
      else bodies.set(r.body.trim(), (bodies.get(r.body.trim()) ?? 0) + 1);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { total, failures, bodies };
    },
  };
}

export function hostOf(app: App): string {
  if (!app.url) throw new Error(`app ${app.name} has no URL`);
  return new URL(app.url).hostname;
}

/** A connect-only health check the busybox test image can run without a shell (busybox nc has no -z). */
export const tcpCheck = (port = 8080, intervalSeconds = 1) => ({
  type: 'command' as const,
  command: ['nc', '-w', '1', '127.0.0.1', String(port), '-e', 'true'],
  intervalSeconds,
});

/** Polls `check` until it holds. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Replica counts of the engine's services of one app (one entry per service). */
export async function engineReplicas(tenantId: string, app: string): Promise<number[]> {
  const { engine } = await import('./engine.js');
  const services = await engine().listServices({
    filters: JSON.stringify({ label: [`wharf.tenant=${tenantId}`, `wharf.app=${app}`] }),
  });
  return services.map((s) => s.Spec?.Mode?.Replicated?.Replicas ?? -1);
}

/** A deployment's log and status lines, in order (read from its events). */
export async function deploymentLog(t: TestApp, deploymentId: string): Promise<string[]> {
  const rows = await t.owner.query<{ message: string }>(
    'select message from deployment_events where deployment_id = $1 order by seq',
    [deploymentId],
  );
  return rows.rows.map((r) => r.message);
}
