import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, isInt, IsISO8601, isISO8601, IsOptional, IsString, isString, IsUUID, Length, length, Matches, matches, Max, max, MaxLength, Min, min } from 'class-validator';
import { FieldError } from './errors';
import { commandSubject } from './services';
import { fieldError } from './validation';

/** Medical-fee electronic invoices (医疗收费电子票据) and finance's verification of them. */
export const InvoiceSubjects = {
  registerIssuer: commandSubject('invoices', 'issuer', 'register'),
  issuers: commandSubject('invoices', 'issuer', 'list'),
  importInvoices: commandSubject('invoices', 'invoice', 'import'),
  importTicket: commandSubject('invoices', 'import', 'ticket'),
  importFile: commandSubject('invoices', 'import', 'accept'),
  imports: commandSubject('invoices', 'import', 'list'),
  importOne: commandSubject('invoices', 'import', 'get'),
  importDownload: commandSubject('invoices', 'import', 'download'),
  verify: commandSubject('invoices', 'invoice', 'verify'),
  verifications: commandSubject('invoices', 'verification', 'list'),
  verifyBatch: commandSubject('invoices', 'invoice', 'verify_batch'),
  receipt: commandSubject('invoices', 'verification', 'receipt'),
  receiptKey: commandSubject('invoices', 'receipt_key', 'get'),
} as const;

/**
 * Invoices a batch request sends to the service at a time (the rest of the batch streams after).
 * A chunk and its reply each stay well under NATS's 1 MiB message limit: an item is at most about
 * 200 bytes of JSON, a result about 40 (see VerifyChunkReply), and a reply that would still be too
 * large is refused before anything is recorded, so the gateway splits the chunk and asks again.
 */
export const VERIFY_CHUNK = 2500;
/** The most invoices one batch request may hold. */
export const MAX_BATCH = 5000;

