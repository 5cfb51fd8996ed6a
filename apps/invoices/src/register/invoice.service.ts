import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import { KeyObject } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  AgencyKind,
  CHECK_CODE,
  DomainError,
  ErrorCode,
  ImportInvoicesDto,
  ImportResult,
  INVOICE_CODE,
  INVOICE_CSV_COLUMNS,
  INVOICE_KINDS,
  INVOICE_NUMBER,
  INVOICE_STATUSES,
  InvoiceRecord,
  MessageContext,
  RegisterIssuerDto,
  VerificationResult,
  Verdict,
  VerifyInvoiceDto,
} from '@lianban/contracts';
import { requireOfficer } from '@lianban/authz';
import { audit } from '@lianban/persistence';
import { VerificationLimiter } from './rate-limit';
import { seal, SEAL_KEY, sealHolds, signatureValid, sm2PublicKey } from './signature';

type RowError = ImportResult['errors'][number];

interface StoredInvoice {
  code: string;
  number: string;
  check_code: string;
  kind: InvoiceRecord['kind'];
  issued_on: string;
  amount_fen: string;
  issuer_code: string;
  payer_name: string;
  status: InvoiceRecord['status'];
  signature: string;
  seal: string;
}

/**
 * Finance's register of medical-fee e-invoices and the verifications the other agencies ask of it.
 * Only finance registers issuers and imports; any agency's officer verifies, and sees its own
 * verifications (finance sees all). Nothing here holds case contents: a claim is a reference.
 */
