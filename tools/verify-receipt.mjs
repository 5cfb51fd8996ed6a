#!/usr/bin/env node
/**
 * Checks a Lianban invoice verification receipt offline:
 *
 *   node tools/verify-receipt.mjs receipt.json [finance-public-key.pem]
 *
 * receipt.json is what GET /api/v1/invoices/verifications/{id}/receipt returned. The key defaults
 * to the one inside the receipt; pass finance's published key to be sure who signed it.
 * Prints the receipt and exits 0 when the SM2 signature holds, 1 when it does not.
 */
import { Buffer } from 'node:buffer';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [file, keyFile] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/verify-receipt.mjs receipt.json [finance-public-key.pem]');
  process.exit(2);
}
const { receipt, signature, publicKeyPem } = JSON.parse(readFileSync(file, 'utf8'));
const key = createPublicKey(keyFile ? readFileSync(keyFile, 'utf8') : publicKeyPem);
const ok = verify('sm3', Buffer.from(receipt, 'utf8'), key, Buffer.from(signature, 'hex'));
console.log(ok ? 'signature valid' : 'signature INVALID');
console.log(JSON.stringify(JSON.parse(receipt), null, 2));
process.exit(ok ? 0 : 1);
