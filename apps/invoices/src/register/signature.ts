import { createHmac, createPublicKey, KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { canonicalInvoice, InvoiceRecord } from '@lianban/contracts';

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

/**
 * Checks the issuer's signature: SM2 (GB/T 32918, OpenSSL's default signer ID) over the SM3 digest
 * of the canonical fields. The key must come from PEM: OpenSSL treats an SM2 key read from PEM as
 * SM2, whereas Node's generateKeyPair('ec', SM2) key would do plain ECDSA on the SM2 curve.
 */
export function signatureValid(r: Parameters<typeof canonicalInvoice>[0] & Pick<InvoiceRecord, 'signature'>, key: KeyObject, signed = canonicalInvoice(r)): boolean {
  if (!/^[0-9a-f]+$/i.test(r.signature) || r.signature.length % 2) return false;
  try {
    return verify('sm3', Buffer.from(signed, 'utf8'), key, Buffer.from(r.signature, 'hex'));
  } catch {
    return false;
  }
}

export const SEAL_KEY = Symbol('SEAL_KEY');

/** The seal key, derived from the platform's internal key: the same in every invoices instance. */
export function sealKeyOf(internalSigningKey: string): Buffer {
  return createHmac('sm3', internalSigningKey).update('lianban:invoice-seal').digest();
}

/**
 * The register's seal: HMAC-SM3, with a key only the invoices service holds, over an invoice's
 * signed fields and its signature. The issuer's SM2 signature is checked once, on import (SM2
 * verification costs ~0.3 ms); every verification then checks the seal (a few µs), which anyone
 * altering the row without the key cannot renew, so an altered invoice still fails as
 * bad_signature.
 */
export class Sealer {
  constructor(private readonly key: Buffer) {}

  /** The seal of an invoice given as its canonical fields (canonicalInvoice) and its signature. */
  seal(canonical: string, signature: string): string {
    return createHmac('sm3', this.key).update(Sealer.sealed(canonical, signature), 'utf8').digest('hex');
  }

  /** What the seal covers: the canonical fields, then the signature in lowercase hex. */
  static sealed(canonical: string, signature: string): string {
    return `${canonical}|${signature.toLowerCase()}`;
  }

  /** Whether `stored` (hex) is the seal of `sealed` (see Sealer.sealed). */
  holds(sealed: string, stored: string): boolean {
    if (stored.length !== 64) return false;
    const expected = createHmac('sm3', this.key).update(sealed, 'utf8').digest();
    // A non-hex character ends Buffer's hex decoding early, so a malformed seal is shorter and fails.
    const given = Buffer.from(stored, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

export function seal(key: Buffer, r: Parameters<typeof canonicalInvoice>[0] & Pick<InvoiceRecord, 'signature'>): string {
  return new Sealer(key).seal(canonicalInvoice(r), r.signature);
}
