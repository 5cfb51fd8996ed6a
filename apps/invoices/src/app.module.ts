import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { migrations } from './migrations';
import { InvoiceService } from './register/invoice.service';
import { InvoicesHandlers } from './register/invoices.handlers';

/** The invoices service: medical e-invoice verification for finance. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations })],
      providers: [InvoiceService, InvoicesHandlers],
    };
  }
}
