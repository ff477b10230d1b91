import type { Session } from '@wharf/contracts';

/**
 * The access token lives in sessionStorage (one per tab); the refresh token only in the httpOnly
 * `wharf_refresh` cookie the API sets. Refresh tokens rotate and reusing a rotated one revokes the
 * whole family, so refreshes are serialised across tabs with a Web Lock.
 */
const STORAGE_KEY = 'wharf.access';
const LOCK_NAME = 'wharf-refresh';
const REFRESH_PATH = '/api/v1/auth/refresh';
/** Refresh this long before the access token expires, to absorb clock skew and request latency. */
const EXPIRY_MARGIN_MS = 30_000;

export interface AccessToken {
  token: string;
  expiresAt: string;
}

function storage(): Storage | undefined {
  return typeof window === 'undefined' ? undefined : window.sessionStorage;
}

export function readAccess(): AccessToken | undefined {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<AccessToken>;
    if (typeof value.token === 'string' && typeof value.expiresAt === 'string') {
      return { token: value.token, expiresAt: value.expiresAt };
    }
  } catch {
    // corrupt entry: treated as no token, and overwritten by the next sign-in or refresh
  }
  return undefined;
}

export function storeSession(session: Pick<Session, 'accessToken' | 'accessTokenExpiresAt'>): AccessToken {
  const access = { token: session.accessToken, expiresAt: session.accessTokenExpiresAt };
  storage()?.setItem(STORAGE_KEY, JSON.stringify(access));
  return access;
}

export function clearAccess(): void {
  storage()?.removeItem(STORAGE_KEY);
}

export function isFresh(access: AccessToken): boolean {
  return Date.parse(access.expiresAt) - EXPIRY_MARGIN_MS > Date.now();
}

let inTab: Promise<AccessToken | undefined> | undefined;

async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // Web Locks exist only in secure contexts (HTTPS, localhost); elsewhere the in-tab de-duplication below remains.
  if (!locks) return work();
  return locks.request(LOCK_NAME, work);
}

async function callRefresh(): Promise<AccessToken | undefined> {
  const response = await fetch(REFRESH_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  });
  if (!response.ok) {
    clearAccess();
    return undefined;
  }
  return storeSession((await response.json()) as Session);
}

/**
 * A usable access token, refreshing through the cookie when `stale` (the token a request was refused
 * with) is still the stored one or nothing fresh is stored. Resolves `undefined` when the session is gone.
 */
export function refreshAccess(stale?: string): Promise<AccessToken | undefined> {
  inTab ??= withRefreshLock(async () => {
    const current = readAccess();
    // Another request (or tab, via the lock) may have refreshed while we waited.
    if (current && isFresh(current) && current.token !== stale) return current;
    return callRefresh();
  }).finally(() => {
    inTab = undefined;
  });
  return inTab;
}

/** The stored token if fresh, otherwise a refreshed one. */
export async function currentAccess(): Promise<AccessToken | undefined> {
  const stored = readAccess();
  if (stored && isFresh(stored)) return stored;
  return refreshAccess(stored?.token);
}
