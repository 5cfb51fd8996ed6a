import { Injectable } from '@nestjs/common';
import { ImportInvoicesDto, InvoiceSubjects, MessageContext, RegisterIssuerDto, VerifyInvoiceDto } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { InvoiceService } from './invoice.service';

/** The NATS face of the invoices service. */
@Injectable()
export class InvoicesHandlers {
  constructor(private readonly invoices: InvoiceService) {}

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
}
