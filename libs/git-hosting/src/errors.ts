import { type GitProvider, PROVIDER_NAMES } from './types.js';

/**
 * What went wrong talking to a hosting service:
 * - `auth`: the token was refused (401, or 403 without rate-limit signs): expired, revoked or missing a scope;
 * - `not_found`: the repository does not exist or the token cannot see it;
 * - `rate_limited`: 429, or 403 with the provider's rate-limit headers; `retryAfterSeconds` when it said;
 * - `unavailable`: 5xx, a network error or a timeout; worth retrying later;
 * - `invalid`: an answer we cannot use (malformed body, unexpected status, a paging loop or too many pages).
 */
export type HostingErrorKind = 'auth' | 'not_found' | 'rate_limited' | 'unavailable' | 'invalid';

export class HostingError extends Error {
  override readonly name = 'HostingError';

  constructor(
    readonly kind: HostingErrorKind,
    readonly provider: GitProvider,
    /** User-readable; never carries the token. */
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get providerName(): string {
    return PROVIDER_NAMES[this.provider];
  }
}
