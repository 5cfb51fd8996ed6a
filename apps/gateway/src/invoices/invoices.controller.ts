import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import { parse } from 'csv-parse/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  BatchVerificationDto,
  checkVerifyItem,
  CORRELATION_HTTP_HEADER,
  DomainError,
  ImportFileQuery,
  ImportFileTicket,
  ImportInvoicesDto,
  ImportResult,
  InvoiceImportSummary,
  InvoiceImportView,
  InvoiceSubjects,
  IssuerView,
  MAX_BATCH,
  RegisterIssuerDto,
  ruleError,
  RuleParams,
  StoredFileGrant,
  VerificationReceipt,
  VerificationRecord,
  VerificationResult,
  VerificationsQueryDto,
  VERIFY_CHUNK,
  VerifyChunkReply,
  VerifyInvoiceDto,
} from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { BLOB_STORE, BlobStore } from '@lianban/platform';
import { Public } from '../auth/auth.guard';
import { toProblem } from '../http/problem';
import { contextOf } from '../http/request-context';
import { sendStoredFile, storeUpload, uploadBody } from '../http/files';

const BATCH_FIELDS = new Set(['items', 'csv']);
/** The longest CSV a batch takes, in characters. */
const MAX_CSV_CHARS = 500_000;

/**
 * The invoices of a batch request, from `items` or from `csv`. The envelope is checked by hand
 * rather than by the global ValidationPipe, whose class-transformer pass would copy every item.
 */
function batchItems(body: unknown): unknown[] {
  const refuse = (field: string, code: string, message: string, params?: RuleParams) => DomainError.validation([ruleError(field, code, message, params)]);
  // A CSV file sent as the body itself (text/csv) is read as the `csv` field would be.
  if (typeof body === 'string') return batchItems({ csv: body });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw refuse('(body)', 'isObject', 'the body must be a JSON object');
  const { items, csv } = body as { items?: unknown; csv?: unknown };
  const unknown = Object.keys(body).filter((k) => !BATCH_FIELDS.has(k));
  if (unknown.length) throw DomainError.validation(unknown.map((k) => ruleError(k, 'whitelistValidation', `property ${k} should not exist`)));
  if ((items === undefined || items === null) === (csv === undefined || csv === null)) throw refuse('items', 'itemsOrCsv', 'send the invoices either as items or as csv');
  let raw: unknown[];
  if (items !== undefined && items !== null) {
    if (!Array.isArray(items)) throw refuse('items', 'isArray', 'items must be an array');
    raw = items;
  } else {
    if (typeof csv !== 'string' || csv.length > MAX_CSV_CHARS) throw refuse('csv', 'maxLength', `csv must be a string of at most ${MAX_CSV_CHARS.toLocaleString('en')} characters`, { max: MAX_CSV_CHARS });
    try {
      // A byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name.
      raw = parse(csv, { bom: true, columns: true, skip_empty_lines: true, trim: true, cast: (v, c) => (c.column === 'amountFen' && v !== '' ? Number(v) : v === '' ? undefined : v) });
    } catch (e) {
      // csv-parse says on which line it stopped; the console names the line in its own words.
      const line = (e as { lines?: number }).lines;
      throw refuse('csv', 'csvUnreadable', `the CSV cannot be read: ${(e as Error).message}`, line ? { line } : undefined);
    }
  }
  if (raw.length > MAX_BATCH) throw refuse(items ? 'items' : 'csv', 'arrayMaxSize', `at most ${MAX_BATCH.toLocaleString('en')} invoices per batch`, { max: MAX_BATCH });
  return raw;
}

