import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isISO8601 } from 'class-validator';
import { CsvError, parse } from 'csv-parse';
import { KeyObject, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import {
  Actor,
  AgencyKind,
  canonicalInvoice,
  canonicalVoid,
  CHECK_CODE,
  DomainError,
  ErrorCode,
  ImportFileQuery,
  ImportFileStoredDto,
  ImportFileTicket,
  ImportInvoicesDto,
  ImportResult,
  INVOICE_CODE,
  INVOICE_CSV_COLUMNS,
  INVOICE_KINDS,
  INVOICE_NUMBER,
  INVOICE_STATUSES,
  MAX_AMOUNT_FEN,
  InvoiceImportStatus,
  InvoiceImportSummary,
  InvoiceImportView,
  InvoiceRecord,
  InvoiceStatus,
  isVoidRecord,
  MAX_IMPORT_FILE_ERRORS,
  MAX_IMPORT_FILE_ROWS,
  MAX_IMPORT_ROWS,
  MessageContext,
  StoredFileGrant,
  systemActor,
} from '@lianban/contracts';
import { newCorrelationId } from '@lianban/messaging';
import { audit, OutboxWriter } from '@lianban/persistence';
import { BLOB_STORE, BlobStore, checkStored, DigestingStream, IntegrityError, PeriodicTask } from '@lianban/platform';
import { pgArray, requireFinance, SEALED_SQL, SIGNED_SQL } from './register-sql';
import { Sealer, SEAL_KEY, signatureValid, sm2PublicKey } from './signature';

type RowError = ImportResult['errors'][number];

/** A refused row of an import: the rule's stable code for clients that say it in their own words, the English sentence, and the values it names. */
function rowError(row: number, field: string, code: string, message: string, params?: Record<string, string | number>): RowError {
  return { row, field, code, message, ...(params ? { params } : {}) };
}

/**
 * Rows found refused only while the register was being written (an invoice another import put in
 * meanwhile): thrown, so that the caller's transaction (or savepoint) undoes what was written.
 */
class RefusedRows extends Error {
  constructor(readonly errors: RowError[]) {
    super('rows refused while writing');
  }
}

class NotUtf8Error extends Error {}

/**
 * Decodes a file's bytes as UTF-8 (a byte-order mark dropped), failing at the first sequence that
 * is not: a CSV saved by Excel as GBK, say, would otherwise be read as garbled names whose
 * signatures all fail. Text given as strings (a JSON import's content) passes as it is.
 */
class Utf8Text extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    if (typeof chunk === 'string') return done(null, chunk);
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      return done(new NotUtf8Error());
    }
    done(null, text || undefined);
  }

  override _flush(done: TransformCallback): void {
    try {
      const rest = this.decoder.decode();
      done(null, rest || undefined);
    } catch {
      done(new NotUtf8Error());
    }
  }
}

/** An invoice of the register that an import voids or red-flushes, locked until the file is in. */
interface LockedInvoice {
  code: string;
  number: string;
  check_code: string;
  kind: InvoiceRecord['kind'];
  issued_on: string;
  amount_fen: string;
  issuer_code: string;
  payer_name: string;
  status: InvoiceStatus;
  /** Sealer.signed of the row (SIGNED_SQL), what the seal covers (SEALED_SQL) and the seal. */
  signed: string;
  sealed: string;
  seal: string;
}

interface ImportRow {
  id: string;
  file_name: string;
  format: 'csv' | 'jsonl';
  storage_key: string;
  size_bytes: string;
  sha256: string;
  sm3: string;
  status: InvoiceImportStatus;
  imported: number;
  error_count: number;
  errors?: RowError[];
  failure_code: InvoiceImportSummary['failureCode'];
  failure: string | null;
  imported_by: string;
  agency_id: string;
  created_at: Date;
  finished_at: Date | null;
}

export const IMPORT_SETTINGS = Symbol('IMPORT_SETTINGS');
export interface ImportSettings {
  /** Largest import file, in bytes. */
  maxBytes: number;
  /** How often pending files are looked for (those another instance left when it stopped). */
  sweepMs: number;
}

