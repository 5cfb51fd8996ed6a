import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Where the onError hook keeps the code of a Fastify error before Nest rewraps it. */
export const FASTIFY_ERROR_CODE = Symbol('fastifyErrorCode');

/**
 * Writes a problem-details response; used by the Nest filter and Fastify's error handler alike.
 * A refusal that says when to try again (`retryAfterSeconds`, e.g. a rate limit's 429) says it in
 * the standard Retry-After header too, for clients that back off by it.
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const original = (request as unknown as Record<symbol, string | undefined>)[FASTIFY_ERROR_CODE];
  const body = { ...toProblem(error, original), instance: request.url.split('?')[0], correlationId: String(request.id) };
  if (body.status >= 500) logger.error({ err: error, correlationId: request.id }, body.detail);
  const { retryAfterSeconds } = body as { retryAfterSeconds?: unknown };
  if (typeof retryAfterSeconds === 'number') void reply.header('retry-after', String(retryAfterSeconds));
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}
