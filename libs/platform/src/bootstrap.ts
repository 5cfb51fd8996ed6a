import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { ServiceConfig } from './config';

/**
 * A service's Nest application. A failure while its modules start (e.g. NATS refusing the
 * credentials) ends the process, as Nest does by default; `abortOnError: false` throws it instead,
 * for tests that expect a service not to start.
 */
export async function createServiceApp(module: unknown, options: { abortOnError?: boolean } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module as never, new FastifyAdapter(), { bufferLogs: true, abortOnError: options.abortOnError ?? true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

/** Starts a back-end service: NATS handlers plus an HTTP port that only serves its health. */
export async function bootstrapService(module: unknown, config: ServiceConfig): Promise<INestApplication> {
  const app = await createServiceApp(module);
  await app.listen(config.port, config.host);
  app.get(Logger).log(`${config.serviceName} ready (schema ${config.schema}, health on http://${config.host}:${config.port}/health/ready)`);
  return app;
}
