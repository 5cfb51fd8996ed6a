import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Writes a problem-details response; used by the Nest filter and Fastify's error handler alike. */
/** Where the onError hook keeps the code of a Fastify error before Nest rewraps it. */
export const FASTIFY_ERROR_CODE = Symbol('fastifyErrorCode');

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const original = (request as unknown as Record<symbol, string | undefined>)[FASTIFY_ERROR_CODE];
  const body = { ...toProblem(error, original), instance: request.url.split('?')[0], correlationId: String(request.id) };
  if (body.status >= 500) logger.error({ err: error, correlationId: request.id }, body.detail);
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