/** Finance's register of medical-fee e-invoices, and verification for every agency. */
@ApiTags('invoices')
@ApiBearerAuth()
@Controller('invoices')
export class InvoicesController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  /** Finance registers an issuing unit and its SM2 public key. */
  @Post('issuers')
  registerIssuer(@Body() dto: RegisterIssuerDto, @Req() req: FastifyRequest): Promise<{ code: string; name: string }> {
    return this.rpc.request(InvoiceSubjects.registerIssuer, dto, contextOf(req));
  }

  /** Finance: the registered issuing units, each key by its SM3 fingerprint. */
  @Get('issuers')
  issuers(@Req() req: FastifyRequest): Promise<IssuerView[]> {
    return this.rpc.request(InvoiceSubjects.issuers, {}, contextOf(req));
  }

  /** Finance imports issued invoices (CSV or JSON lines): every row or none, with each row's problems. */
  @Post('imports')
  @HttpCode(200)
  import(@Body() dto: ImportInvoicesDto, @Req() req: FastifyRequest): Promise<ImportResult> {
    return this.rpc.request(InvoiceSubjects.importInvoices, dto, contextOf(req), 30_000);
  }

  /**
   * Finance uploads an import file of any size up to INVOICE_IMPORT_MAX_BYTES (up to 200,000
   * invoices), sent as itself (application/octet-stream). It is stored with its SHA-256 and SM3 and
   * answered 202 as `pending`; the invoices service imports it in the background, every row or
   * none, and GET /invoices/imports/{id} tells the outcome with each refused row.
   */
  @Post('imports/files')
  @HttpCode(202)
  @ApiConsumes('application/octet-stream')
  async importFile(@Query() q: ImportFileQuery, @Req() req: FastifyRequest): Promise<InvoiceImportView> {
    const body = uploadBody(req);
    const ctx = contextOf(req);
    const ticket = await this.rpc.request<ImportFileTicket>(InvoiceSubjects.importTicket, q, ctx);
    const digests = await storeUpload(this.store, ticket.storageKey, body, ticket.maxBytes, 'An import file');
    try {
      return await this.rpc.request<InvoiceImportView>(InvoiceSubjects.importFile, { ...q, id: ticket.id, storageKey: ticket.storageKey, ...digests }, ctx, 60_000);
    } catch (e) {
      await this.store.delete(ticket.storageKey);
      throw e;
    }
  }

  /** Finance: the newest 100 import files and what became of each. */
  @Get('imports')
  imports(@Req() req: FastifyRequest): Promise<InvoiceImportSummary[]> {
    return this.rpc.request(InvoiceSubjects.imports, {}, contextOf(req));
  }

  /** Finance: one import file, with its refused rows. */
  @Get('imports/:id')
  importOne(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<InvoiceImportView> {
    return this.rpc.request(InvoiceSubjects.importOne, { id }, contextOf(req));
  }

  /** Finance: an import file as it was received (its digests checked first and while it is sent), for the record or to return to the issuer. */
  @Get('imports/:id/file')
  @ApiProduces('text/csv', 'application/x-ndjson')
  async importDownload(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const grant = await this.rpc.request<StoredFileGrant>(InvoiceSubjects.importDownload, { id }, contextOf(req), 60_000);
    await sendStoredFile(this.store, grant, reply, 'file');
  }

  /** Verifies one invoice: valid, not_found, mismatch, red_flushed, voided or bad_signature. */
  @Post('verifications')
  verify(@Body() dto: VerifyInvoiceDto, @Req() req: FastifyRequest): Promise<VerificationResult> {
    return this.rpc.request(InvoiceSubjects.verify, dto, contextOf(req));
  }

  /** The newest 500 verifications (finance: all agencies', another agency: its own), narrowed to one invoice or one claim when asked. */
  @Get('verifications')
  verifications(@Query() q: VerificationsQueryDto, @Req() req: FastifyRequest): Promise<VerificationRecord[]> {
    return this.rpc.request(InvoiceSubjects.verifications, q, contextOf(req));
  }

  /**
   * Verifies a batch (JSON items or CSV, up to 5,000: `{ items }`, `{ csv }`, or the CSV file itself
   * as the body with Content-Type text/csv, UTF-8) and streams one JSON line per invoice as
   * results come, then a summary line. A malformed item gets its own 400 line; the rest go on.
   * The items are checked here once, with the rules of a single verification (checkVerifyItem),
   * and go to the service in chunks of up to VERIFY_CHUNK, two at a time.
   */
  @Post('verifications/batch')
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ type: BatchVerificationDto, description: 'JSON as below, or (text/csv, UTF-8) the CSV itself: a header row code,number,checkCode[,issuedOn,amountFen,claimRef]' })
  @ApiProduces('application/x-ndjson')
  async verifyBatch(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const raw = batchItems(body);
    const ctx = contextOf(req);
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', [CORRELATION_HTTP_HEADER]: String(req.id) });
    const tally: Record<string, number> = {};
    const indexes: number[] = [];
    const valid: VerifyInvoiceDto[] = [];
    let invalid = '';
    raw.forEach((r, index) => {
      const checked = checkVerifyItem(r);
      if (checked.item) {
        indexes.push(index);
        valid.push(checked.item);
      } else {
        tally.invalid = (tally.invalid ?? 0) + 1;
        invalid += `${JSON.stringify({ index, ...DomainError.validation(checked.errors).toProblem() })}\n`;
      }
    });
    if (invalid) reply.raw.write(invalid);
    // Chunks go to the service two at a time; each line carries its index, so order does not matter.
    const chunks: { from: number; to: number }[] = [];
    for (let from = 0; from < valid.length; from += VERIFY_CHUNK) chunks.push({ from, to: Math.min(valid.length, from + VERIFY_CHUNK) });
    let next = 0;
    let refused: unknown;
    const send = async (from: number, to: number): Promise<void> => {
      let answer: VerifyChunkReply;
      try {
        answer = await this.rpc.request<VerifyChunkReply>(InvoiceSubjects.verifyBatch, { items: valid.slice(from, to) }, ctx, 60_000);
      } catch (e) {
        // An answer too large to send back (nothing was recorded): ask for each half.
        if (e instanceof DomainError && e.status === 413 && to - from > 1) {
          const half = from + Math.ceil((to - from) / 2);
          await send(from, half);
          return send(half, to);
        }
        throw e;
      }
      const agencies = answer.agencies.map((a) => JSON.stringify(a));
      let lines = '';
      answer.results.forEach(([verificationId, verdict, differences, timesChecked, checkedBy, reused, otherClaims], i) => {
        tally[verdict] = (tally[verdict] ?? 0) + 1;
        const by = checkedBy.map((a) => agencies[a]).join(',');
        lines += `{"index":${indexes[from + i]},"verificationId":${verificationId},"verdict":"${verdict}","differences":${differences.length ? JSON.stringify(differences) : '[]'},"timesChecked":${timesChecked},"checkedBy":[${by}],"reused":${reused},"otherClaims":${otherClaims}}\n`;
      });
      reply.raw.write(lines);
    };
    const worker = async () => {
      while (next < chunks.length && !refused) {
        const chunk = chunks[next++];
        try {
          await send(chunk.from, chunk.to);
        } catch (e) {
          // Refused (e.g. the agency's rate limit): say so for this chunk and what is left, and stop.
          refused ??= e;
          reply.raw.write(`${JSON.stringify({ error: toProblem(e), unverified: indexes.slice(chunk.from, chunk.to) })}\n`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
    if (refused) {
      const skipped = chunks.slice(next).flatMap((c) => indexes.slice(c.from, c.to));
      if (skipped.length) reply.raw.write(`${JSON.stringify({ error: toProblem(refused), unverified: skipped })}\n`);
    }
    reply.raw.end(`${JSON.stringify({ summary: { total: raw.length, ...tally } })}\n`);
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
