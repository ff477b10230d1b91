/** What went wrong at a provider, in words a user can act on; adapters map their SDK's errors onto these kinds. */
export type ProviderErrorKind =
  | 'auth' // the credentials are wrong, expired, or the role cannot be assumed
  | 'permission' // the credentials work but lack a permission the action needs
  | 'capacity' // the provider has no capacity for that type in that zone now
  | 'limit' // an account quota or limit (instances, vCPUs) is reached
  | 'invalid' // a parameter the provider refused (unknown region, type, image)
  | 'not-found'
  | 'throttled' // too many requests: retry later
  | 'unavailable' // the provider's API is down or unreachable: retry later
  | 'failed';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    readonly kind: ProviderErrorKind,
    /** Safe to show the user: what is wrong and what to do. */
    message: string,
    /** The provider's own code (`InsufficientInstanceCapacity`, `Forbidden.RAM`), for logs and support. */
    readonly code?: string,
  ) {
    super(message);
  }

  /** Worth trying again later without a change from the user. */
  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'unavailable' || this.kind === 'capacity';
  }
}
