import { createPrivateKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { canonicalInvoice, canonicalVoid, INVOICE_CSV_COLUMNS, InvoiceRecord } from '@lianban/contracts';

/** An invoice before its issuer signs it. */
export type Draft = Omit<InvoiceRecord, 'signature'>;

/**
 * An SM2 key pair as issuers hold it, in PEM: OpenSSL reads PEM SM2 keys as SM2 proper (GB/T 32918
 * signing with the default ID), whereas a key fresh from generateKeyPair would sign plain ECDSA.
 */
export function sm2Pair(): { publicKey: KeyObject; privateKey: KeyObject; publicKeyPem: string } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  return { publicKey: pair.publicKey, privateKey: createPrivateKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' })), publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** The demo register's first invoice: issuer H62070200001, code 62060126, check code 1a9c3f. */
export const BASE_INVOICE: Draft = { code: '62060126', number: '0000000001', checkCode: '1a9c3f', kind: 'outpatient', issuedOn: '2026-03-02', amountFen: 128_350, issuerCode: 'H62070200001', payerName: '李某', status: 'normal' };

/** Invoice number n (ten digits) of BASE_INVOICE, with other fields changed. */
export const draft = (n: number, extra: Partial<Draft> = {}): Draft => ({ ...BASE_INVOICE, number: String(n).padStart(10, '0'), ...extra });

/** Signs an invoice as its issuer does: SM2 over the SM3 digest of the canonical fields. */
export const signed = (r: Draft, key: KeyObject): InvoiceRecord => ({ ...r, signature: sign('sm3', Buffer.from(canonicalInvoice(r), 'utf8'), key).toString('hex') });

/** A void of invoice n as its issuer sends it: the invoice's fields, status voided, pointing to itself, the void statement signed. */
export function voidOf(n: number, key: KeyObject, extra: Partial<Draft> = {}): InvoiceRecord {
  const r = draft(n, { status: 'voided', originalCode: BASE_INVOICE.code, originalNumber: String(n).padStart(10, '0'), ...extra });
  return { ...r, signature: sign('sm3', Buffer.from(canonicalVoid(r), 'utf8'), key).toString('hex') };
}

export const jsonl = (rows: InvoiceRecord[]) => rows.map((r) => JSON.stringify(r)).join('\n');

/** A CSV import file: the header row, then one line per invoice (an absent field left empty). */
export const csvFile = (rows: (Partial<InvoiceRecord> | Record<string, unknown>)[]) =>
  [INVOICE_CSV_COLUMNS.join(','), ...rows.map((r) => INVOICE_CSV_COLUMNS.map((c) => (r as Record<string, unknown>)[c] ?? '').join(','))].join('\n');
