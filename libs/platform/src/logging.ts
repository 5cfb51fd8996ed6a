import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { CORRELATION_HTTP_HEADER } from '@lianban/contracts';
import { currentContext } from '@lianban/messaging';
import type { ServiceConfig } from './config';

/** Paths never written to logs: secrets and personal data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.temporaryPassword',
  '*.idNumber',
  '*.reporter',
  '*.token',
  '*.refreshToken',
];

/** Reuses the caller's correlation id when it looks like one, otherwise makes a new one. */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers[CORRELATION_HTTP_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value && /^[A-Za-z0-9._:-]{8,128}$/.test(value) ? value : randomUUID();
}

/** pino JSON logs; every line carries the correlation id of the request or message it belongs to. */
export function loggingModule(config: ServiceConfig) {
  return LoggerModule.forRoot({
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      base: { service: config.serviceName },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? correlationIdOf(req),
      customAttributeKeys: { reqId: 'correlationId' },
      mixin: () => {
        const ctx = currentContext();
        return ctx ? { correlationId: ctx.correlationId } : {};
      },
      // Under Nest's middleware the path is in originalUrl; health probes are not logged.
      autoLogging: { ignore: (req) => ((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '').includes('/health') },
      quietReqLogger: true,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.replace(/access_token=[^&]*/g, 'access_token=[redacted]') }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
