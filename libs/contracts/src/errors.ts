import type { FieldError, ProblemType } from './problem.js';
import type { QuotaKey } from './quota.js';

/** A failure the user can act on. The API maps each to problem+json in one exception filter. */
export abstract class DomainError extends Error {
  abstract readonly kind: ProblemType;
  abstract readonly status: number;
  /** Extra members of the problem document. */
  extensions(): Record<string, unknown> {
    return {};
  }
}

export class ValidationError extends DomainError {
  readonly kind = 'validation';
  readonly status = 400;
  constructor(
    readonly errors: FieldError[],
    message = 'The request is not valid.',
  ) {
    super(message);
  }
  override extensions() {
    return { errors: this.errors };
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly status = 401;
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  readonly status = 403;
}

export class TenantSuspendedError extends DomainError {
  readonly kind = 'tenantSuspended';
  readonly status = 403;
  constructor(readonly reason: string | null) {
    super(`This tenant is suspended${reason ? `: ${reason}` : ''}. It can read but not change anything.`);
  }
  override extensions() {
    return { reason: this.reason };
  }
}

export class QuotaExceededError extends DomainError {
  readonly kind = 'quotaExceeded';
  readonly status = 403;
  constructor(
    readonly quota: QuotaKey,
    readonly limit: number,
    readonly used: number,
    readonly requested: number,
    /** Where in a submitted file the request comes from (a compose file's replicas and limits), when it has lines. */
    readonly errors: FieldError[] = [],
  ) {
    super(`Quota "${quota}" exceeded: ${used} used + ${requested} requested > limit ${limit}.`);
  }
  /** The same refusal, pointing at what asked for the quota. */
  at(errors: FieldError[]): QuotaExceededError {
    return new QuotaExceededError(this.quota, this.limit, this.used, this.requested, errors);
  }
  override extensions() {
    return {
      quota: this.quota,
      limit: this.limit,
      used: this.used,
      requested: this.requested,
      ...(this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'notFound';
  readonly status = 404;
  constructor(what = 'resource') {
    super(`No such ${what}.`);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly status = 409;
}

/**
 * A third party (a cloud provider) refused what the request gave to reach it: well-formed, but not working (wrong
 * key, a role that cannot be assumed, a permission missing). `reason` is the provider error's kind; `errors` point at
 * the fields concerned.
 */
export class VerificationFailedError extends DomainError {
  readonly kind = 'verificationFailed';
  readonly status = 422;
  constructor(
    message: string,
    readonly reason: string,
    readonly errors: FieldError[],
  ) {
    super(message);
  }
  override extensions() {
    return { reason: this.reason, errors: this.errors };
  }
}

/**
 * Well-formed, but naming something the request cannot use: a region or instance type the provider does not offer,
 * a cloud account of another provider. `errors` point at the fields concerned.
 */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
  readonly status = 422;
  constructor(
    readonly errors: FieldError[],
    message = 'The request names something that cannot be used.',
  ) {
    super(message);
  }
  override extensions() {
    return { errors: this.errors };
  }
}

export class RateLimitedError extends DomainError {
  readonly kind = 'rateLimited';
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${retryAfterSeconds} s.`);
  }
  override extensions() {
    return { retryAfter: this.retryAfterSeconds };
  }
}
