import type { TenantId, UserId } from '@wharf/db';

/** Who is calling: a user, through a session (JWT) or one of their API tokens (bound to one tenant). */
export interface Principal {
  userId: UserId;
  email: string;
  isPlatformAdmin: boolean;
  via: 'session' | 'api-token';
  /** Session family id (JWT `sid`). */
  sessionId?: string;
  /** The only tenant an API token may act in. */
  tokenTenantId?: TenantId;
}
