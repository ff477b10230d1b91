import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RouteContract, SignupResult } from '@wharf/contracts';
import pg from 'pg';
import { createApp } from '../../apps/api/src/app.js';
import type { ProviderFactory } from '../../apps/api/src/clouds/provider-factory.js';
import type { Config } from '../../apps/api/src/config.js';
import { offlineProviderFactory } from './clouds.js';
import { testConfig } from './config.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  /** Raw payload instead of JSON-encoding `body`. */
  payload?: string | Buffer;
  token?: string;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/** `/a/{b}` with `{ b: 'x' }` → `/a/x` (values URL-encoded, so hostile ones stay inside their segment). */
export function pathOf(route: RouteContract, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.id}: missing param ${name}`);
    return encodeURIComponent(value);
  });
}

export interface TestApp {
  app: NestFastifyApplication;
  /** Where the app listens, when started with `listen: true` (agents dial it). */
  url: string;
  db: TestDatabase;
  /** A pool as the owner role, for assertions that must see every row (bypasses RLS). */
  owner: pg.Pool;
  // biome-ignore lint/suspicious/noExplicitAny: responses are asserted structurally by each test
  call<T = any>(route: RouteContract, options?: CallOptions): Promise<CallResult<T>>;
  close(): Promise<void>;
}

/**
 * The real API in-process (Fastify inject), on its own fresh database (or a shared one, to play several API
 * replicas) and the real Redis. Cloud accounts are verified by `providerFactory` (default: offline adapters that
 * accept any well-formed credential; no test reaches a real cloud).
 */
export async function startTestApp(
  overrides: Partial<Record<keyof Config, string>> = {},
  options: { database?: TestDatabase; listen?: boolean; providerFactory?: ProviderFactory } = {},
): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const app = await createApp(testConfig(db.appUrl, overrides), {
    providerFactory: options.providerFactory ?? offlineProviderFactory(),
  });
  let url = '';
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  } else {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }
  const owner = new pg.Pool({ connectionString: db.ownerUrl, max: 2 });
  return {
    app,
    url,
    db,
    owner,
    async call(route, options = {}) {
      const query = Object.fromEntries(Object.entries(options.query ?? {}).map(([k, v]) => [k, String(v)]));
      const hasBody = options.payload !== undefined || options.body !== undefined;
      const res = await app.inject({
        method: route.method,
        url: pathOf(route, options.params),
        query,
        ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
        headers: {
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        ...(hasBody ? { payload: options.payload ?? JSON.stringify(options.body) } : {}),
      });
      const type = String(res.headers['content-type'] ?? '');
      const body = type.includes('json') && res.body ? JSON.parse(res.body) : res.body;
      return { status: res.statusCode, body, headers: res.headers };
    },
    async close() {
      await app.close();
      await owner.end();
      // a database handed in belongs to whoever created it
      if (!options.database) await db.drop();
    },
  };
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomBytes(5).toString('hex')}@example.test`;
}

export const PASSWORD = 'correct horse battery staple';

export type Account = SignupResult & { email: string; password: string };

/** Factory: a new account with its personal tenant. */
export async function signup(t: TestApp, name = 'Test User', email = uniqueEmail()): Promise<Account> {
  const { authRoutes } = await import('@wharf/contracts');
  const res = await t.call<SignupResult>(authRoutes.signup, { body: { email, password: PASSWORD, name } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, email, password: PASSWORD };
}
