import { authRoutes, invitationRoutes, memberRoutes } from '@wharf/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, onAuthLost } from './client';
import { ApiError } from './problem';
import { readAccess, storeSession } from './session-store';

class MemoryStorage {
  private readonly values = new Map<string, string>();
  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.values.set(key, value);
  }
  removeItem(key: string): void {
    this.values.delete(key);
  }
}

interface Call {
  url: string;
  method: string;
  authorization: string | undefined;
  body: string | undefined;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

function session(token: string) {
  return {
    user: {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'a@example.com',
      name: 'A',
      isPlatformAdmin: false,
      createdAt: inAnHour(),
    },
    accessToken: token,
    accessTokenExpiresAt: inAnHour(),
    refreshToken: 'r'.repeat(40),
    refreshTokenExpiresAt: inAnHour(),
  };
}

const me = { user: session('x').user, tenants: [] };
const unauthenticated = { type: 'https://wharf.dev/problems/unauthenticated', title: 'Unauthenticated', status: 401 };

describe('api()', () => {
  let calls: Call[];
  let respond: (call: Call) => Response | Promise<Response>;

  beforeEach(() => {
    calls = [];
    vi.stubGlobal('window', { sessionStorage: new MemoryStorage() });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        const headers = (init.headers ?? {}) as Record<string, string>;
        const call = {
          url,
          method: init.method ?? 'GET',
          authorization: headers.authorization,
          body: init.body as string | undefined,
        };
        calls.push(call);
        return respond(call);
      }),
    );
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('fills the path and query and sends the stored access token', async () => {
    storeSession({ accessToken: 'good', accessTokenExpiresAt: inAnHour() });
    respond = () => json(200, { items: [], nextCursor: null });

    const page = await api(memberRoutes.list, { params: { tenant: 'acme' }, query: { cursor: 'abc' } });

    expect(page).toEqual({ items: [], nextCursor: null });
    expect(calls).toEqual([
      { url: '/api/v1/tenants/acme/members?cursor=abc', method: 'GET', authorization: 'Bearer good', body: undefined },
    ]);
  });

  it('sends public routes without a token, and a JSON body', async () => {
    respond = () => json(200, session('fresh'));
    await api(authRoutes.login, { body: { email: 'a@example.com', password: 'pw' } });
    expect(calls[0]?.authorization).toBeUndefined();
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({ email: 'a@example.com', password: 'pw' });
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    storeSession({ accessToken: 'stale', accessTokenExpiresAt: inAnHour() });
    respond = (call) => {
      if (call.url === '/api/v1/auth/refresh') return json(200, session('renewed'));
      return call.authorization === 'Bearer renewed' ? json(200, me) : json(401, unauthenticated, 'application/problem+json');
    };

    await expect(api(authRoutes.me, {})).resolves.toEqual(me);

    expect(calls.map((c) => `${c.method} ${c.url} ${c.authorization ?? '-'}`)).toEqual([
      'GET /api/v1/me Bearer stale',
      'POST /api/v1/auth/refresh -',
      'GET /api/v1/me Bearer renewed',
    ]);
    expect(calls[1]?.body).toBe('{}');
    expect(readAccess()?.token).toBe('renewed');
  });

  it('refreshes only once for concurrent 401s', async () => {
    storeSession({ accessToken: 'stale', accessTokenExpiresAt: inAnHour() });
    respond = async (call) => {
      if (call.url === '/api/v1/auth/refresh') {
        await new Promise((r) => setTimeout(r, 10));
        return json(200, session('renewed'));
      }
      return call.authorization === 'Bearer renewed' ? json(200, me) : json(401, unauthenticated);
    };

    await Promise.all([api(authRoutes.me, {}), api(authRoutes.me, {}), api(authRoutes.me, {})]);

    expect(calls.filter((c) => c.url === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('refreshes an expired token before the call, under the cross-tab lock', async () => {
    const lock = vi.fn((_name: string, work: () => Promise<unknown>) => work());
    vi.stubGlobal('navigator', { locks: { request: lock } });
    storeSession({ accessToken: 'old', accessTokenExpiresAt: new Date(Date.now() - 1000).toISOString() });
    respond = (call) => (call.url === '/api/v1/auth/refresh' ? json(200, session('renewed')) : json(200, me));

    await api(authRoutes.me, {});

    expect(lock).toHaveBeenCalledWith('wharf-refresh', expect.any(Function));
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh', '/api/v1/me']);
    expect(calls[1]?.authorization).toBe('Bearer renewed');
  });

  it('reports a lost session when the refresh is refused', async () => {
    storeSession({ accessToken: 'stale', accessTokenExpiresAt: inAnHour() });
    respond = () => json(401, unauthenticated);
    const lost = vi.fn();
    const unsubscribe = onAuthLost(lost);

    const error = await api(authRoutes.me, {}).catch((e: unknown) => e);

    unsubscribe();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(lost).toHaveBeenCalledOnce();
    expect(readAccess()).toBeUndefined();
  });

  it('throws the problem+json of a refusal, with field errors and quota figures', async () => {
    storeSession({ accessToken: 'good', accessTokenExpiresAt: inAnHour() });
    respond = () =>
      json(
        403,
        {
          type: 'https://wharf.dev/problems/quota-exceeded',
          title: 'Quota exceeded',
          status: 403,
          detail: 'The team has no seat left.',
          limit: 3,
          used: 3,
          requested: 1,
          errors: [{ path: 'body.email', message: 'already invited', code: 'conflict' }],
        },
        'application/problem+json',
      );

    const error = (await api(invitationRoutes.accept, { body: { token: 't'.repeat(30) } }).catch((e: unknown) => e)) as ApiError;

    expect(error.kind).toBe('quota-exceeded');
    expect(error.message).toBe('The team has no seat left.');
    expect(error.quota).toEqual({ limit: 3, used: 3, requested: 1, quota: undefined });
    expect(error.fieldMessages('body.email')).toEqual(['already invited']);
    expect(error.fieldMessages('body.role')).toEqual([]);
  });

  it('turns a non-JSON failure and a network failure into problems', async () => {
    respond = () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    const gateway = (await api(authRoutes.login, { body: { email: 'a@example.com', password: 'pw' } }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(gateway.status).toBe(502);
    expect(gateway.problem.title).toBe('Bad Gateway');

    respond = () => Promise.reject(new TypeError('fetch failed'));
    const offline = (await api(authRoutes.login, { body: { email: 'a@example.com', password: 'pw' } }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(offline.status).toBe(0);
  });

  it('returns undefined for 204 responses', async () => {
    storeSession({ accessToken: 'good', accessTokenExpiresAt: inAnHour() });
    respond = () => new Response(null, { status: 204 });
    await expect(
      api(memberRoutes.remove, { params: { tenant: 'acme', userId: '00000000-0000-4000-8000-000000000002' } }),
    ).resolves.toBeUndefined();
    expect(calls[0]?.method).toBe('DELETE');
  });
});
