#!/usr/bin/env node
/**
 * Checks a Lianban invoice verification receipt offline:
 *
 *   node tools/verify-receipt.mjs receipt.json finance-public-key.pem
 *
 * receipt.json is what GET /api/v1/invoices/verifications/{id}/receipt returned; the key is
 * finance's, as published (GET /api/v1/invoices/receipt-key). The key inside the receipt is not
 * used: a forger would put their own there. Prints the receipt and exits 0 when the SM2 signature
 * holds, 1 when it does not or the receipt names another key, 2 on wrong usage.
 */
import { Buffer } from 'node:buffer';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [file, keyFile] = process.argv.slice(2);
if (!file || !keyFile) {
  console.error('usage: node tools/verify-receipt.mjs receipt.json finance-public-key.pem\n(finance publishes its key at GET /api/v1/invoices/receipt-key; the key inside a receipt proves nothing)');
  process.exit(2);
}
const { receipt, signature } = JSON.parse(readFileSync(file, 'utf8'));
const key = createPublicKey(readFileSync(keyFile, 'utf8'));
const ok = verify('sm3', Buffer.from(receipt, 'utf8'), key, Buffer.from(signature, 'hex'));
console.log(ok ? 'signature valid' : 'signature INVALID');
console.log(JSON.stringify(JSON.parse(receipt), null, 2));
process.exit(ok ? 0 : 1);
