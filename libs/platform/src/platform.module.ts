import { DynamicModule, Module } from '@nestjs/common';
import { ServiceName } from '@lianban/contracts';
import { MessagingModule } from '@lianban/messaging';
import { PersistenceModule } from '@lianban/persistence';
import type { ServiceConfig } from './config';
import { auditTrailResponder } from './audit-trail';
import { ServiceHealthModule } from './health';
import { loggingModule } from './logging';

export interface ServicePlatformOptions {
  config: ServiceConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

/**
 * Everything a back-end service stands on, the same in each: logs, NATS, its schema with
 * migrations and outbox, and health. A service's AppModule imports this and its features.
 */
@Module({})
export class ServicePlatformModule {
  static forService({ config, entities, migrations }: ServicePlatformOptions): DynamicModule {
    const service = config.serviceName as ServiceName;
    return {
      module: ServicePlatformModule,
      imports: [
        loggingModule(config),
        MessagingModule.forRoot({ servers: config.natsUrl, credentials: config.natsCredentials, serviceName: service, subjectPrefix: config.subjectPrefix, signingKey: config.internalSigningKey }),
        PersistenceModule.forRoot({ url: config.databaseUrl!, schema: config.schema, serviceName: service, entities, migrations }),
        ServiceHealthModule.forService(service),
      ],
      providers: [auditTrailResponder(service)],
    };
  }
}
