import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { migrations } from './migrations';

/** The clue-transfer service: clues and every transfer between agencies, with statutory clocks. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations })],
    };
  }
}
