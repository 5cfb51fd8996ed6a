import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgencyKind, DomainError, ErrorCode, MessageContext, VerificationReceipt } from '@lianban/contracts';

export const RECEIPT_KEY_PEM = Symbol('RECEIPT_KEY_PEM');

/**
 * Signed verification receipts, which a case can attach as evidence and anyone can check offline
 * with finance's public key (`node tools/verify-receipt.mjs receipt.json`, or openssl; see
 * docs/operations.md). The key is finance's SM2 key from RECEIPT_SIGNING_KEY; outside production,
 * without one, a key is made for the process and said so in the log.
 */
@Injectable()
export class ReceiptService {
  private readonly logger = new Logger(ReceiptService.name);
  private readonly privateKey: KeyObject;
  readonly publicKeyPem: string;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(RECEIPT_KEY_PEM) pem: string | undefined,
  ) {
    let privatePem = pem;
    if (!privatePem) {
      privatePem = generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      this.logger.warn('RECEIPT_SIGNING_KEY is not set: receipts are signed with a key made for this process only');
    }
    // Read from PEM, so OpenSSL signs SM2 proper (GB/T 32918), not ECDSA on the SM2 curve.
    this.privateKey = createPrivateKey(privatePem);
    this.publicKeyPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  async receipt(verificationId: number, ctx: MessageContext): Promise<VerificationReceipt> {
    // Verification first_id + k - 1 is the k-th of its set (see the verification_set migration).
    const [v] = await this.ds.query(
      `SELECT $1::bigint AS id, s.codes[k] AS code, s.numbers[k] AS number, s.verdicts[k] AS verdict, string_to_array(s.differences[k], ',') AS differences,
              s.agency_id AS "agencyId", s.claim_refs[k] AS "claimRef", s.at
         FROM (SELECT *, ($1::bigint - first_id + 1)::int AS k FROM verification_set WHERE first_id <= $1 ORDER BY first_id DESC LIMIT 1) s
        WHERE s.k <= cardinality(s.codes)`,
      [verificationId],
    );
    if (v) v.id = Number(v.id);
    const mayRead = v && (ctx.actor.agencyKind === AgencyKind.FINANCE || ctx.actor.agencyId === v.agencyId) && ctx.actor.kind === 'officer';
    if (!mayRead) throw new DomainError(404, ErrorCode.NOT_FOUND, 'The verification was not found.');
    const receipt = JSON.stringify({
      verificationId: v.id,
      code: v.code,
      number: v.number,
      verdict: v.verdict,
      differences: v.differences,
      agencyId: v.agencyId,
      claimRef: v.claimRef,
      at: v.at.toISOString(),
      issuer: 'finance',
    });
    return { receipt, signature: sign('sm3', Buffer.from(receipt, 'utf8'), this.privateKey).toString('hex'), publicKeyPem: this.publicKeyPem };
  }
}
