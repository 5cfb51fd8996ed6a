import { Injectable } from '@nestjs/common';
import { checkVerifyItem, DomainError, FieldError, ImportFileQuery, ImportFileStoredDto, ImportIdDto, ImportInvoicesDto, InvoiceSubjects, MessageContext, RegisterIssuerDto, VerificationsQueryDto, VERIFY_CHUNK, VerifyInvoiceDto } from '@lianban/contracts';
import { IsInt, Max, Min } from 'class-validator';
import { RpcHandler } from '@lianban/messaging';
import { ImportService } from './import.service';
import { InvoiceService } from './invoice.service';
import { ReceiptService } from './receipt.service';

class VerificationIdDto {
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  id: number;
}

/** The largest chunk reply sent back: under NATS's default 1 MiB payload limit, with room for the envelope. */
const MAX_REPLY_BYTES = 900_000;

/** The NATS face of the invoices service. */
@Injectable()
export class InvoicesHandlers {
  constructor(
    private readonly invoices: InvoiceService,
    private readonly imports: ImportService,
    private readonly receipts: ReceiptService,
  ) {}

  @RpcHandler(InvoiceSubjects.registerIssuer, { dto: RegisterIssuerDto })
  registerIssuer(dto: RegisterIssuerDto, ctx: MessageContext) {
    return this.invoices.registerIssuer(dto, ctx);
  }

  @RpcHandler(InvoiceSubjects.issuers)
  issuers(_: unknown, ctx: MessageContext) {
    return this.invoices.issuers(ctx);
  }

  @RpcHandler(InvoiceSubjects.importInvoices, { dto: ImportInvoicesDto })
  import(dto: ImportInvoicesDto, ctx: MessageContext) {
    return this.imports.import(dto, ctx);
  }

  @RpcHandler(InvoiceSubjects.importTicket, { dto: ImportFileQuery })
  importTicket(dto: ImportFileQuery, ctx: MessageContext) {
    return this.imports.ticket(dto, ctx);
  }

  @RpcHandler(InvoiceSubjects.importFile, { dto: ImportFileStoredDto })
  importFile(dto: ImportFileStoredDto, ctx: MessageContext) {
    return this.imports.accept(dto, ctx);
  }

  @RpcHandler(InvoiceSubjects.imports)
  importList(_: unknown, ctx: MessageContext) {
    return this.imports.list(ctx);
  }

  @RpcHandler(InvoiceSubjects.importOne, { dto: ImportIdDto })
  importOne(dto: ImportIdDto, ctx: MessageContext) {
    return this.imports.get(dto.id, ctx);
  }

  @RpcHandler(InvoiceSubjects.importDownload, { dto: ImportIdDto })
  importDownload(dto: ImportIdDto, ctx: MessageContext) {
    return this.imports.download(dto.id, ctx);
  }

  @RpcHandler(InvoiceSubjects.verify, { dto: VerifyInvoiceDto })
  verify(dto: VerifyInvoiceDto, ctx: MessageContext) {
    return this.invoices.verify(dto, ctx);
  }

  @RpcHandler(InvoiceSubjects.verifications, { dto: VerificationsQueryDto })
  verifications(q: VerificationsQueryDto, ctx: MessageContext) {
    return this.invoices.verifications(q, ctx);
  }

  /**
   * A chunk of a batch, `{ items }`. Checked here with the same rules as a single verification
   * (checkVerifyItem, not class-validator's metadata walk: thousands of items per chunk); the
   * gateway has already answered malformed items one by one, so any left refuse the chunk.
   */
  @RpcHandler(InvoiceSubjects.verifyBatch)
  verifyBatch(payload: { items?: unknown }, ctx: MessageContext) {
    const raw = payload?.items;
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > VERIFY_CHUNK) {
      throw DomainError.validation([{ field: 'items', messages: [`items must be an array of 1 to ${VERIFY_CHUNK} invoices`] }]);
    }
    const items: VerifyInvoiceDto[] = [];
    const errors: FieldError[] = [];
    raw.forEach((r, i) => {
      const checked = checkVerifyItem(r);
      if (checked.item) items.push(checked.item);
      else errors.push(...checked.errors.map((e) => ({ ...e, field: `items.${i}.${e.field}` })));
    });
    if (errors.length) throw DomainError.validation(errors);
    return this.invoices.verifyMany(items, ctx, MAX_REPLY_BYTES);
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
