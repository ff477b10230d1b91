import { RegistryError } from './registry-error.js';

/**
 * Credentials for a registry: Basic on every request, and the token flow of Docker's "token authentication"
 * (Harbor, GHCR, GitLab's registry, Docker Hub): a 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`
 * is answered by asking the realm for a token (with the Basic credentials when given) and trying once more.
 * Tokens are kept per repository and action, and fetched anew when refused (they expire).
 */
export class RegistryAuth {
  private readonly basic: string | undefined;
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly base: URL,
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
    credentials: { username?: string; password?: string },
  ) {
    this.basic =
      credentials.username === undefined
        ? undefined
        : `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`;
  }

  /** The Authorization header for a request in `scopeKey` (e.g. `app:pull`). */
  header(scopeKey: string): string | undefined {
    const token = this.tokens.get(scopeKey);
    return token ? `Bearer ${token}` : this.basic;
  }

  /** After a 401: fetches a token if the registry asked for one. True when the request is worth retrying. */
  async answer(res: Response, scopeKey: string): Promise<boolean> {
    const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
    if (!challenge?.realm) return false;
    const realm = new URL(challenge.realm);
    if (realm.protocol !== 'https:' && realm.origin !== this.base.origin) {
      throw new RegistryError('auth', `the registry sent its credentials to a token service over plain http (${realm.origin})`);
    }
    if (challenge.service) realm.searchParams.set('service', challenge.service);
    if (challenge.scope) realm.searchParams.set('scope', challenge.scope);
    const tokenRes = await this.fetchFn(realm, {
      headers: this.basic ? { authorization: this.basic } : {},
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((err: unknown) => {
      throw new RegistryError('unavailable', `the registry's token service at ${realm.origin} did not answer`, undefined, {
        cause: err,
      });
    });
    if (!tokenRes.ok) {
      await tokenRes.body?.cancel();
      throw new RegistryError(
        'auth',
        `the registry's token service refused the credentials (${tokenRes.status})`,
        tokenRes.status,
      );
    }
    const body = (await tokenRes.json().catch(() => undefined)) as { token?: unknown; access_token?: unknown } | undefined;
    const token = body?.token ?? body?.access_token;
    if (typeof token !== 'string' || !token) throw new RegistryError('auth', "the registry's token service sent no token");
    this.tokens.set(scopeKey, token);
    return true;
  }
}

/** `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"` */
export function parseBearerChallenge(header: string | null): Record<string, string> | undefined {
  const m = header ? /^\s*Bearer\s+(.*)$/i.exec(header) : null;
  if (!m?.[1]) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[1].matchAll(/([a-zA-Z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    if (p[1]) params[p[1].toLowerCase()] = p[2] ?? p[3] ?? '';
  }
  return params;
}
