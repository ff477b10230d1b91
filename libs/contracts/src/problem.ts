/** RFC 9457 problem types. The `type` URI is stable API: clients branch on its last segment. */
export const PROBLEM_BASE = 'https://wharf.dev/problems/';

export const PROBLEM_TYPES = {
  validation: 'validation',
  malformedBody: 'malformed-body',
  payloadTooLarge: 'payload-too-large',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  quotaExceeded: 'quota-exceeded',
  tenantSuspended: 'tenant-suspended',
  notFound: 'not-found',
  conflict: 'conflict',
  verificationFailed: 'verification-failed',
  unprocessable: 'unprocessable',
  rateLimited: 'rate-limited',
  unsupportedMediaType: 'unsupported-media-type',
  internal: 'internal',
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

export interface FieldError {
  /** JSON pointer-ish dotted path, e.g. `body.email`. */
  path: string;
  message: string;
  code: string;
  /** Where in a submitted file (a compose file), 1-based. */
  line?: number;
  column?: number;
  /** The policy rule that refused it. */
  rule?: string;
  /** What a client needs to word the error itself: `minimum`/`maximum` and `origin` (`string`, `number`, `array`). */
  params?: Record<string, string | number>;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemType(kind: ProblemType): string {
  return PROBLEM_BASE + PROBLEM_TYPES[kind];
}
