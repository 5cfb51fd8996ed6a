import { HttpException } from '@nestjs/common';
import { DomainError, ErrorCode, problem, ProblemDetails } from '@lianban/contracts';

/** Fastify's own errors (raised before a route runs) and what each means to a caller. */
const FASTIFY_ERRORS: Record<string, { status: number; code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: ErrorCode.MALFORMED_BODY, detail: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: ErrorCode.MALFORMED_BODY, detail: 'The body is empty but declared as JSON.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE, detail: 'The body is larger than this endpoint accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, detail: 'The body must be sent as application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: ErrorCode.MALFORMED_BODY, detail: 'The Content-Length header does not match the body.' },
};

const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.ROUTE_NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.TOO_MANY_REQUESTS,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Maps anything thrown while serving a request to the one error shape of the API. */
export function toProblem(error: unknown, fastifyCode?: string): ProblemDetails {
  if (error instanceof DomainError) return error.toProblem();
  // Nest turns Fastify's own 4xx errors (bad JSON, oversized body) into bare HttpExceptions;
  // the original code is remembered by an onError hook (see configure.ts).
  const code = fastifyCode ?? (error as FastifyLikeError)?.code;
  if (typeof code === 'string' && FASTIFY_ERRORS[code]) {
    const known = FASTIFY_ERRORS[code];
    return problem(known.status, known.code, known.detail);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    if (typeof body === 'object' && body && 'code' in body && 'detail' in body) {
      return problem(status, String(body.code), String(body.detail), body as Record<string, unknown>);
    }
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
    const code = HTTP_CODES[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.CONFLICT);
    const detail = Array.isArray(message) ? message.join('; ') : String(message);
    return problem(status, code, status === 404 ? 'No such endpoint.' : detail);
  }
  const e = error as FastifyLikeError;
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return problem(e.statusCode, HTTP_CODES[e.statusCode] ?? ErrorCode.VALIDATION_FAILED, e.message ?? 'The request was refused.');
  }
  return problem(500, ErrorCode.INTERNAL, 'Something went wrong on our side; it has been logged with the correlation id.');
}
