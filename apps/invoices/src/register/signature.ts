import { createHash, createHmac, createPublicKey, KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { canonicalInvoice, InvoiceRecord, InvoiceStatus } from '@lianban/contracts';

/** The SM2 curve's object identifier, 1.2.156.10197.1.301, as it stands in a DER public key. */
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

/**
 * Reads an issuer's SM2 public key; null when it is not one. Node does not name SM2 keys read
 * from PEM (no key type, no curve), so the curve is recognised by its OID in the key itself.
 */
export function sm2PublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.export({ type: 'spki', format: 'der' }).includes(SM2_CURVE_OID) ? key : null;
  } catch {
    return null;
  }
}

/** SM3 of a public key's SubjectPublicKeyInfo (DER), hex: what finance reads out to an issuer to confirm its key ("" when the PEM is not a key). */
export function keyFingerprint(pem: string): string {
  try {
    return createHash('sm3').update(createPublicKey(pem).export({ type: 'spki', format: 'der' })).digest('hex');
  } catch {
    return '';
  }
}

/**
 * Checks the issuer's signature: SM2 (GB/T 32918, OpenSSL's default signer ID) over the SM3 digest
 * of the canonical fields. The key must come from PEM: OpenSSL treats an SM2 key read from PEM as
 * SM2, whereas Node's generateKeyPair('ec', SM2) key would do plain ECDSA on the SM2 curve.
 * Asynchronous: the check (about 0.3 ms) runs on libuv's thread pool, so an import of many rows
 * uses every core and leaves the service's event loop free to answer verifications meanwhile.
 */
export function signatureValid(r: Parameters<typeof canonicalInvoice>[0] & Pick<InvoiceRecord, 'signature'>, key: KeyObject, signed = canonicalInvoice(r)): Promise<boolean> {
  if (!/^[0-9a-f]+$/i.test(r.signature) || r.signature.length % 2) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify('sm3', Buffer.from(signed, 'utf8'), key, Buffer.from(r.signature, 'hex'), (e, ok) => resolve(!e && ok));
    } catch {
      resolve(false);
    }
  });
}

export const SEAL_KEY = Symbol('SEAL_KEY');

/** The seal key, derived from the platform's internal key: the same in every invoices instance. */
export function sealKeyOf(internalSigningKey: string): Buffer {
  return createHmac('sm3', internalSigningKey).update('lianban:invoice-seal').digest();
}

/**
 * The register's seal: HMAC-SM3, with a key only the invoices service holds, over an invoice's
 * signed fields, its signature and its status (normal, voided, red_flushed). The issuer's SM2
 * signature is checked once, on import (SM2 verification costs ~0.3 ms); every verification then
 * checks the seal (a few µs), which anyone altering the row without the key cannot renew, so an
 * altered invoice still fails as bad_signature, and so does one whose status was set back (a voided
 * or red-flushed invoice passed off as normal). A void or red flush re-seals the row it changes,
 * after checking its seal.
 *
 * Version 1 seals (before 2026-11-23) did not cover the status; the service re-seals those rows when
 * it starts (InvoiceService.resealLegacy) and until then checks them as they were sealed.
 */
export class Sealer {
  constructor(private readonly key: Buffer) {}

  /** The seal of an invoice given as its signed text (Sealer.signed) and its status. */
  seal(signed: string, status: InvoiceStatus): string {
    return this.mac(Sealer.sealed(signed, status)).toString('hex');
  }

  /** An invoice's canonical fields (canonicalInvoice), then its signature in lowercase hex. */
  static signed(canonical: string, signature: string): string {
    return `${canonical}|${signature.toLowerCase()}`;
  }

  /** What a version 2 seal covers: the signed text, then the status. */
  static sealed(signed: string, status: InvoiceStatus): string {
    return `${signed}|${status}`;
  }

  /** Whether `stored` (hex) is the seal of `sealed` (Sealer.sealed, or the signed text alone for version 1). */
  holds(sealed: string, stored: string): boolean {
    if (stored.length !== 64) return false;
    const expected = this.mac(sealed);
    // A non-hex character ends Buffer's hex decoding early, so a malformed seal is shorter and fails.
    const given = Buffer.from(stored, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(text: string): Buffer {
    return createHmac('sm3', this.key).update(text, 'utf8').digest();
  }
}

/** The seal of an invoice record as the register keeps it (status included). */
export function seal(key: Buffer, r: Parameters<typeof canonicalInvoice>[0] & Pick<InvoiceRecord, 'signature' | 'status'>): string {
  return new Sealer(key).seal(Sealer.signed(canonicalInvoice(r), r.signature), r.status);
}
