import { AgencyKind, DomainError, ErrorCode, MessageContext } from '@lianban/contracts';

/** Sealer.signed of a register row `i`, built by the database: canonicalInvoice's fields, then the signature. */
export const SIGNED_SQL = `concat_ws('|', i.code, i.number, lower(i.check_code), i.kind, to_char(i.issued_on, 'YYYY-MM-DD'), i.amount_fen, i.issuer_code, i.payer_name, lower(i.signature))`;
/** What the seal of row `i` covers (Sealer.sealed): the signed text and the status; version 1 seals left the status out. */
export const SEALED_SQL = `concat_ws('|', i.code, i.number, lower(i.check_code), i.kind, to_char(i.issued_on, 'YYYY-MM-DD'), i.amount_fen, i.issuer_code, i.payer_name, lower(i.signature), CASE WHEN i.seal_version = 2 THEN i.status END)`;

/** A PostgreSQL array literal of values that need no quoting (digits, verdict words). */
export function pgArray(values: (string | number)[]): string {
  return `{${values.join(',')}}`;
}

/** A PostgreSQL array literal of any text, each element quoted; undefined and null are NULL. */
export function pgTextArray(values: (string | null | undefined)[]): string {
  return `{${values.map((v) => (v === undefined || v === null ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

/** Only finance keeps the register: registers issuers, imports, reads the imports. */
export function requireFinance(ctx: MessageContext): void {
  if (ctx.actor.kind !== 'officer' || ctx.actor.agencyKind !== AgencyKind.FINANCE) {
    throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only finance keeps the invoice register.');
  }
}