export const INVOICE_KINDS = ['outpatient', 'inpatient'] as const;
/** 正常 / 作废 / 冲红 */
export const INVOICE_STATUSES = ['normal', 'voided', 'red_flushed'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** 票据代码: 8 digits, the first two the province, then 06. */
export const INVOICE_CODE = /^\d{2}06\d{4}$/;
/** 票据号码 */
export const INVOICE_NUMBER = /^\d{10}$/;
/** 校验码 */
export const CHECK_CODE = /^[0-9a-fA-F]{6}$/;

export class RegisterIssuerDto {
  @ApiProperty({ example: 'H62070200001', description: 'The issuing unit (收款单位), by its designated-institution code' })
  @Matches(/^H[1-9]\d{10}$/)
  code: string;

  @ApiProperty({ example: '张掖市人民医院' })
  @IsString()
  @Length(2, 100)
  name: string;

  @ApiProperty({ description: 'The issuer’s SM2 public key, PEM (SubjectPublicKeyInfo)' })
  @IsString()
  @Matches(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/, { message: 'publicKeyPem must be a PEM public key' })
  @MaxLength(2000)
  publicKeyPem: string;
}

/** A registered issuing unit as finance sees it: its key by the SM3 fingerprint of the key (SubjectPublicKeyInfo, DER). */
export interface IssuerView {
  code: string;
  name: string;
  keyFingerprint: string;
  registeredBy: string;
  registeredAt: string;
}

/** One issued invoice as the issuer reports it (one JSON line, or one CSV row with these columns). */
export interface InvoiceRecord {
  code: string;
  number: string;
  checkCode: string;
  kind: (typeof INVOICE_KINDS)[number];
  issuedOn: string;
  amountFen: number;
  issuerCode: string;
  payerName: string;
  status: InvoiceStatus;
  /** For a red ticket (冲红票据): the invoice it cancels. */
  originalCode?: string;
  originalNumber?: string;
  /** Hex of the issuer's SM2 signature over the canonical fields (see canonicalInvoice). */
  signature: string;
}

/** A date as a ticket prints it and the register keeps it. */
const CIVIL_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The largest amount an invoice may carry, in fen (10 billion yuan): more is a typing or file error. */
export const MAX_AMOUNT_FEN = 1e12;

export const INVOICE_CSV_COLUMNS = ['code', 'number', 'checkCode', 'kind', 'issuedOn', 'amountFen', 'issuerCode', 'payerName', 'status', 'originalCode', 'originalNumber', 'signature'] as const;

/** The bytes an issuer signs: the fields that identify and price the ticket, in a fixed order. */
export function canonicalInvoice(r: Pick<InvoiceRecord, 'code' | 'number' | 'checkCode' | 'kind' | 'issuedOn' | 'amountFen' | 'issuerCode' | 'payerName'>): string {
  return [r.code, r.number, r.checkCode.toLowerCase(), r.kind, r.issuedOn, String(r.amountFen), r.issuerCode, r.payerName].join('|');
}

/**
 * The bytes an issuer signs to void (作废) an invoice it issued earlier: the invoice's canonical
 * fields and `|voided`. A void record is a row with status `voided` whose originalCode and
 * originalNumber name the invoice (its own code and number are the same: a void is not a new
 * ticket). The suffix keeps the invoice's own signature from passing for a void.
 */
export function canonicalVoid(r: Parameters<typeof canonicalInvoice>[0]): string {
  return `${canonicalInvoice(r)}|voided`;
}

/** A row of an import that voids an invoice already in the register (rather than registering one). */
export function isVoidRecord(r: Pick<InvoiceRecord, 'status' | 'originalCode' | 'originalNumber'>): boolean {
  return r.status === 'voided' && !!r.originalCode && !!r.originalNumber;
}

export class ImportInvoicesDto {
  @ApiProperty({ enum: ['csv', 'jsonl'] })
  @IsIn(['csv', 'jsonl'])
  format: 'csv' | 'jsonl';

  @ApiProperty({ description: 'The file: CSV with a header row of the columns, or one JSON object per line' })
  @IsString()
  @MaxLength(400_000)
  content: string;
}

/** The most invoices one JSON import (POST /invoices/imports, its `content`) may hold; larger batches come as a file. */
export const MAX_IMPORT_ROWS = 20_000;
/** The most invoices one import file (POST /invoices/imports/files) may hold. */
export const MAX_IMPORT_FILE_ROWS = 200_000;
/** The refused rows an import file's record keeps (with the count of all of them). */
export const MAX_IMPORT_FILE_ERRORS = 1000;

/** An import file's state: waiting or being imported, in the register, refused for its rows, or stopped (the file unreadable or changed in the store). */
export const INVOICE_IMPORT_STATUSES = ['pending', 'imported', 'refused', 'failed'] as const;
export type InvoiceImportStatus = (typeof INVOICE_IMPORT_STATUSES)[number];

/** The query of an import file's upload: its format and its name as finance received it. */
export class ImportFileQuery {
  @ApiProperty({ enum: ['csv', 'jsonl'] })
  @IsIn(['csv', 'jsonl'])
  format: 'csv' | 'jsonl';

  @ApiProperty({ example: '张掖市人民医院-2026-11.csv', description: 'The file’s name, kept with the import’s record' })
  @IsString()
  @Length(1, 255)
  name: string;
}

/** The service's leave to store an import file: under which key, and how large it may be. */
export interface ImportFileTicket {
  id: string;
  storageKey: string;
  maxBytes: number;
}

/** What the gateway stored: the ticket's id and key, and the digests it computed on the way in (the service recomputes them). */
export class ImportFileStoredDto extends ImportFileQuery {
  @IsUUID()
  id: string;

  @IsString()
  @MaxLength(200)
  storageKey: string;

  @Matches(/^[0-9a-f]{64}$/)
  sha256: string;

  @Matches(/^[0-9a-f]{64}$/)
  sm3: string;

  @IsInt()
  @Min(0)
  sizeBytes: number;
}

/** One import file, by its id. */
export class ImportIdDto {
  @IsUUID()
  id: string;
}

/** An import file as finance's list shows it. */
export interface InvoiceImportSummary {
  id: string;
  fileName: string;
  format: 'csv' | 'jsonl';
  sizeBytes: number;
  sha256: string;
  sm3: string;
  status: InvoiceImportStatus;
  /** Rows put in the register (0 unless imported). */
  imported: number;
  /** Refused rows (all of them; `errors` keeps the first MAX_IMPORT_FILE_ERRORS). */
  errorCount: number;
  /** Why a failed import stopped: `fileAltered` (the stored bytes no longer match their digests), `fileMissing`, `importStopped` (anything else, said in `failure`). */
  failureCode: 'fileAltered' | 'fileMissing' | 'importStopped' | null;
  failure: string | null;
  importedBy: string;
  createdAt: string;
  finishedAt: string | null;
}

/** One import file with its refused rows (as ImportResult's errors). */
export interface InvoiceImportView extends InvoiceImportSummary {
  errors: ImportResult['errors'];
}

export interface ImportResult {
  imported: number;
  /**
   * Nothing is imported when any row is refused: fix these and send the file again. Row 0 is the
   * file itself. `code` names the rule (stable, camelCase: `signatureInvalid`, `alreadyInRegister`,
   * `issuerUnknown`, `codeFormat` …, docs/architecture.md "Errors") for clients that say it in their
   * own words; `message` is the English sentence; `params` the values it names (`invoice` as
   * code/number, `issuer`, `max`, `columns`).
   */
  errors: { row: number; field: string; code: string; message: string; params?: Record<string, string | number> }[];
}

export class VerifyInvoiceDto {
  @ApiProperty({ example: '62060126' })
  @Matches(INVOICE_CODE, { message: 'code must be 8 digits, the 3rd and 4th being 06 (e.g. 62060126)' })
  code: string;

  @ApiProperty({ example: '0000012345' })
  @Matches(INVOICE_NUMBER, { message: 'number must be 10 digits' })
  number: string;

  @ApiProperty({ example: '1a9c3f' })
  @Matches(CHECK_CODE, { message: 'checkCode must be 6 hexadecimal characters' })
  checkCode: string;

  @ApiPropertyOptional({ example: '2026-03-02', description: 'The date printed on the ticket, YYYY-MM-DD' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(CIVIL_DATE_PATTERN, { message: 'issuedOn must be a date written YYYY-MM-DD, as on the ticket' })
  issuedOn?: string;

  @ApiPropertyOptional({ example: 128350 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_FEN)
  amountFen?: number;

  @ApiPropertyOptional({ description: 'The settlement or case this invoice is claimed in: the same invoice claimed in two is flagged' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  claimRef?: string;
}

const VERIFY_FIELDS = new Set(['code', 'number', 'checkCode', 'issuedOn', 'amountFen', 'claimRef']);

/**
 * The rules of VerifyInvoiceDto for the batch path, without class-transformer and class-validator's
 * metadata walk (which cost more than the verification itself): the same validator functions, the
 * same messages and codes, in the same order, so an item gets the same per-item errors as a single request.
 * Returns the item (absent optional fields, null included, left out) or its field errors.
 */
export function checkVerifyItem(raw: unknown): { item: VerifyInvoiceDto; errors?: undefined } | { item?: undefined; errors: FieldError[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { errors: [{ field: '(body)', messages: ['the body must be a JSON object'] }] };
  const o = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const k of Object.keys(o)) if (!VERIFY_FIELDS.has(k)) errors.push(fieldError(k, { whitelistValidation: `property ${k} should not exist` }));
  if (!matches(o.code as string, INVOICE_CODE)) errors.push(fieldError('code', { matches: 'code must be 8 digits, the 3rd and 4th being 06 (e.g. 62060126)' }));
  if (!matches(o.number as string, INVOICE_NUMBER)) errors.push(fieldError('number', { matches: 'number must be 10 digits' }));
  if (!matches(o.checkCode as string, CHECK_CODE)) errors.push(fieldError('checkCode', { matches: 'checkCode must be 6 hexadecimal characters' }));
  const given = (v: unknown) => v !== undefined && v !== null;
  if (given(o.issuedOn)) {
    // Compared with the register's date as written: another ISO 8601 form of the same day would be a false mismatch.
    const m: Record<string, string> = {};
    if (!matches(o.issuedOn as string, CIVIL_DATE_PATTERN)) m.matches = 'issuedOn must be a date written YYYY-MM-DD, as on the ticket';
    if (!isISO8601(o.issuedOn, { strict: true })) m.isIso8601 = 'issuedOn must be a valid ISO 8601 date string';
    if (Object.keys(m).length) errors.push(fieldError('issuedOn', m));
  }
  if (given(o.amountFen)) {
    const m: Record<string, string> = {};
    if (!max(o.amountFen, MAX_AMOUNT_FEN)) m.max = `amountFen must not be greater than ${MAX_AMOUNT_FEN}`;
    if (!min(o.amountFen, 0)) m.min = 'amountFen must not be less than 0';
    if (!isInt(o.amountFen)) m.isInt = 'amountFen must be an integer number';
    if (Object.keys(m).length) errors.push(fieldError('amountFen', m));
  }
  if (given(o.claimRef)) {
    const m: Record<string, string> = {};
    if (!length(o.claimRef, 1, 100)) {
      // Which of Length's messages, chosen as class-validator chooses it.
      const v = o.claimRef as { length?: number };
      m.isLength = !v || (v.length as number) < 1 ? 'claimRef must be longer than or equal to 1 characters' : (v.length as number) > 100 ? 'claimRef must be shorter than or equal to 100 characters' : 'claimRef must be longer than or equal to 1 and shorter than or equal to 100 characters';
    }
    if (!isString(o.claimRef)) m.isString = 'claimRef must be a string';
    if (Object.keys(m).length) errors.push(fieldError('claimRef', m));
  }
  if (errors.length) return { errors };
  const item = { code: o.code, number: o.number, checkCode: o.checkCode } as VerifyInvoiceDto;
  if (given(o.issuedOn)) item.issuedOn = o.issuedOn as string;
  if (given(o.amountFen)) item.amountFen = o.amountFen as number;
  if (given(o.claimRef)) item.claimRef = o.claimRef as string;
  return { item };
}

export type Verdict = 'valid' | 'not_found' | 'mismatch' | 'red_flushed' | 'voided' | 'bad_signature';

export interface VerificationResult {
  verificationId: number;
  verdict: Verdict;
  /** With `mismatch`: the fields that differ from the register. */
  differences: string[];
  /** How many times this invoice has been checked (this one included), and by which agencies. */
  timesChecked: number;
  checkedBy: string[];
  /** Claimed under more than one settlement or case. */
  reused: boolean;
  otherClaims: number;
}

/**
 * What the service answers for a chunk of a batch: one compact tuple per item, in order, with the
 * agencies that checked each invoice as positions in `agencies` (so a reply stays small). The
 * gateway writes each as a VerificationResult line.
 */
export interface VerifyChunkReply {
  agencies: string[];
  /** [verificationId, verdict, differences, timesChecked, positions in `agencies`, reused, otherClaims] */
  results: [number, Verdict, string[], number, number[], boolean, number][];
}

export class BatchVerificationDto {
  @ApiPropertyOptional({ description: 'The invoices as JSON objects (code, number, checkCode, issuedOn?, amountFen?, claimRef?)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BATCH)
  items?: unknown[];

  @ApiPropertyOptional({ description: 'Or the invoices as CSV with a header row: code,number,checkCode[,issuedOn,amountFen,claimRef]' })
  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  csv?: string;
}

/** Which verifications to list (GET /invoices/verifications): each given field narrows the newest 500 to those matching. */
export class VerificationsQueryDto {
  @ApiPropertyOptional({ example: '62060126' })
  @IsOptional()
  @Matches(INVOICE_CODE, { message: 'code must be 8 digits, the 3rd and 4th being 06 (e.g. 62060126)' })
  code?: string;

  @ApiPropertyOptional({ example: '0000012345' })
  @IsOptional()
  @Matches(INVOICE_NUMBER, { message: 'number must be 10 digits' })
  number?: string;

  @ApiPropertyOptional({ description: 'The settlement or case the verification was asked for' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  claimRef?: string;
}

/** A recorded verification as GET /invoices/verifications lists it (finance: all; another agency: its own). */
export interface VerificationRecord {
  id: number;
  code: string;
  number: string;
  verdict: Verdict;
  agencyId: string;
  claimRef: string | null;
  at: string;
}

/** A verification receipt to file as evidence of a case (POST /cases/{id}/evidence/invoice-receipts). */
export class AttachVerificationReceiptDto {
  @ApiProperty({ example: 8193, description: 'The verification (of the caller’s agency) whose signed receipt becomes evidence' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  verificationId: number;
}

/** The evidence file name of a verification's receipt: one per verification and case. */
export const verificationReceiptFileName = (verificationId: number) => `发票查验回执-${verificationId}.json`;

/** A verification receipt: the canonical JSON finance signed, the signature, and the key to check it with offline. */
export interface VerificationReceipt {
  /** Canonical JSON of { verificationId, code, number, verdict, differences, agencyId, claimRef, at, issuer }. */
  receipt: string;
  /** Hex of finance's SM2 signature over the SM3 digest of `receipt` (UTF-8). */
  signature: string;
  publicKeyPem: string;
}