@Injectable()
export class InvoiceService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly limiter: VerificationLimiter,
    @Inject(SEAL_KEY) private readonly sealKey: Buffer,
  ) {}

  private finance(ctx: MessageContext): void {
    if (ctx.actor.kind !== 'officer' || ctx.actor.agencyKind !== AgencyKind.FINANCE) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only finance keeps the invoice register.');
    }
  }

  private officer(ctx: MessageContext): { officerId: string; agencyId: string } {
    return requireOfficer(ctx.actor, 'Invoices are verified by officers of an agency.');
  }

  async registerIssuer(dto: RegisterIssuerDto, ctx: MessageContext): Promise<{ code: string; name: string }> {
    this.finance(ctx);
    if (!sm2PublicKey(dto.publicKeyPem)) throw DomainError.validation([{ field: 'publicKeyPem', messages: ['the key is not an SM2 public key'] }]);
    return this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO issuer (code, name, public_key_pem, registered_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET name = $2, public_key_pem = $3, registered_by = $4, registered_at = now()`,
        [dto.code, dto.name, dto.publicKeyPem, ctx.actor.id],
      );
      await audit(m, { actor: ctx.actor, action: 'invoice.register_issuer', target: dto.code, outcome: 'succeeded' });
      return { code: dto.code, name: dto.name };
    });
  }

  /** All rows or none: any refused row refuses the file, with every row's problems listed. */
  async import(dto: ImportInvoicesDto, ctx: MessageContext): Promise<ImportResult> {
    this.finance(ctx);
    const rows = this.parse(dto);
    if ('errors' in rows) return { imported: 0, errors: rows.errors };
    return this.ds.transaction(async (m) => {
      const issuers = new Map<string, KeyObject | null>();
      for (const { public_key_pem, code } of await m.query(`SELECT code, public_key_pem FROM issuer WHERE code = ANY($1)`, [[...new Set(rows.map((r) => r.issuerCode))]])) {
        issuers.set(code, sm2PublicKey(public_key_pem));
      }
      const keys = rows.map((r) => `${r.code}/${r.number}`);
      const fileKeys = new Set(keys);
      const existing = await this.registered(m, rows.map((r) => [r.code, r.number]));
      const errors: RowError[] = [];
      const seen = new Set<string>();
      rows.forEach((r, i) => {
        const row = i + 1;
        const key = keys[i];
        if (existing.has(key) || seen.has(key)) errors.push({ row, field: 'number', message: `invoice ${key} is already in the register` });
        seen.add(key);
        const issuer = issuers.get(r.issuerCode);
        if (issuer === undefined) errors.push({ row, field: 'issuerCode', message: `issuer ${r.issuerCode} is not registered` });
        else if (!issuer || !signatureValid(r, issuer)) errors.push({ row, field: 'signature', message: 'the issuer’s signature does not verify' });
      });
      // A red ticket cancels an invoice of the register or of this file.
      const originals = rows.filter((r) => r.originalCode && r.originalNumber);
      if (originals.length) {
        const known = await this.registered(m, originals.map((r) => [r.originalCode!, r.originalNumber!]));
        rows.forEach((r, i) => {
          const original = `${r.originalCode}/${r.originalNumber}`;
          if (r.originalCode && r.originalNumber && !known.has(original) && !fileKeys.has(original)) {
            errors.push({ row: i + 1, field: 'originalNumber', message: `the red ticket points to ${r.originalCode}/${r.originalNumber}, which is not in the register` });
          }
        });
      }
      if (errors.length) return { imported: 0, errors: errors.sort((a, b) => a.row - b.row) };
      for (const r of rows) {
        await m.query(
          `INSERT INTO invoice (code, number, check_code, kind, issued_on, amount_fen, issuer_code, payer_name, status, original_code, original_number, signature, seal)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [r.code, r.number, r.checkCode.toLowerCase(), r.kind, r.issuedOn, r.amountFen, r.issuerCode, r.payerName, r.status, r.originalCode ?? null, r.originalNumber ?? null, r.signature.toLowerCase(), seal(this.sealKey, r)],
        );
      }
      for (const r of originals) {
        await m.query(`UPDATE invoice SET status = 'red_flushed' WHERE code = $1 AND number = $2 AND status = 'normal'`, [r.originalCode, r.originalNumber]);
      }
      await audit(m, { actor: ctx.actor, action: 'invoice.import', target: `${rows.length} invoices`, outcome: 'succeeded' });
      return { imported: rows.length, errors: [] };
    });
  }

  /** Which of these code/number pairs the register already holds, as `code/number` keys. */
  private async registered(m: EntityManager, pairs: [string, string][]): Promise<Set<string>> {
    const rows: { k: string }[] = await m.query(
      `SELECT code || '/' || number AS k FROM invoice WHERE (code, number) IN (SELECT * FROM unnest($1::bpchar[], $2::bpchar[]))`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return new Set(rows.map((x) => x.k));
  }

  /** Reads and checks the file's rows; the shape of each row, before anything is looked up. */
  private parse(dto: ImportInvoicesDto): InvoiceRecord[] | { errors: RowError[] } {
    const errors: RowError[] = [];
    let raw: Record<string, unknown>[] = [];
    try {
      raw =
        dto.format === 'csv'
          ? parse(dto.content, { columns: true, skip_empty_lines: true, trim: true })
          : dto.content
              .split('\n')
              .filter((l) => l.trim())
              .map((l, i) => {
                try {
                  return JSON.parse(l);
                } catch {
                  errors.push({ row: i + 1, field: '(line)', message: 'not a JSON object' });
                  return {};
                }
              });
    } catch (e) {
      return { errors: [{ row: 0, field: '(file)', message: `the CSV cannot be read: ${(e as Error).message}` }] };
    }
    if (dto.format === 'csv' && raw.length && Object.keys(raw[0]).some((c) => !(INVOICE_CSV_COLUMNS as readonly string[]).includes(c))) {
      return { errors: [{ row: 0, field: '(header)', message: `the columns are ${INVOICE_CSV_COLUMNS.join(',')}` }] };
    }
    if (raw.length === 0) return { errors: [{ row: 0, field: '(file)', message: 'the file holds no invoices' }] };
    if (raw.length > 20_000) return { errors: [{ row: 0, field: '(file)', message: 'at most 20,000 invoices per file' }] };
    const records = raw.map((o, i) => {
      const row = i + 1;
      const str = (k: string) => (o[k] === undefined || o[k] === null || o[k] === '' ? undefined : String(o[k]));
      const check = (field: string, ok: boolean, message: string) => ok || errors.push({ row, field, message });
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
      check('code', INVOICE_CODE.test(r.code), 'code must be 8 digits, the 3rd and 4th being 06');
      check('number', INVOICE_NUMBER.test(r.number), 'number must be 10 digits');
      check('checkCode', CHECK_CODE.test(r.checkCode), 'checkCode must be 6 hexadecimal characters');
      check('kind', (INVOICE_KINDS as readonly string[]).includes(r.kind), `kind must be ${INVOICE_KINDS.join(' or ')}`);
      check('issuedOn', /^\d{4}-\d{2}-\d{2}$/.test(r.issuedOn) && !Number.isNaN(Date.parse(r.issuedOn)), 'issuedOn must be a date like 2026-03-02');
      check('amountFen', Number.isInteger(r.amountFen) && r.amountFen >= 0, 'amountFen must be a whole number of fen');
      check('payerName', r.payerName.length > 0, 'payerName is required');
      check('status', (INVOICE_STATUSES as readonly string[]).includes(r.status) && r.status !== 'red_flushed', 'status is normal or voided (red flushing comes from the red ticket)');
      check('originalNumber', !r.originalCode === !r.originalNumber, 'a red ticket names both originalCode and originalNumber');
      return r;
    });
    return errors.length ? { errors } : records;
  }

  async verify(dto: VerifyInvoiceDto, ctx: MessageContext): Promise<VerificationResult> {
    return (await this.verifyMany([dto], ctx))[0];
  }

  /** The verdict on one invoice against what the register holds (undefined: not there). */
  private judge(dto: VerifyInvoiceDto, inv: StoredInvoice | undefined): { verdict: Verdict; differences: string[] } {
    // A wrong check code finds nothing: the public check never confirms a ticket without it.
    if (!inv || inv.check_code !== dto.checkCode.toLowerCase()) return { verdict: 'not_found', differences: [] };
    const differences: string[] = [];
    if (dto.issuedOn && dto.issuedOn !== inv.issued_on) differences.push('issuedOn');
    if (dto.amountFen !== undefined && dto.amountFen !== Number(inv.amount_fen)) differences.push('amountFen');
    const record = { code: inv.code, number: inv.number, checkCode: inv.check_code, kind: inv.kind, issuedOn: inv.issued_on, amountFen: Number(inv.amount_fen), issuerCode: inv.issuer_code, payerName: inv.payer_name, signature: inv.signature };
    // The issuer's signature was checked on import; the seal shows the row is still what was signed.
    if (!sealHolds(this.sealKey, record, inv.seal)) return { verdict: 'bad_signature', differences: [] };
    if (inv.status === 'voided') return { verdict: 'voided', differences: [] };
    if (inv.status === 'red_flushed') return { verdict: 'red_flushed', differences: [] };
    return differences.length ? { verdict: 'mismatch', differences } : { verdict: 'valid', differences: [] };
  }

  /**
   * Verifies many invoices in one transaction with set-based reads and writes: the register rows
   * in one query, the verifications in one insert, the counts in one grouped query.
   */
  async verifyMany(items: VerifyInvoiceDto[], ctx: MessageContext): Promise<VerificationResult[]> {
    const { officerId, agencyId } = this.officer(ctx);
    this.limiter.take(agencyId, items.length);
    const codes = items.map((i) => i.code);
    const numbers = items.map((i) => i.number);
    return this.ds.transaction(async (m) => {
      const stored = new Map<string, StoredInvoice>();
      const rows: StoredInvoice[] = await m.query(
        `SELECT i.code, i.number, i.check_code, i.kind, to_char(i.issued_on, 'YYYY-MM-DD') AS issued_on, i.amount_fen, i.issuer_code, i.payer_name, i.status, i.signature, i.seal
           FROM invoice i
          WHERE (i.code, i.number) IN (SELECT * FROM unnest($1::bpchar[], $2::bpchar[]))`,
        [codes, numbers],
      );
      for (const r of rows) stored.set(`${r.code}/${r.number}`, r);
      const judged = items.map((i) => this.judge(i, stored.get(`${i.code}/${i.number}`)));
      // One insert, numbered by position so each result gets its own verification id.
      const inserted: { id: string; ord: number }[] = await m.query(
        `WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, code text, number text, verdict text, differences text[], claim_ref text)
         ), ins AS (
           INSERT INTO verification (code, number, verdict, differences, agency_id, officer_id, claim_ref)
           SELECT code, number, verdict, differences, $2, $3, claim_ref FROM input ORDER BY ord
           RETURNING id, code, number
         )
         SELECT ins.id, row_number() OVER (ORDER BY ins.id)::int AS ord FROM ins`,
        [JSON.stringify(items.map((i, ord) => ({ ord, code: i.code, number: i.number, verdict: judged[ord].verdict, differences: judged[ord].differences, claim_ref: i.claimRef ?? null }))), agencyId, officerId],
      );
      const ids = inserted.sort((a, b) => a.ord - b.ord).map((r) => Number(r.id));
      const stats = new Map<string, { times: number; agencies: string[]; claims: string[] }>();
      for (const st of await m.query(
        `SELECT code, number, count(*)::int AS times, array_agg(DISTINCT agency_id::text) AS agencies, array_remove(array_agg(DISTINCT claim_ref), NULL) AS claims
           FROM verification WHERE (code, number) IN (SELECT * FROM unnest($1::bpchar[], $2::bpchar[])) GROUP BY code, number`,
        [codes, numbers],
      )) {
        stats.set(`${st.code}/${st.number}`, st);
      }
      return items.map((item, i) => {
        const st = stats.get(`${item.code}/${item.number}`)!;
        return {
          verificationId: ids[i],
          verdict: judged[i].verdict,
          differences: judged[i].differences,
          timesChecked: st.times,
          checkedBy: st.agencies,
          reused: st.claims.length > 1,
          otherClaims: st.claims.filter((c) => c !== item.claimRef).length,
        };
      });
    });
  }

  /** Finance sees every verification; another agency sees its own. */
  async verifications(ctx: MessageContext): Promise<{ id: number; code: string; number: string; verdict: Verdict; agencyId: string; claimRef: string | null; at: string }[]> {
    const { agencyId } = this.officer(ctx);
    const all = ctx.actor.agencyKind === AgencyKind.FINANCE;
    const rows = await this.ds.query(
      `SELECT id::int AS id, code, number, verdict, agency_id AS "agencyId", claim_ref AS "claimRef", at FROM verification ${all ? '' : 'WHERE agency_id = $1'} ORDER BY id DESC LIMIT 500`,
      all ? [] : [agencyId],
    );
    return rows.map((r: { at: Date }) => ({ ...r, at: r.at.toISOString() }));
  }
}
