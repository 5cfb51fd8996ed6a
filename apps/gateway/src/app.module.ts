import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingModule } from '@lianban/messaging';
import { loggingModule, NatsHealthIndicator, ServiceConfig } from '@lianban/platform';
import { HealthController, ServiceReadinessIndicator } from './health/health.controller';

/** The gateway: authenticates, validates the shape, forwards to services over NATS, maps errors. No business rules. */
@Module({})
export class GatewayModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        loggingModule(config),
        MessagingModule.forRoot({ servers: config.natsUrl, serviceName: 'gateway', subjectPrefix: config.subjectPrefix }),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController],
      providers: [NatsHealthIndicator, ServiceReadinessIndicator],
    };
  }
}
