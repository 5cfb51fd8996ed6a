import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { readConfig } from '@lianban/platform';
import { GatewayModule } from './app.module';
import { configureGateway, createGatewayAdapter } from './http/configure';

async function main(): Promise<void> {
  const config = readConfig('gateway');
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), createGatewayAdapter(), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await configureGateway(app);
  await app.listen(config.port, config.host);
  app.get(Logger).log(`gateway listening on http://${config.host}:${config.port}/api/v1 (docs at /api/docs)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
