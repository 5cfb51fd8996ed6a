import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ServiceName } from '@lianban/contracts';
import { createServiceApp, ServiceConfig } from '@lianban/platform';
import { TestIsolation } from '@lianban/testing';
import { AppModule as AgenciesModule } from '../../agencies/src/app.module';
import { AppModule as CasesModule } from '../../cases/src/app.module';
import { AppModule as ClueTransferModule } from '../../clue-transfer/src/app.module';
import { AppModule as InvoicesModule } from '../../invoices/src/app.module';
import { AppModule as NotificationsModule } from '../../notifications/src/app.module';
import { GatewayModule } from '../src/app.module';
import { configureGateway, createGatewayAdapter } from '../src/http/configure';

type ServiceOptions = { clockTickMs?: number; maxDeliver?: number; ackWaitMs?: number; channelTickMs?: number; channelBackoffMs?: number };
type ServiceModule = { forRoot(config: ServiceConfig, options?: ServiceOptions): unknown };

const MODULES: Record<ServiceName, ServiceModule> = {
  agencies: AgenciesModule,
  'clue-transfer': ClueTransferModule,
  cases: CasesModule,
  notifications: NotificationsModule,
  invoices: InvoicesModule,
};

export interface RunningPlatform {
  /** Base URL of the gateway, e.g. http://127.0.0.1:40123 */
  url: string;
  gateway: NestFastifyApplication;
  services: Map<ServiceName, INestApplication>;
  stopService(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole platform in one test process, in the suite's own schemas and subjects: every
 * service as in production, and the gateway configured exactly as main.ts does it.
 * `wrapGateway` lets a suite mount extra test-only controllers beside the real ones.
 */
export interface PlatformOptions {
  wrapGateway?: (gateway: unknown) => Type<unknown>;
  /** Configuration every process gets on top of the suite's own (e.g. a short token lifetime). */
  config?: Partial<ServiceConfig>;
  /** How often clue-transfer looks for due clocks (long by default: suites drive clocks themselves). */
  clockTickMs?: number;
  /** How often notifications retries an event before dead-lettering it, and how long it waits for an ack. */
  maxDeliver?: number;
  ackWaitMs?: number;
  /** How often outbound channels (webhooks, email) send and how long the first retry waits. */
  channelTickMs?: number;
  channelBackoffMs?: number;
}

export async function startPlatform(iso: TestIsolation, { wrapGateway, config = {}, clockTickMs = 3_600_000, maxDeliver, ackWaitMs, channelTickMs, channelBackoffMs }: PlatformOptions = {}): Promise<RunningPlatform> {
  const services = new Map<ServiceName, INestApplication>();
  await Promise.all(
    (Object.keys(MODULES) as ServiceName[]).map(async (name) => {
      const app = await createServiceApp(MODULES[name].forRoot(iso.config(name, config), { clockTickMs, maxDeliver, ackWaitMs, channelTickMs, channelBackoffMs }));
      await app.listen(0, '127.0.0.1');
      services.set(name, app);
    }),
  );
  const gatewayModule = GatewayModule.forRoot(iso.config('gateway', config));
  const root = wrapGateway ? wrapGateway(gatewayModule) : gatewayModule;
  const gateway = await NestFactory.create<NestFastifyApplication>(root as never, createGatewayAdapter(), { bufferLogs: true });
  gateway.useLogger(gateway.get(Logger));
  await configureGateway(gateway);
  await gateway.listen(0, '127.0.0.1');
  const address = gateway.getHttpServer().address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    gateway,
    services,
    async stopService(name) {
      await services.get(name)?.close();
      services.delete(name);
    },
    async stop() {
      await gateway.close();
      await Promise.all([...services.values()].map((s) => s.close()));
    },
  };
}
