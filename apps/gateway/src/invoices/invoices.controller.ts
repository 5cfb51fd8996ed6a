import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { parse } from 'csv-parse/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  BatchVerificationDto,
  CORRELATION_HTTP_HEADER,
  DomainError,
  ImportInvoicesDto,
  ImportResult,
  InvoiceSubjects,
  RegisterIssuerDto,
  validateDto,
  VerificationReceipt,
  VerificationResult,
  VERIFY_CHUNK,
  VerifyInvoiceDto,
} from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { Public } from '../auth/auth.guard';
import { toProblem } from '../http/problem';
import { contextOf } from '../http/request-context';

/** Finance's register of medical-fee e-invoices, and verification for every agency. */
@ApiTags('invoices')
@ApiBearerAuth()
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly rpc: RpcClient) {}

  /** Finance registers an issuing unit and its SM2 public key. */
  @Post('issuers')
  registerIssuer(@Body() dto: RegisterIssuerDto, @Req() req: FastifyRequest): Promise<{ code: string; name: string }> {
    return this.rpc.request(InvoiceSubjects.registerIssuer, dto, contextOf(req));
  }

  /** Finance imports issued invoices (CSV or JSON lines): every row or none, with each row's problems. */
  @Post('imports')
  @HttpCode(200)
  import(@Body() dto: ImportInvoicesDto, @Req() req: FastifyRequest): Promise<ImportResult> {
    return this.rpc.request(InvoiceSubjects.importInvoices, dto, contextOf(req), 30_000);
  }

  /** Verifies one invoice: valid, not_found, mismatch, red_flushed, voided or bad_signature. */
  @Post('verifications')
  verify(@Body() dto: VerifyInvoiceDto, @Req() req: FastifyRequest): Promise<VerificationResult> {
    return this.rpc.request(InvoiceSubjects.verify, dto, contextOf(req));
  }

  /** Verifications: finance sees all, any other agency its own. */
  @Get('verifications')
  verifications(@Req() req: FastifyRequest): Promise<unknown[]> {
    return this.rpc.request(InvoiceSubjects.verifications, {}, contextOf(req));
  }

  /**
   * Verifies a batch (JSON items or CSV, up to 5,000) and streams one JSON line per invoice as
   * results come, then a summary line. A malformed item gets its own 400 line; the rest go on.
   */
  @Post('verifications/batch')
  @ApiProduces('application/x-ndjson')
  async verifyBatch(@Body() dto: BatchVerificationDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!dto.items === !dto.csv) throw DomainError.validation([{ field: 'items', messages: ['send the invoices either as items or as csv'] }]);
    let raw: unknown[];
    try {
      raw = dto.items ?? parse(dto.csv!, { columns: true, skip_empty_lines: true, trim: true, cast: (v, c) => (c.column === 'amountFen' && v !== '' ? Number(v) : v === '' ? undefined : v) });
    } catch (e) {
      throw DomainError.validation([{ field: 'csv', messages: [`the CSV cannot be read: ${(e as Error).message}`] }]);
    }
    if (raw.length > 5000) throw DomainError.validation([{ field: 'csv', messages: ['at most 5,000 invoices per batch'] }]);
    const ctx = contextOf(req);
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', [CORRELATION_HTTP_HEADER]: String(req.id) });
    const write = (line: object) => reply.raw.write(`${JSON.stringify(line)}\n`);
    const tally: Record<string, number> = {};
    const valid: { index: number; item: VerifyInvoiceDto }[] = [];
    for (const [index, item] of raw.entries()) {
      try {
        valid.push({ index, item: await validateDto(VerifyInvoiceDto, item) });
      } catch (e) {
        tally.invalid = (tally.invalid ?? 0) + 1;
        write({ index, ...toProblem(e) });
      }
    }
    // Chunks go to the service two at a time; each line carries its index, so order does not matter.
    const chunks = Array.from({ length: Math.ceil(valid.length / VERIFY_CHUNK) }, (_, c) => valid.slice(c * VERIFY_CHUNK, (c + 1) * VERIFY_CHUNK));
    let next = 0;
    let refused: unknown;
    const worker = async () => {
      while (next < chunks.length && !refused) {
        const chunk = chunks[next++];
        try {
          const results = await this.rpc.request<VerificationResult[]>(InvoiceSubjects.verifyBatch, { items: chunk.map((c) => c.item) }, ctx, 60_000);
          results.forEach((r, i) => {
            tally[r.verdict] = (tally[r.verdict] ?? 0) + 1;
            write({ index: chunk[i].index, ...r });
          });
        } catch (e) {
          // Refused (e.g. the agency's rate limit): say so for this chunk and what is left, and stop.
          refused ??= e;
          write({ error: toProblem(e), unverified: chunk.map((c) => c.index) });
        }
      }
    };
    await Promise.all([worker(), worker()]);
    if (refused) {
      const skipped = chunks.slice(next).flat().map((c) => c.index);
      if (skipped.length) write({ error: toProblem(refused), unverified: skipped });
    }
    write({ summary: { total: raw.length, ...tally } });
    reply.raw.end();
  }

  /** A receipt of one verification, signed by finance (SM2), for the case file. */
  @Get('verifications/:id/receipt')
  receipt(@Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest): Promise<VerificationReceipt> {
    return this.rpc.request(InvoiceSubjects.receipt, { id }, contextOf(req));
  }

  /** Finance's public key for checking receipts offline. */
  @Public()
  @Get('receipt-key')
  receiptKey(@Req() req: FastifyRequest): Promise<{ publicKeyPem: string }> {
    return this.rpc.request(InvoiceSubjects.receiptKey, {}, contextOf(req));
  }
}
