import type { FieldError, Problem } from '@wharf/contracts';

/** The last segment of a problem `type` URI (`…/quota-exceeded` → `quota-exceeded`); clients branch on it. */
export function problemKind(problem: Problem): string {
  const type = problem.type;
  return type.slice(type.lastIndexOf('/') + 1);
}

/** The problem the client makes up when the session cannot be refreshed (the user must sign in again). */
export const SESSION_PROBLEM = 'about:blank#session';

export interface QuotaDetails {
  limit: number;
  used: number;
  requested: number | undefined;
  quota: string | undefined;
}

/** How a field error reads in the page's language (set with the language: `I18nProvider`); as the API wrote it before. */
let wordFieldError: (error: FieldError) => string = (error) => error.message;

export function setFieldErrorWording(word: (error: FieldError) => string): void {
  wordFieldError = word;
}

/** An API call that failed: carries the RFC 9457 body the API sent (or one made up for network failures). */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get kind(): string {
    return problemKind(this.problem);
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }

  /** Messages of the field errors at `path` (`body.email`) or below it, in the page's language where known. */
  fieldMessages(path: string): string[] {
    return this.fieldErrors
      .filter((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`))
      .map((e) => wordFieldError(e));
  }

  /** `limit`, `used`, `requested` of a quota-exceeded problem. */
  get quota(): QuotaDetails | undefined {
    if (this.kind !== 'quota-exceeded') return undefined;
    const { limit, used, requested, quota } = this.problem;
    if (typeof limit !== 'number' || typeof used !== 'number') return undefined;
    return {
      limit,
      used,
      requested: typeof requested === 'number' ? requested : undefined,
      quota: typeof quota === 'string' ? quota : undefined,
    };
  }

  static network(cause: unknown): ApiError {
    const detail = cause instanceof Error ? cause.message : undefined;
    return new ApiError({ type: 'about:blank#network', title: 'Network error', status: 0, ...(detail ? { detail } : {}) });
  }

  /** Any thrown value as an ApiError (callers check `isAbort` first: an abort is not a failure). */
  static from(cause: unknown): ApiError {
    if (cause instanceof ApiError) return cause;
    return ApiError.network(cause);
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' && typeof v.status === 'number';
}

/** Builds the error of a non-2xx response, whatever its body. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined; // not JSON (a proxy's HTML error page): fall through to a generic problem
  }
  if (isProblem(body)) {
    return new ApiError({ ...body, type: typeof body.type === 'string' ? body.type : 'about:blank' });
  }
  return new ApiError({
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  });
}
