import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { LedgersModule } from './ledgers/ledgers.module';
import { migrations } from './migrations';

/** The cases service: administrative cases, evidence, self-inspection ledgers, reports. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations }), LedgersModule],
    };
  }
}
