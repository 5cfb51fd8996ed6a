import helmet from '@fastify/helmet';
import { ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CORRELATION_HTTP_HEADER, DomainError, toFieldErrors, VALIDATION_OPTIONS } from '@lianban/contracts';
import { correlationIdOf } from '@lianban/platform';
import { serveWebConsole } from '../web/web-console';
import { TextPipe } from './text.pipe';
import { UPLOAD_ROUTES } from './files';
import { FASTIFY_ERROR_CODE, ProblemDetailsFilter } from './problem.filter';

export const API_PREFIX = 'api/v1';
/** Routes that take a CSV file as their body (text/csv) besides JSON. */
const CSV_ROUTES = ['/invoices/verifications/batch'];
/** Whether the request is for one of `routes` (as the route is written, after the API prefix). */
function routeIn(request: FastifyRequest, routes: string[]): boolean {
  const url = request.routeOptions?.url;
  return !!url && routes.some((route) => url.endsWith(route));
}

/** The refusal of a body in a media type the route does not take: Fastify's own code, which problem.ts says as 415 UNSUPPORTED_MEDIA_TYPE. */
function notJson(): Error {
  return Object.assign(new Error('The body must be sent as application/json.'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
}

/** Largest JSON body the API accepts: well under NATS's 1 MiB message limit, headers included. */
export const BODY_LIMIT_BYTES = 512 * 1024;

export function createGatewayAdapter(bodyLimit = BODY_LIMIT_BYTES): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit, genReqId: correlationIdOf, trustProxy: true });
}

/**
 * The HTTP edge of the platform, the same in production and in tests: every route under
 * /api/v1, security headers, strict validation, one problem-details shape for every failure,
 * correlation ids in and out, OpenAPI at /api/docs.
 */
export async function configureGateway(app: NestFastifyApplication): Promise<void> {
  app.setGlobalPrefix(API_PREFIX);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  app.useGlobalPipes(
    new TextPipe(),
    new ValidationPipe({
      ...VALIDATION_OPTIONS,
      transform: true,
      exceptionFactory: (errors) => DomainError.validation(toFieldErrors(errors)),
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());

  const fastify = app.getHttpAdapter().getInstance();
  // Uploads (evidence, invoice import files): the raw bytes reach the handler as a stream and go
  // straight to the blob store, never buffered whole nor sent over NATS (docs/cases.md, "Evidence
  // storage"). Every other route keeps refusing anything but JSON with 415.
  fastify.addContentTypeParser('application/octet-stream', (request, payload, done) => {
    if (routeIn(request, UPLOAD_ROUTES)) return done(null, payload);
    done(notJson(), undefined);
  });
  // Batch verification also takes a CSV file as the body itself (text/csv), as other systems export
  // one: read as UTF-8 text up to the body limit. Every other route refuses it with 415.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (request, body, done) => {
    if (!routeIn(request, CSV_ROUTES)) return done(notJson(), undefined);
    const charset = /;\s*charset="?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') return done(Object.assign(new Error(`A CSV body must be UTF-8, not ${charset}: save the file as "CSV UTF-8" and send it with Content-Type: text/csv; charset=utf-8.`), { statusCode: 415 }), undefined);
    done(null, body);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_HTTP_HEADER, String(request.id));
  });
  // The web console at `/` (apps/web, built), the API under /api/v1.
  await serveWebConsole(fastify);
  fastify.addHook('onError', async (request, _reply, error) => {
    (request as unknown as Record<symbol, unknown>)[FASTIFY_ERROR_CODE] = (error as { code?: string }).code;
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Lianban API (联办)')
      .setDescription('Joint case platform of the agencies fighting medical-insurance fund fraud. Every error is RFC 9457 problem details with a stable `code`.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
