import { Injectable } from '@nestjs/common';
import { ImportInvoicesDto, InvoiceSubjects, MessageContext, RegisterIssuerDto, VerifyBatchChunkDto, VerifyInvoiceDto } from '@lianban/contracts';
import { IsInt, Min } from 'class-validator';
import { RpcHandler } from '@lianban/messaging';
import { InvoiceService } from './invoice.service';
import { ReceiptService } from './receipt.service';

class VerificationIdDto {
  @IsInt()
  @Min(1)
  id: number;
}

/** The NATS face of the invoices service. */
@Injectable()
export class InvoicesHandlers {
  constructor(
    private readonly invoices: InvoiceService,
    private readonly receipts: ReceiptService,
  ) {}

  @RpcHandler(InvoiceSubjects.registerIssuer, { dto: RegisterIssuerDto })
  registerIssuer(dto: RegisterIssuerDto, ctx: MessageContext) {
    return this.invoices.registerIssuer(dto, ctx);
  }

  @RpcHandler(InvoiceSubjects.importInvoices, { dto: ImportInvoicesDto })
  import(dto: ImportInvoicesDto, ctx: MessageContext) {
    return this.invoices.import(dto, ctx);
  }

  @RpcHandler(InvoiceSubjects.verify, { dto: VerifyInvoiceDto })
  verify(dto: VerifyInvoiceDto, ctx: MessageContext) {
    return this.invoices.verify(dto, ctx);
  }

  @RpcHandler(InvoiceSubjects.verifications)
  verifications(_: unknown, ctx: MessageContext) {
    return this.invoices.verifications(ctx);
  }

  @RpcHandler(InvoiceSubjects.verifyBatch, { dto: VerifyBatchChunkDto })
  verifyBatch(dto: VerifyBatchChunkDto, ctx: MessageContext) {
    return this.invoices.verifyMany(dto.items, ctx);
  }

  @RpcHandler(InvoiceSubjects.receipt, { dto: VerificationIdDto })
  receipt(dto: VerificationIdDto, ctx: MessageContext) {
    return this.receipts.receipt(dto.id, ctx);
  }

  @RpcHandler(InvoiceSubjects.receiptKey)
  receiptKey() {
    return { publicKeyPem: this.receipts.publicKeyPem };
  }
}