/** Rows per INSERT when an import writes the register. */
const INSERT_BATCH = 2000;
/** Signatures checked at once (libuv's thread pool takes four at a time). */
const SIGNATURE_CHECKS_IN_FLIGHT = 64;
/** Where an import file's bytes are kept: beside the evidence of cases, in the platform's blob store. */
const importKey = (id: string) => `invoice-imports/${id}`;
/** The event each outcome of an import file is told by (one kind each, so an officer may mute successes and not refusals). */
const IMPORT_EVENTS: Record<Exclude<InvoiceImportStatus, 'pending'>, string> = { imported: 'invoice.import_succeeded', refused: 'invoice.import_refused', failed: 'invoice.import_failed' };
const IMPORT_MEDIA_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' } as const;
const SUMMARY_COLUMNS = `id, file_name, format, storage_key, size_bytes, sha256, sm3, status, imported, error_count, failure_code, failure, imported_by, agency_id, created_at, finished_at`;

/**
 * Finance's imports into the register: a JSON request (`content`, up to MAX_IMPORT_ROWS rows, answered
 * at once) or a file of up to MAX_IMPORT_FILE_ROWS rows, stored by the gateway in the blob store
 * and imported here in the background, oldest first, one at a time per instance. Either way all
 * rows go in or none, in one transaction, with every refused row listed.
 *
 * A file waits as `pending` in invoice_import; the instance that imports it holds its row locked
 * (FOR UPDATE SKIP LOCKED) in the very transaction that writes the register and its outcome, so an
 * instance stopping half-way leaves it pending for the next look (at start and every sweepMs), and
 * two instances never import the same file.
 */
