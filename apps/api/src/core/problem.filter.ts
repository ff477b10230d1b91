import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { DomainError, type Problem, type ProblemType, problemType } from '@wharf/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TITLES: Record<ProblemType, string> = {
  validation: 'Invalid input',
  malformedBody: 'Malformed request body',
  payloadTooLarge: 'Payload too large',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  quotaExceeded: 'Quota exceeded',
  tenantSuspended: 'Tenant suspended',
  notFound: 'Not found',
  conflict: 'Conflict',
  verificationFailed: 'Verification failed',
  unprocessable: 'Unprocessable request',
  rateLimited: 'Too many requests',
  unsupportedMediaType: 'Unsupported media type',
  internal: 'Internal error',
};

const BY_STATUS: Record<number, ProblemType> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'notFound',
  405: 'notFound',
  409: 'conflict',
  413: 'payloadTooLarge',
  415: 'unsupportedMediaType',
  429: 'rateLimited',
};

/** Fastify's own errors (body parsing, limits) by code. */
const FASTIFY_CODES: Record<string, ProblemType> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payloadTooLarge',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformedBody',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformedBody',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformedBody',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
  FST_ERR_CTP_INVALID_TYPE: 'unsupportedMediaType',
  FST_ERR_BAD_URL: 'validation',
  FST_ERR_MAX_PARAM_LENGTH: 'validation',
};

const DETAILS: Partial<Record<ProblemType, string>> = {
  malformedBody: 'The request body is not valid JSON.',
  validation: 'The request URL is malformed or too long.',
  payloadTooLarge: 'The request body is larger than this API accepts.',
  unsupportedMediaType: 'Send JSON with Content-Type: application/json.',
  internal: 'Something went wrong on our side. The request id identifies it in our logs.',
};

function problemOf(kind: ProblemType, status: number, detail: string | undefined, extra: Record<string, unknown> = {}): Problem {
  return { type: problemType(kind), title: TITLES[kind], status, ...(detail ? { detail } : {}), ...extra };
}

/** Maps anything thrown to an RFC 9457 problem document. Unknown errors are logged and answered 500 without detail. */
export function toProblem(err: unknown, log?: { error: (obj: object, msg: string) => void }): Problem {
  if (err instanceof DomainError) return problemOf(err.kind, err.status, err.message, err.extensions());
  // Nest wraps Fastify's own errors (body parsing, size limits) in an HttpException with the original as cause
  const fastifyError = err instanceof HttpException && err.cause ? err.cause : err;
  const code = (fastifyError as { code?: unknown })?.code;
  if (typeof code === 'string' && FASTIFY_CODES[code]) {
    const kind = FASTIFY_CODES[code];
    const status = (fastifyError as { statusCode?: number }).statusCode ?? 400;
    return problemOf(kind, status, DETAILS[kind]);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const kind = BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'validation');
    const detail =
      status === 401 ? 'Missing, invalid or expired credentials.' : status === 404 ? 'No such resource.' : err.message;
    return problemOf(kind, status, kind === 'internal' ? DETAILS.internal : detail);
  }
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const kind = BY_STATUS[status] ?? 'validation';
    return problemOf(kind, status, DETAILS[kind] ?? (err as Error).message);
  }
  log?.error({ err }, 'unhandled error');
  return problemOf('internal', 500, DETAILS.internal);
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Problem): void {
  if (problem.status === 429 && typeof problem.retryAfter === 'number') reply.header('retry-after', String(problem.retryAfter));
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
  void reply
    .status(problem.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...problem, instance: (request.url.split('?')[0] ?? '').slice(0, 200), requestId: String(request.id) });
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(http.getResponse<FastifyReply>(), request, toProblem(err, request.log));
  }
}
