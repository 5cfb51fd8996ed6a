import { createPublicKey, KeyObject, verify } from 'node:crypto';
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
export function signatureValid(r: Parameters<typeof canonicalInvoice>[0] & Pick<InvoiceRecord, 'signature'>, key: KeyObject): boolean {
  if (!/^[0-9a-f]+$/i.test(r.signature) || r.signature.length % 2) return false;
  try {
    return verify('sm3', Buffer.from(canonicalInvoice(r), 'utf8'), key, Buffer.from(r.signature, 'hex'));
  } catch {
    return false;
  }
}