@Injectable()
export class ImportService implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @Inject(IMPORT_SETTINGS) private readonly settings: ImportSettings,
    @Inject(SEAL_KEY) sealKey: Buffer,
    private readonly outbox: OutboxWriter,
  ) {
    this.sealer = new Sealer(sealKey);
    this.sweep = new PeriodicTask(() => this.drain(), settings.sweepMs, (e) => this.logger.error(`looking for pending import files failed: ${e.message}`));
  }

  private readonly sealer: Sealer;
  private readonly logger = new Logger(ImportService.name);
  private readonly sweep: PeriodicTask;
  private draining?: Promise<void>;
  private again = false;
  private stopping = false;

  onApplicationBootstrap(): void {
    void this.drain();
    this.sweep.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.sweep.stop();
    await this.draining;
  }

  /** A JSON import: read, checked and (every row or none) written at once. */
  async import(dto: ImportInvoicesDto, ctx: MessageContext): Promise<ImportResult> {
    requireFinance(ctx);
    const rows = await this.readRows(Readable.from([dto.content]), dto.format, MAX_IMPORT_ROWS);
    if ('errors' in rows) return { imported: 0, errors: rows.errors };
    try {
      return await this.ds.transaction((m) => this.importRows(m, rows, ctx.actor));
    } catch (e) {
      if (e instanceof RefusedRows) return { imported: 0, errors: e.errors };
      throw e;
    }
  }

  /** Leave to store an import file: finance only, under a key of its own. */
  ticket(_: ImportFileQuery, ctx: MessageContext): ImportFileTicket {
    requireFinance(ctx);
    const id = randomUUID();
    return { id, storageKey: importKey(id), maxBytes: this.settings.maxBytes };
  }

  /**
   * A stored file becomes a pending import. No digest is taken on trust: they are recomputed from
   * the stored bytes. The file is imported in the background; GET /invoices/imports/{id} tells
   * how it went.
   */
  async accept(dto: ImportFileStoredDto, ctx: MessageContext): Promise<InvoiceImportView> {
    requireFinance(ctx);
    if (dto.storageKey !== importKey(dto.id)) throw DomainError.validation([{ field: 'storageKey', messages: ['storageKey is not the one the ticket gave'] }]);
    const { found: stored, intact } = await checkStored(this.store, dto.storageKey, dto);
    if (!stored) throw new DomainError(404, ErrorCode.NOT_FOUND, 'No file is stored under this ticket.');
    if (!intact) {
      await this.store.delete(dto.storageKey);
      throw new DomainError(409, 'IMPORT_DIGEST_MISMATCH', 'The stored file does not match the digests computed while it was received; nothing was kept.');
    }
    const saved = await this.ds.transaction(async (m) => {
      const [row]: ImportRow[] = await m.query(
        `INSERT INTO invoice_import (id, file_name, format, storage_key, size_bytes, sha256, sm3, imported_by, agency_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING ${SUMMARY_COLUMNS}`,
        [dto.id, dto.name, dto.format, dto.storageKey, stored.sizeBytes, stored.sha256, stored.sm3, ctx.actor.id, ctx.actor.agencyId],
      );
      if (!row) throw new DomainError(409, ErrorCode.CONFLICT, 'This import file was already received.');
      await audit(m, { actor: ctx.actor, action: 'invoice.import_file_received', target: dto.id, outcome: 'succeeded', detail: { fileName: dto.name, sizeBytes: stored.sizeBytes, sm3: stored.sm3 } });
      return row;
    });
    void this.drain();
    return { ...summary(saved), errors: [] };
  }

  /** Finance's newest 100 import files, without their refused rows. */
  async list(ctx: MessageContext): Promise<InvoiceImportSummary[]> {
    requireFinance(ctx);
    const rows: ImportRow[] = await this.ds.query(`SELECT ${SUMMARY_COLUMNS} FROM invoice_import ORDER BY created_at DESC, id LIMIT 100`);
    return rows.map(summary);
  }

  /** One import file with its refused rows. */
  async get(id: string, ctx: MessageContext): Promise<InvoiceImportView> {
    requireFinance(ctx);
    const [row]: ImportRow[] = await this.ds.query(`SELECT ${SUMMARY_COLUMNS}, errors FROM invoice_import WHERE id = $1`, [id]);
    if (!row) throw new DomainError(404, ErrorCode.NOT_FOUND, 'No such import file.');
    return { ...summary(row), errors: row.errors ?? [] };
  }

  /**
   * Leave to download an import file as it was received (finance only), once its bytes are found
   * to be still those received; each download is audited, and so is a refusal.
   */
  async download(id: string, ctx: MessageContext): Promise<StoredFileGrant> {
    requireFinance(ctx);
    const [row]: ImportRow[] = await this.ds.query(`SELECT ${SUMMARY_COLUMNS} FROM invoice_import WHERE id = $1`, [id]);
    if (!row) throw new DomainError(404, ErrorCode.NOT_FOUND, 'No such import file.');
    const { found: stored, intact } = await checkStored(this.store, row.storage_key, { sha256: row.sha256, sm3: row.sm3, sizeBytes: Number(row.size_bytes) });
    await audit(this.ds.manager, { actor: ctx.actor, action: 'invoice.import_file_download', target: id, outcome: intact ? 'succeeded' : 'refused', detail: intact ? { fileName: row.file_name } : { fileName: row.file_name, reason: stored ? 'fileAltered' : 'fileMissing' } });
    if (!stored) throw new DomainError(410, 'IMPORT_FILE_MISSING', 'The import file is no longer in the store.');
    if (!intact) throw new DomainError(409, 'IMPORT_FILE_ALTERED', 'The stored import file no longer matches the SHA-256 and SM3 digests taken when it was received; it is not served.');
    return { storageKey: row.storage_key, name: row.file_name, mediaType: IMPORT_MEDIA_TYPES[row.format], sizeBytes: Number(row.size_bytes), sha256: row.sha256, sm3: row.sm3 };
  }

  /** Imports the pending files until none is left; a call while it runs makes it look once more. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        while (!this.stopping && (await this.importNext()));
      } while (this.again && !this.stopping);
    })()
      .catch((e) => this.logger.error(`importing a pending file stopped: ${(e as Error).message}`))
      .finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** The oldest pending file nobody else is importing, imported (or refused) in one transaction; false when there is none. */
  private importNext(): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const [job]: ImportRow[] = await m.query(`SELECT ${SUMMARY_COLUMNS} FROM invoice_import WHERE status = 'pending' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`);
      if (!job) return false;
      const actor: Actor = { kind: 'officer', id: job.imported_by, agencyId: job.agency_id, agencyKind: AgencyKind.FINANCE };
      let status: InvoiceImportStatus;
      let result: ImportResult = { imported: 0, errors: [] };
      let failure: ReturnType<typeof failureOf> | null = null;
      await m.query('SAVEPOINT import_rows');
      try {
        const bytes = await this.store.get(job.storage_key);
        // The bytes must still be those received: checked while they are read.
        const checked = new DigestingStream(Number.MAX_SAFE_INTEGER, { sha256: job.sha256, sm3: job.sm3 });
        bytes.on('error', (e) => checked.destroy(e));
        const rows = await this.readRows(bytes.pipe(checked), job.format, MAX_IMPORT_FILE_ROWS);
        bytes.destroy();
        result = 'errors' in rows ? { imported: 0, errors: rows.errors } : await this.importRows(m, rows, actor);
        status = result.errors.length ? 'refused' : 'imported';
      } catch (e) {
        await m.query('ROLLBACK TO SAVEPOINT import_rows');
        if (e instanceof RefusedRows) {
          result = { imported: 0, errors: e.errors };
          status = 'refused';
        } else {
          status = 'failed';
          failure = failureOf(e);
          this.logger.error(`import file ${job.id}: ${failure.message}`);
        }
      }
      await m.query(
        `UPDATE invoice_import SET status = $2, imported = $3, error_count = $4, errors = $5, failure_code = $6, failure = $7, finished_at = now() WHERE id = $1`,
        [job.id, status, result.imported, result.errors.length, JSON.stringify(result.errors.slice(0, MAX_IMPORT_FILE_ERRORS)), failure?.code ?? null, failure?.message ?? null],
      );
      await audit(m, {
        actor,
        action: 'invoice.import_file',
        target: job.id,
        outcome: status === 'imported' ? 'succeeded' : 'refused',
        detail: { fileName: job.file_name, status, imported: result.imported, errorCount: result.errors.length, ...(failure ? { failure: failure.code } : {}) },
      });
      // The officer who sent the file is told how it ended (notifications), wherever they are by then.
      // The service finished the import on its own, so the event is the system's: its actor is nobody's inbox to skip.
      await this.outbox.append(
        m,
        {
          type: IMPORT_EVENTS[status as Exclude<InvoiceImportStatus, 'pending'>],
          payload: { importId: job.id, agencyId: job.agency_id, officerId: job.imported_by, imported: result.imported, errorCount: result.errors.length, failureCode: failure?.code ?? null },
        },
        { actor: systemActor('invoices'), correlationId: newCorrelationId() },
      );
      return true;
    });
  }

  /**
   * Reads a file's rows and checks the shape of each, before anything is looked up. Stops at the
   * first row past `maxRows`. CSV: a header row of INVOICE_CSV_COLUMNS (a byte-order mark is
   * skipped); JSON lines: one object per non-blank line. Row numbers count the invoices, from 1.
   */
  private async readRows(bytes: Readable, format: 'csv' | 'jsonl', maxRows: number): Promise<InvoiceRecord[] | { errors: RowError[] }> {
    const input = bytes.pipe(new Utf8Text());
    bytes.on('error', (e) => input.destroy(e));
    /** Stops reading once the answer is known without the rest. */
    const stop = () => {
      bytes.destroy();
      input.destroy();
    };
    const errors: RowError[] = [];
    const records: InvoiceRecord[] = [];
    let row = 0;
    const tooMany = () => ({ errors: [rowError(0, '(file)', 'tooManyRows', `at most ${maxRows.toLocaleString('en')} invoices per file`, { max: maxRows })] });
    try {
      if (format === 'csv') {
        let header: string[] = [];
        const parser = input.pipe(
          parse({
            bom: true,
            skip_empty_lines: true,
            trim: true,
            columns: (names: string[]) => (header = names),
          }),
        );
        input.on('error', (e) => parser.destroy(e));
        for await (const o of parser as AsyncIterable<Record<string, unknown>>) {
          if (header.some((c) => !(INVOICE_CSV_COLUMNS as readonly string[]).includes(c))) {
            stop();
            return { errors: [rowError(0, '(header)', 'csvColumns', `the columns are ${INVOICE_CSV_COLUMNS.join(',')}`, { columns: INVOICE_CSV_COLUMNS.join(',') })] };
          }
          if (++row > maxRows) {
            stop();
            return tooMany();
          }
          records.push(checkRow(o, row, errors));
        }
      } else {
        for await (const line of createInterface({ input, crlfDelay: Infinity })) {
          const text = row === 0 ? line.replace(/^\uFEFF/, '') : line;
          if (!text.trim()) continue;
          if (++row > maxRows) {
            stop();
            return tooMany();
          }
          let o: unknown;
          try {
            o = JSON.parse(text);
          } catch {
            // Not JSON at all: refused like any line that is not an object.
          }
          const isObject = o !== null && typeof o === 'object' && !Array.isArray(o);
          if (!isObject) errors.push(rowError(row, '(line)', 'notJsonObject', 'not a JSON object'));
          records.push(checkRow(isObject ? (o as Record<string, unknown>) : {}, row, errors));
        }
      }
    } catch (e) {
      if (e instanceof NotUtf8Error) return { errors: [rowError(0, '(file)', 'notUtf8', 'the file is not UTF-8 text: save it as UTF-8 (in Excel: CSV UTF-8)')] };
      if (!(e instanceof CsvError)) throw e;
      // csv-parse says on which line it stopped; the console names the line in its own words.
      const line = (e as { lines?: number }).lines;
      return { errors: [rowError(0, '(file)', 'csvUnreadable', `the CSV cannot be read: ${e.message}`, line ? { line } : undefined)] };
    }
    if (row === 0) return { errors: [rowError(0, '(file)', 'fileEmpty', 'the file holds no invoices')] };
    return errors.length ? { errors } : records;
  }

  /**
   * All rows or none: any refused row refuses the file, with every row's problems listed. A row is
   * an issued invoice (normal, or voided at issue), a red ticket pointing to its original, or a
   * void record (isVoidRecord) voiding an invoice already in the register. Written in `m`, the
   * caller's transaction. Rows refused before anything is written are returned; rows refused while
   * writing (RefusedRows) are thrown, so that the caller undoes what was written.
   */
  private async importRows(m: EntityManager, rows: InvoiceRecord[], actor: Actor): Promise<ImportResult> {
    const issuers = new Map<string, KeyObject | null>();
    for (const { public_key_pem, code } of await m.query(`SELECT code, public_key_pem FROM issuer WHERE code = ANY($1)`, [[...new Set(rows.map((r) => r.issuerCode))]])) {
      issuers.set(code, sm2PublicKey(public_key_pem));
    }
    const keyOf = (code: string, number: string) => `${code}/${number}`;
    const isVoid = rows.map((r) => isVoidRecord(r));
    const issued = rows.filter((_, i) => !isVoid[i]);
    const existing = await this.registered(m, issued.map((r) => [r.code, r.number]));
    const voids = rows.filter((_, i) => isVoid[i]);
    // A red ticket cancels an invoice of the register or of this file.
    const originals = issued.filter((r) => r.originalCode && r.originalNumber);
    // The invoices of the register that the voids and red tickets change, locked until the file is in.
    const locked = await this.lock(m, [...voids, ...originals].map((r) => [r.originalCode!, r.originalNumber!]));
    const redFlushedHere = new Set(originals.map((r) => keyOf(r.originalCode!, r.originalNumber!)));
    const errors: RowError[] = [];
    /** Signatures to check, on the thread pool, once the rows' other rules are applied. */
    const signatures: { row: number; check: () => Promise<boolean>; error: RowError }[] = [];
    /** A row whose seal fails was changed outside the platform: it is not changed further (nor re-sealed) by an import. */
    const sealFails = (row: number, key: string, target: LockedInvoice, what: string) =>
      !this.sealer.holds(target.sealed, target.seal) &&
      errors.push(rowError(row, 'originalNumber', what === 'voided' ? 'alteredCannotVoid' : 'alteredCannotRedFlush', `invoice ${key} in the register fails its seal (it was altered outside the platform): it cannot be ${what} until finance has looked into it`, { invoice: key }));
    const seen = new Set<string>();
    const voidedHere = new Set<string>();
    rows.forEach((r, i) => {
      const row = i + 1;
      const issuer = issuers.get(r.issuerCode);
      if (isVoid[i]) {
        const key = keyOf(r.originalCode!, r.originalNumber!);
        const target = locked.get(key);
        if (!target) return errors.push(rowError(row, 'originalNumber', 'voidTargetMissing', `the void points to ${key}, which is not in the register`, { invoice: key }));
        if (voidedHere.has(key)) return errors.push(rowError(row, 'originalNumber', 'voidedTwice', `invoice ${key} is voided twice in this file`, { invoice: key }));
        voidedHere.add(key);
        if (target.status !== 'normal') errors.push(target.status === 'voided' ? rowError(row, 'status', 'alreadyVoided', `invoice ${key} is already voided`, { invoice: key }) : rowError(row, 'status', 'alreadyRedFlushed', `invoice ${key} is already red-flushed`, { invoice: key }));
        else if (redFlushedHere.has(key)) errors.push(rowError(row, 'originalNumber', 'redFlushedInFile', `invoice ${key} is red-flushed by a red ticket in this file: it cannot be voided too`, { invoice: key }));
        sealFails(row, key, target, 'voided');
        // The issuer voids the invoice as it issued it: the same fields, signed as a void.
        const registered = { checkCode: target.check_code, kind: target.kind, issuedOn: target.issued_on, amountFen: Number(target.amount_fen), issuerCode: target.issuer_code, payerName: target.payer_name };
        for (const [field, value] of Object.entries(registered)) {
          const given = field === 'checkCode' ? r.checkCode.toLowerCase() : r[field as keyof typeof registered];
          if (given !== value) errors.push(rowError(row, field, 'differsFromRegister', `${field} differs from invoice ${key} in the register`, { invoice: key }));
        }
        if (issuer === undefined) errors.push(rowError(row, 'issuerCode', 'issuerUnknown', `issuer ${r.issuerCode} is not registered`, { issuer: r.issuerCode }));
        else if (!issuer) errors.push(rowError(row, 'signature', 'voidSignatureInvalid', 'the issuer’s signature of the void does not verify'));
        else signatures.push({ row, check: () => signatureValid(r, issuer, canonicalVoid(r)), error: rowError(row, 'signature', 'voidSignatureInvalid', 'the issuer’s signature of the void does not verify') });
        return;
      }
      const key = keyOf(r.code, r.number);
      if (existing.has(key) || seen.has(key)) errors.push(rowError(row, 'number', 'alreadyInRegister', `invoice ${key} is already in the register`, { invoice: key }));
      seen.add(key);
      if (issuer === undefined) errors.push(rowError(row, 'issuerCode', 'issuerUnknown', `issuer ${r.issuerCode} is not registered`, { issuer: r.issuerCode }));
      else if (!issuer) errors.push(rowError(row, 'signature', 'signatureInvalid', 'the issuer’s signature does not verify'));
      else signatures.push({ row, check: () => signatureValid(r, issuer), error: rowError(row, 'signature', 'signatureInvalid', 'the issuer’s signature does not verify') });
    });
    for (let at = 0; at < signatures.length; at += SIGNATURE_CHECKS_IN_FLIGHT) {
      const slice = signatures.slice(at, at + SIGNATURE_CHECKS_IN_FLIGHT);
      const valid = await Promise.all(slice.map((s) => s.check()));
      slice.forEach((s, k) => valid[k] || errors.push(s.error));
    }
    // A red ticket cancels one normal invoice of its own issuer, once.
    const fileRecords = new Map(issued.map((r) => [keyOf(r.code, r.number), r]));
    const redFlushedBy = new Map<string, number>();
    rows.forEach((r, i) => {
      if (isVoid[i] || !r.originalCode || !r.originalNumber) return;
      const row = i + 1;
      const original = keyOf(r.originalCode, r.originalNumber);
      const target = locked.get(original);
      const inFile = fileRecords.get(original);
      if (original === keyOf(r.code, r.number)) return errors.push(rowError(row, 'originalNumber', 'redTicketOwnOriginal', 'a red ticket cannot point to itself'));
      if (!target && !inFile) return errors.push(rowError(row, 'originalNumber', 'originalMissing', `the red ticket points to ${original}, which is not in the register`, { invoice: original }));
      const originalIssuer = target?.issuer_code ?? inFile!.issuerCode;
      if (originalIssuer !== r.issuerCode) errors.push(rowError(row, 'issuerCode', 'originalOfOtherIssuer', `invoice ${original} was issued by ${originalIssuer}: only its issuer red-flushes it`, { invoice: original, issuer: originalIssuer }));
      const first = redFlushedBy.get(original);
      if (first !== undefined) errors.push(rowError(row, 'originalNumber', 'redFlushedTwice', `invoice ${original} is red-flushed by row ${first} of this file already`, { invoice: original, row: first }));
      else redFlushedBy.set(original, row);
      const status = target?.status ?? inFile!.status;
      if (status === 'voided') errors.push(rowError(row, 'status', 'alreadyVoided', `invoice ${original} is already voided`, { invoice: original }));
      else if (status === 'red_flushed') errors.push(rowError(row, 'status', 'alreadyRedFlushed', `invoice ${original} is already red-flushed`, { invoice: original }));
      else if (target) sealFails(row, original, target, 'red-flushed');
    });
    if (errors.length) return { imported: 0, errors: errors.sort((a, b) => a.row - b.row) };
    // An invoice another import put in the register since it was looked up (committed meanwhile, or
    // waited for) is not inserted again: its row is refused as already in the register.
    const rowOf = new Map(rows.map((r, i) => [keyOf(r.code, r.number), i + 1]));
    const late: RowError[] = [];
    for (let at = 0; at < issued.length; at += INSERT_BATCH) {
      const batch = issued.slice(at, at + INSERT_BATCH);
      const column = <T>(f: (r: InvoiceRecord) => T) => batch.map(f);
      const inserted: { k: string }[] = await m.query(
        `INSERT INTO invoice (code, number, check_code, kind, issued_on, amount_fen, issuer_code, payer_name, status, original_code, original_number, signature, seal)
         SELECT * FROM unnest($1::bpchar[], $2::bpchar[], $3::bpchar[], $4::text[], $5::date[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::bpchar[], $11::bpchar[], $12::text[], $13::text[])
         ON CONFLICT (code, number) DO NOTHING RETURNING code || '/' || number AS k`,
        [
          column((r) => r.code),
          column((r) => r.number),
          column((r) => r.checkCode.toLowerCase()),
          column((r) => r.kind),
          column((r) => r.issuedOn),
          column((r) => r.amountFen),
          column((r) => r.issuerCode),
          column((r) => r.payerName),
          column((r) => r.status),
          column((r) => r.originalCode ?? null),
          column((r) => r.originalNumber ?? null),
          column((r) => r.signature.toLowerCase()),
          column((r) => this.sealer.seal(Sealer.signed(canonicalInvoice(r), r.signature), r.status)),
        ],
      );
      if (inserted.length < batch.length) {
        const written = new Set(inserted.map((x) => x.k));
        for (const r of batch) {
          const key = keyOf(r.code, r.number);
          if (!written.has(key)) late.push(rowError(rowOf.get(key)!, 'number', 'alreadyInRegister', `invoice ${key} is already in the register`, { invoice: key }));
        }
      }
    }
    if (late.length) throw new RefusedRows(late);
    // The new status of each invoice a red ticket or a void changes (a normal one only), re-sealed with it.
    const changed = new Map<string, { code: string; number: string; signed: string; status: InvoiceStatus }>();
    for (const r of [...originals, ...voids]) {
      const key = keyOf(r.originalCode!, r.originalNumber!);
      const inRegister = locked.get(key);
      const inFile = fileRecords.get(key);
      const current = changed.get(key)?.status ?? inRegister?.status ?? inFile!.status;
      if (current !== 'normal') continue;
      const signed = inRegister ? inRegister.signed : Sealer.signed(canonicalInvoice(inFile!), inFile!.signature);
      changed.set(key, { code: r.originalCode!, number: r.originalNumber!, signed, status: isVoidRecord(r) ? 'voided' : 'red_flushed' });
    }
    if (changed.size) {
      const updates = [...changed.values()];
      await m.query(
        `UPDATE invoice i SET status = u.status, seal = u.seal, seal_version = 2
           FROM unnest($1::bpchar[], $2::bpchar[], $3::text[], $4::text[]) AS u(code, number, status, seal)
          WHERE i.code = u.code AND i.number = u.number`,
        [pgArray(updates.map((u) => u.code)), pgArray(updates.map((u) => u.number)), pgArray(updates.map((u) => u.status)), pgArray(updates.map((u) => this.sealer.seal(u.signed, u.status)))],
      );
    }
    await audit(m, { actor, action: 'invoice.import', target: `${issued.length} invoices, ${voids.length} voids`, outcome: 'succeeded' });
    return { imported: rows.length, errors: [] };
  }

  /** The register's rows for these code/number pairs, locked for update, by `code/number`. */
  private async lock(m: EntityManager, pairs: [string, string][]): Promise<Map<string, LockedInvoice>> {
    if (!pairs.length) return new Map();
    const rows: LockedInvoice[] = await m.query(
      `SELECT i.code, i.number, i.check_code, i.kind, to_char(i.issued_on, 'YYYY-MM-DD') AS issued_on, i.amount_fen, i.issuer_code, i.payer_name, i.status,
              ${SIGNED_SQL} AS signed, ${SEALED_SQL} AS sealed, i.seal
         FROM invoice i WHERE (i.code, i.number) IN (SELECT * FROM unnest($1::bpchar[], $2::bpchar[])) FOR UPDATE`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return new Map(rows.map((r) => [`${r.code}/${r.number}`, r]));
  }

  /** Which of these code/number pairs the register already holds, as `code/number` keys. */
  private async registered(m: EntityManager, pairs: [string, string][]): Promise<Set<string>> {
    const rows: { k: string }[] = await m.query(
      `SELECT code || '/' || number AS k FROM invoice WHERE (code, number) IN (SELECT * FROM unnest($1::bpchar[], $2::bpchar[]))`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return new Set(rows.map((x) => x.k));
  }
}

/** Why an import file stopped, as its record keeps it. */
function failureOf(e: unknown): { code: NonNullable<InvoiceImportSummary['failureCode']>; message: string } {
  if (e instanceof IntegrityError) return { code: 'fileAltered', message: 'The stored file no longer matches the digests taken when it was received; nothing was imported.' };
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { code: 'fileMissing', message: 'The file is missing from the store; nothing was imported.' };
  return { code: 'importStopped', message: `The import stopped (${(e as Error).message}); nothing was imported.` };
}

function summary(r: ImportRow): InvoiceImportSummary {
  return {
    id: r.id,
    fileName: r.file_name,
    format: r.format,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    sm3: r.sm3,
    status: r.status,
    imported: r.imported,
    errorCount: r.error_count,
    failureCode: r.failure_code,
    failure: r.failure,
    importedBy: r.imported_by,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/**
 * The shape of one row (an object from a CSV line or a JSON line), its problems added to `errors`.
 * Text with NUL or unpaired surrogates is refused here, as the gateway refuses it in any request:
 * the database cannot keep the one, and the other is not text an issuer signed.
 */
function checkRow(o: Record<string, unknown>, row: number, errors: RowError[]): InvoiceRecord {
  const str = (k: string) => (o[k] === undefined || o[k] === null || o[k] === '' ? undefined : String(o[k]));
  const check = (field: string, ok: boolean, code: string, message: string) => ok || errors.push(rowError(row, field, code, message));
  const r = {
    code: str('code') ?? '',
    number: str('number') ?? '',
    checkCode: str('checkCode') ?? '',
    kind: str('kind') as InvoiceRecord['kind'],
    issuedOn: str('issuedOn') ?? '',
    amountFen: Number(str('amountFen')),
    issuerCode: str('issuerCode') ?? '',
    payerName: str('payerName') ?? '',
    status: (str('status') ?? 'normal') as InvoiceRecord['status'],
    originalCode: str('originalCode'),
    originalNumber: str('originalNumber'),
    signature: str('signature') ?? '',
  };
  for (const [field, value] of Object.entries(r)) {
    if (typeof value !== 'string') continue;
    if (value.includes('\u0000')) check(field, false, 'noNulCharacter', `${field} must not contain the NUL character`);
    else check(field, value.isWellFormed(), 'wellFormedText', `${field} must be well-formed text (no unpaired surrogate)`);
  }
  check('code', INVOICE_CODE.test(r.code), 'codeFormat', 'code must be 8 digits, the 3rd and 4th being 06');
  check('number', INVOICE_NUMBER.test(r.number), 'numberFormat', 'number must be 10 digits');
  check('checkCode', CHECK_CODE.test(r.checkCode), 'checkCodeFormat', 'checkCode must be 6 hexadecimal characters');
  check('kind', (INVOICE_KINDS as readonly string[]).includes(r.kind), 'kindInvalid', `kind must be ${INVOICE_KINDS.join(' or ')}`);
  check('issuedOn', /^\d{4}-\d{2}-\d{2}$/.test(r.issuedOn) && isISO8601(r.issuedOn, { strict: true }), 'issuedOnInvalid', 'issuedOn must be a date of the calendar like 2026-03-02');
  check('amountFen', Number.isInteger(r.amountFen) && r.amountFen >= 0 && r.amountFen <= MAX_AMOUNT_FEN, 'amountInvalid', `amountFen must be a whole number of fen, at most ${MAX_AMOUNT_FEN}`);
  check('payerName', r.payerName.length > 0, 'payerNameMissing', 'payerName is required');
  check('status', (INVOICE_STATUSES as readonly string[]).includes(r.status) && r.status !== 'red_flushed', 'statusInvalid', 'status is normal or voided (red flushing comes from the red ticket)');
  check('originalNumber', !r.originalCode === !r.originalNumber, 'originalIncomplete', 'a red ticket or a void names both originalCode and originalNumber');
  if (isVoidRecord(r)) check('originalNumber', r.code === r.originalCode && r.number === r.originalNumber, 'voidNotNewTicket', 'a void is not a new ticket: its code and number are those of the invoice it voids');
  return r;
}
