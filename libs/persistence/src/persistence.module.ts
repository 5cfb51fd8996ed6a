import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NatsBus } from '@lianban/messaging';
import { dataSourceOptions, PersistenceOptions, runMigrations } from './data-source';
import { OutboxRelay, OutboxWriter } from './outbox';

export const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');

export interface ServicePersistenceOptions extends PersistenceOptions {
  /** The service name written as `source` on its events. */
  serviceName: string;
  /** Apply pending migrations when the service starts (on by default). */
  migrate?: boolean;
}

@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private relay?: OutboxRelay;

  constructor(
    @Inject(getDataSourceToken()) private readonly ds: DataSource,
    private readonly bus: NatsBus,
    @Inject(PERSISTENCE_OPTIONS) private readonly options: ServicePersistenceOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay = new OutboxRelay(this.ds, this.bus, { schema: this.options.schema });
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}

/** PostgreSQL for one service: its schema, its migrations, its outbox and the relay. */
@Module({})
export class PersistenceModule {
  static forRoot(options: ServicePersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(options),
          dataSourceFactory: async (opts) => {
            const ds = await new DataSource(opts!).initialize();
            if (options.migrate !== false) await runMigrations(ds);
            return ds;
          },
        }),
      ],
      providers: [
        { provide: PERSISTENCE_OPTIONS, useValue: options },
        { provide: OutboxWriter, useValue: new OutboxWriter(options.serviceName, options.schema) },
        RelayLifecycle,
      ],
      exports: [OutboxWriter, PERSISTENCE_OPTIONS],
    };
  }
}
