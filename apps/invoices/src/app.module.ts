import { DynamicModule, Module } from '@nestjs/common';
import { BLOB_STORE, evidenceStoreFor, ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { migrations } from './migrations';
import { IMPORT_SETTINGS, ImportService } from './register/import.service';
import { InvoiceService } from './register/invoice.service';
import { InvoicesHandlers } from './register/invoices.handlers';
import { VERIFICATIONS_PER_MINUTE, VerificationLimiter } from './register/rate-limit';
import { RECEIPT_KEY_PEM, ReceiptService } from './register/receipt.service';
import { SEAL_KEY, sealKeyOf } from './register/signature';

/** The invoices service: medical e-invoice verification for finance. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations })],
      providers: [
        { provide: VERIFICATIONS_PER_MINUTE, useValue: config.invoiceVerificationsPerMinute },
        { provide: RECEIPT_KEY_PEM, useValue: config.receiptSigningKey },
        // Derived from the platform's internal key: the same in every invoices instance, held by no other service's data.
        { provide: SEAL_KEY, useValue: sealKeyOf(config.internalSigningKey) },
        // Import files: stored by the gateway in the platform's blob store (beside evidence), imported here.
        { provide: BLOB_STORE, useValue: evidenceStoreFor(config) },
        { provide: IMPORT_SETTINGS, useValue: { maxBytes: config.invoiceImportMaxBytes, sweepMs: 60_000 } },
        VerificationLimiter,
        ImportService,
        ReceiptService,
        InvoiceService,
        InvoicesHandlers,
      ],
    };
  }
}
