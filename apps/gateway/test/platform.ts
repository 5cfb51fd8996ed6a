import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ServiceName } from '@lianban/contracts';
import { openDataSource } from '@lianban/persistence';
import { createServiceApp, ServiceConfig } from '@lianban/platform';
import { TestIsolation } from '@lianban/testing';
import { AppModule as AgenciesModule } from '../../agencies/src/app.module';
import { loadDemo } from '../../agencies/src/demo/load-demo';
import { migrations as agencyMigrations } from '../../agencies/src/migrations';
import { AppModule as CasesModule } from '../../cases/src/app.module';
import { AppModule as ClueTransferModule } from '../../clue-transfer/src/app.module';
import { AppModule as InvoicesModule } from '../../invoices/src/app.module';
import { AppModule as NotificationsModule } from '../../notifications/src/app.module';
import { GatewayModule } from '../src/app.module';
import { configureGateway, createGatewayAdapter } from '../src/http/configure';
import { apiClient } from './api';

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
  /** Configuration of one process on top of that (e.g. its own NATS user). */
  configFor?: (process: ServiceName | 'gateway') => Partial<ServiceConfig>;
  /** How often clue-transfer looks for due clocks (long by default: suites drive clocks themselves). */
  clockTickMs?: number;
  /** How often notifications retries an event that fails other than transiently before dead-lettering it (an outage is retried until it ends), and how long it waits for an ack. */
  maxDeliver?: number;
  ackWaitMs?: number;
  /** How often outbound channels (webhooks, email) send and how long the first retry waits. */
  channelTickMs?: number;
  channelBackoffMs?: number;
}

export async function startPlatform(iso: TestIsolation, { wrapGateway, config = {}, configFor = () => ({}), clockTickMs = 3_600_000, maxDeliver, ackWaitMs, channelTickMs, channelBackoffMs }: PlatformOptions = {}): Promise<RunningPlatform> {
  const services = new Map<ServiceName, INestApplication>();
  await Promise.all(
    (Object.keys(MODULES) as ServiceName[]).map(async (name) => {
      const app = await createServiceApp(MODULES[name].forRoot(iso.config(name, { ...config, ...configFor(name) }), { clockTickMs, maxDeliver, ackWaitMs, channelTickMs, channelBackoffMs }));
      await app.listen(0, '127.0.0.1');
      services.set(name, app);
    }),
  );
  const gatewayModule = GatewayModule.forRoot(iso.config('gateway', { ...config, ...configFor('gateway') }));
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

export interface DemoPlatform extends RunningPlatform {
  /** The agencies service's schema, to look things up and to check what was written. */
  agencies: DataSource;
  api: ReturnType<typeof apiClient>;
  /** Ids of the demo agencies by name and of the demo accounts by username. */
  ids: Record<string, string>;
  /** An access token of a demo account; each account signs in once. */
  as(username: string): Promise<string>;
}

/** The platform with the demo data set loaded: what most end-to-end suites start from. */
export async function startDemoPlatform(iso: TestIsolation, options: PlatformOptions = {}): Promise<DemoPlatform> {
  const platform = await startPlatform(iso, options);
  const agencies = await openDataSource({ url: iso.databaseUrl, schema: iso.schema('agencies'), entities: [], migrations: agencyMigrations });
  await loadDemo(agencies);
  const ids: Record<string, string> = {};
  for (const row of await agencies.query(`SELECT id, name FROM agency UNION ALL SELECT id, username FROM account`)) ids[row.name] = row.id;
  const api = apiClient(platform.url);
  const tokens = new Map<string, Promise<string>>();
  return {
    ...platform,
    agencies,
    api,
    ids,
    as(username) {
      if (!tokens.has(username)) tokens.set(username, api.tokenOf(username));
      return tokens.get(username)!;
    },
    async stop() {
      await agencies.destroy();
      await platform.stop();
    },
  };
}

/**
 * The demo platform for one suite: started before its tests, stopped (and the suite's schemas and
 * streams dropped) after them. `call`, `login` and `tokenOf` reach the gateway of the running
 * platform; `platform` and `db` (the agencies schema) are there once it has started.
 */
export function demoPlatformForSuite(options: PlatformOptions = {}) {
  const iso = new TestIsolation();
  let running: DemoPlatform | undefined;
  beforeAll(async () => {
    running = await startDemoPlatform(iso, options);
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    await iso.cleanup();
  });
  const started = (): DemoPlatform => {
    if (!running) throw new Error('the demo platform is not running: use it inside a test');
    return running;
  };
  type Api = ReturnType<typeof apiClient>;
  return {
    iso,
    get platform() {
      return started();
    },
    get db(): DataSource {
      return started().agencies;
    },
    call: ((...args) => started().api.call(...args)) as Api['call'],
    login: ((...args) => started().api.login(...args)) as Api['login'],
    tokenOf: ((...args) => started().api.tokenOf(...args)) as Api['tokenOf'],
  };
}
