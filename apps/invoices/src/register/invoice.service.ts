import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AgencyKind,
  DomainError,
  ErrorCode,
  InvoiceRecord,
  InvoiceStatus,
  IssuerView,
  MessageContext,
  RegisterIssuerDto,
  VerificationRecord,
  VerificationResult,
  VerificationsQueryDto,
  Verdict,
  VerifyChunkReply,
  VerifyInvoiceDto,
} from '@lianban/contracts';
import { requireOfficer } from '@lianban/authz';
import { audit } from '@lianban/persistence';
import { VerificationLimiter } from './rate-limit';
import { pgArray, pgTextArray, requireFinance, SEALED_SQL, SIGNED_SQL } from './register-sql';
import { keyFingerprint, Sealer, SEAL_KEY, sm2PublicKey } from './signature';

/** One distinct invoice of a chunk after the pass over the register: its row (when registered) and its history. */
interface CheckedInvoice {
  k: string;
  /** Null when the register does not hold the invoice. */
  check_code: string | null;
  issued_on: string | null;
  amount_fen: string | null;
  status: InvoiceRecord['status'] | null;
  /** What the seal covers, joined by the database as Sealer joins it (see SEALED_SQL). */
  sealed: string | null;
  seal: string | null;
  /** The checks before this chunk's (null: none): how many, by which agencies (comma-separated), under which claims. */
  earlier_times: number | null;
  earlier_agencies: string | null;
  earlier_claims: string[] | null;
}

/**
 * Finance's register of medical-fee e-invoices and the verifications the other agencies ask of it.
 * Only finance registers issuers (and imports: ImportService); any agency's officer verifies, and sees its own
 * verifications (finance sees all). Nothing here holds case contents: a claim is a reference.
 */
@Injectable()
export class InvoiceService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly limiter: VerificationLimiter,
    @Inject(SEAL_KEY) private readonly sealKey: Buffer,
  ) {
    this.sealer = new Sealer(sealKey);
  }

  private readonly sealer: Sealer;
  private readonly logger = new Logger(InvoiceService.name);

  onApplicationBootstrap(): void {
    // In the background: verification checks version 1 seals as they were made meanwhile.
    this.resealLegacy().then(
      ({ resealed, failed }) => {
        if (resealed) this.logger.log(`re-sealed ${resealed} invoices with their status (seal version 2)`);
        if (failed) this.logger.warn(`${failed} invoices fail their version 1 seal: left as they are, they answer bad_signature`);
      },
      (e) => this.logger.error(`re-sealing version 1 invoices stopped: ${(e as Error).message}`),
    );
  }

  /**
   * Re-seals the rows sealed before the seal covered the status (version 1), a thousand per
   * transaction, each after checking its old seal: a row that fails it keeps it (and answers
   * bad_signature), so a row altered in the database is never sealed anew. Safe to run from
   * several instances at once (each batch locks its rows) and again (version 2 rows are skipped).
   */
  async resealLegacy(batch = 1000): Promise<{ resealed: number; failed: number }> {
    let resealed = 0;
    let failed = 0;
    let after = ['', ''];
    for (;;) {
      const rows = await this.ds.transaction(async (m) => {
        const found: { code: string; number: string; signed: string; status: InvoiceStatus; seal: string }[] = await m.query(
          `SELECT i.code, i.number, ${SIGNED_SQL} AS signed, i.status, i.seal FROM invoice i
            WHERE i.seal_version = 1 AND (i.code, i.number) > ($1, $2) ORDER BY i.code, i.number LIMIT $3 FOR UPDATE`,
          [after[0], after[1], batch],
        );
        const good = found.filter((r) => this.sealer.holds(r.signed, r.seal));
        if (good.length) {
          await m.query(
            `UPDATE invoice i SET seal = u.seal, seal_version = 2 FROM unnest($1::bpchar[], $2::bpchar[], $3::text[]) AS u(code, number, seal)
              WHERE i.code = u.code AND i.number = u.number AND i.seal_version = 1`,
            [pgArray(good.map((r) => r.code)), pgArray(good.map((r) => r.number)), pgArray(good.map((r) => this.sealer.seal(r.signed, r.status)))],
          );
        }
        resealed += good.length;
        failed += found.length - good.length;
        return found;
      });
      if (rows.length < batch) return { resealed, failed };
      after = [rows[rows.length - 1].code, rows[rows.length - 1].number];
    }
  }

  private officer(ctx: MessageContext): { officerId: string; agencyId: string } {
    return requireOfficer(ctx.actor, 'Invoices are verified by officers of an agency.');
  }

  async registerIssuer(dto: RegisterIssuerDto, ctx: MessageContext): Promise<{ code: string; name: string }> {
    requireFinance(ctx);
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

  /** The registered issuing units, for finance: each key by its SM3 fingerprint. */
  async issuers(ctx: MessageContext): Promise<IssuerView[]> {
    requireFinance(ctx);
    const rows: { code: string; name: string; public_key_pem: string; registered_by: string; registered_at: Date }[] = await this.ds.query(
      `SELECT code, name, public_key_pem, registered_by, registered_at FROM issuer ORDER BY code`,
    );
    return rows.map((r) => ({ code: r.code, name: r.name, keyFingerprint: keyFingerprint(r.public_key_pem), registeredBy: r.registered_by, registeredAt: r.registered_at.toISOString() }));
  }

  async verify(dto: VerifyInvoiceDto, ctx: MessageContext): Promise<VerificationResult> {
    const { results, agencies } = await this.verifyMany([dto], ctx);
    const [id, verdict, differences, timesChecked, checkedBy, reused, otherClaims] = results[0];
    return { verificationId: id, verdict, differences, timesChecked, checkedBy: checkedBy.map((a) => agencies[a]), reused, otherClaims };
  }

  /** The verdict on one invoice against what the register holds (undefined: not there). */
  private judge(dto: VerifyInvoiceDto, inv: CheckedInvoice, sealHolds: (inv: CheckedInvoice) => boolean): { verdict: Verdict; differences: string[] } {
    // A wrong check code finds nothing: the public check never confirms a ticket without it.
    if (inv.check_code === null || inv.check_code !== dto.checkCode.toLowerCase()) return { verdict: 'not_found', differences: [] };
    const differences: string[] = [];
    if (dto.issuedOn && dto.issuedOn !== inv.issued_on) differences.push('issuedOn');
    if (dto.amountFen !== undefined && dto.amountFen !== null && dto.amountFen !== Number(inv.amount_fen)) differences.push('amountFen');
    // The issuer's signature was checked on import; the seal shows the row is still what was signed.
    if (!sealHolds(inv)) return { verdict: 'bad_signature', differences: [] };
    if (inv.status === 'voided') return { verdict: 'voided', differences: [] };
    if (inv.status === 'red_flushed') return { verdict: 'red_flushed', differences: [] };
    return differences.length ? { verdict: 'mismatch', differences } : { verdict: 'valid', differences: [] };
  }

  /**
   * Verifies many invoices (one request, or a chunk of a batch) in one transaction: the set's
   * first id is drawn, then one statement reads each distinct invoice's check history
   * (invoice_check, registered or not), appends this chunk's checks to it (naming the set) and
   * looks the invoices up in the register, then one verification_set row records every
   * verification of the chunk.
   * The answer would be larger than `maxReplyBytes`: refused before anything is kept (the caller
   * splits the chunk).
   */
  async verifyMany(items: VerifyInvoiceDto[], ctx: MessageContext, maxReplyBytes = Infinity): Promise<VerifyChunkReply> {
    const { officerId, agencyId } = this.officer(ctx);
    await this.limiter.take(agencyId, items.length);
    try {
      return await this.ds.transaction((m) => this.record(m, items, officerId, agencyId, maxReplyBytes));
    } catch (e) {
      if (e instanceof DomainError && e.status === 413) await this.limiter.giveBack(agencyId, items.length);
      throw e;
    }
  }

  private async record(m: EntityManager, items: VerifyInvoiceDto[], officerId: string, agencyId: string, maxReplyBytes: number): Promise<VerifyChunkReply> {
    // The distinct invoices, in key order, with how often each occurs in the chunk and under which claims.
    const keys = [...new Set(items.map((i) => i.code + i.number))].sort();
    const slotOf = new Map(keys.map((k, i) => [k, i]));
    const counts = new Array<number>(keys.length).fill(0);
    const claimSlots: number[] = [];
    const claims: string[] = [];
    const claimsOf: (Set<string> | undefined)[] = new Array(keys.length);
    const slots = items.map((item) => {
      const slot = slotOf.get(item.code + item.number)!;
      counts[slot]++;
      if (item.claimRef !== undefined) {
        claimSlots.push(slot + 1);
        claims.push(item.claimRef);
        (claimsOf[slot] ??= new Set()).add(item.claimRef);
      }
      return slot;
    });
    // The set's ids: a block of the sequence, named by the history rows so searches find the set.
    const [{ first_id }]: { first_id: string }[] = await m.query(`SELECT nextval('verification_block') AS first_id`);
    // One statement: each invoice's history before this chunk, this chunk's checks appended to it
    // (plain inserts: no unique key to contend for), and the register looked up as the raw join of
    // the benchmark does. Two chunks at once may each miss the other's checks, never their own.
    // History is keyed by number, then code (see the check-sets migration).
    const rows: CheckedInvoice[] = await m.query(
      `WITH q AS (SELECT *, (number || code)::bigint AS key FROM unnest($1::bpchar[], $2::bpchar[], $3::int[]) WITH ORDINALITY AS q(code, number, n, k)),
            c AS (SELECT k, array_agg(DISTINCT v) AS claims FROM unnest($4::int[], $5::text[]) AS c(k, v) GROUP BY k),
            earlier AS (
              SELECT invoice_key, sum(times)::int AS times, array_to_string(array_agg(DISTINCT agency_id), ',') AS agencies,
                     array_agg(DISTINCT claim_ref) FILTER (WHERE claim_ref IS NOT NULL) AS claims
                FROM invoice_check WHERE invoice_key = ANY ($7::bigint[]) GROUP BY invoice_key),
            added AS (
              INSERT INTO invoice_check (invoice_key, times, agency_id, claim_ref, set_id)
              SELECT q.key, CASE WHEN o.i IS NULL OR o.i = 1 THEN q.n ELSE 0 END, $6, o.claim, $8
                FROM q LEFT JOIN c ON c.k = q.k LEFT JOIN LATERAL unnest(c.claims) WITH ORDINALITY AS o(claim, i) ON true)
       SELECT q.k, i.check_code, to_char(i.issued_on, 'YYYY-MM-DD') AS issued_on, i.amount_fen, i.status, i.seal,
              ${SEALED_SQL} AS sealed,
              e.times AS earlier_times, e.agencies AS earlier_agencies, e.claims AS earlier_claims
         FROM q LEFT JOIN earlier e ON e.invoice_key = q.key
         LEFT JOIN invoice i ON i.code = q.code AND i.number = q.number`,
      [pgArray(keys.map((k) => k.slice(0, 8))), pgArray(keys.map((k) => k.slice(8))), pgArray(counts), pgArray(claimSlots), pgTextArray(claims), agencyId, pgArray(keys.map((k) => k.slice(8) + k.slice(0, 8))), first_id],
    );

    const bySlot = new Array<CheckedInvoice>(keys.length);
    for (const r of rows) bySlot[Number(r.k) - 1] = r;
    // Each invoice's history with this chunk's checks added: how often, by which agencies, under which claims.
    const history = bySlot.map((r, slot) => {
      const by = r.earlier_agencies ? r.earlier_agencies.split(',') : [];
      if (!by.includes(agencyId)) by.push(agencyId);
      const chunkClaims = claimsOf[slot];
      let claimed = r.earlier_claims ?? [];
      if (chunkClaims) claimed = [...new Set([...claimed, ...chunkClaims])];
      return { times: (r.earlier_times ?? 0) + counts[slot], by, claims: claimed };
    });
    // Each distinct invoice's seal is checked once, and only when a verdict depends on it.
    const seals = new Array<boolean | undefined>(keys.length);
    let slot = 0;
    const sealHolds = (inv: CheckedInvoice) => (seals[slot] ??= this.sealer.holds(inv.sealed!, inv.seal!));
    const judged = items.map((item, i) => {
      slot = slots[i];
      return this.judge(item, bySlot[slot], sealHolds);
    });

    // Agencies by position, so each answer names them in a few bytes.
    const agencies: string[] = [];
    const agencyAt = new Map<string, number>();
    const checkedBy = history.map((h) =>
      h.by.map((a) => {
        let at = agencyAt.get(a);
        if (at === undefined) agencyAt.set(a, (at = agencies.push(a) - 1));
        return at;
      }),
    );
    // At most ~100 bytes a result, 4 per agency it names, 40 per agency named at all.
    let replyBytes = 64 + agencies.length * 40;
    for (const slot of slots) replyBytes += 100 + checkedBy[slot].length * 4;
    if (replyBytes > maxReplyBytes) throw new DomainError(413, ErrorCode.PAYLOAD_TOO_LARGE, `The answer for these ${items.length} invoices would be too large; send fewer at a time.`);

    await m.query(
      `INSERT INTO verification_set (first_id, agency_id, officer_id, codes, numbers, verdicts, differences, claim_refs)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [first_id, agencyId, officerId, pgArray(items.map((i) => i.code)), pgArray(items.map((i) => i.number)), pgArray(judged.map((j) => j.verdict)), pgTextArray(judged.map((j) => j.differences.join(','))), pgTextArray(items.map((i) => i.claimRef))],
    );
    const firstId = Number(first_id);
    return {
      agencies,
      results: items.map((item, i) => {
        const h = history[slots[i]];
        const other = h.claims.length - (item.claimRef !== undefined && h.claims.includes(item.claimRef) ? 1 : 0);
        return [firstId + i, judged[i].verdict, judged[i].differences, h.times, checkedBy[slots[i]], h.claims.length > 1, other];
      }),
    };
  }

  /**
   * The newest 500 verifications, finance's of every agency, another agency's its own; narrowed to
   * one invoice (code, number), a number under any code, or one claim when asked: who checked this
   * invoice, what was checked for this case. Narrowed, the check history finds the sets holding a
   * match through its indexes (a code alone is a scan of it).
   */
  async verifications(q: VerificationsQueryDto, ctx: MessageContext): Promise<VerificationRecord[]> {
    const { agencyId } = this.officer(ctx);
    const all = ctx.actor.agencyKind === AgencyKind.FINANCE;
    const select = `SELECT s.first_id + o.k - 1 AS id, o.code, o.number, o.verdict, s.agency_id AS "agencyId", o.claim_ref AS "claimRef", s.at`;
    const elements = `unnest(s.codes, s.numbers, s.verdicts, s.claim_refs) WITH ORDINALITY AS o(code, number, verdict, claim_ref, k)`;
    let rows;
    if (q.code !== undefined || q.number !== undefined || q.claimRef !== undefined) {
      // History keys are number then code: one key for an invoice, a range of them for a number.
      const key =
        q.number === undefined
          ? `($2::text IS NULL OR c.invoice_key % 100000000 = $2::text::bigint)`
          : q.code === undefined
            ? `c.invoice_key BETWEEN ($3 || '00000000')::bigint AND ($3 || '99999999')::bigint`
            : `c.invoice_key = ($3 || $2)::bigint`;
      // Each set a history row names holds at least one match, so the newest 500 sets hold the newest 500 matches.
      rows = await this.ds.query(
        `WITH sets AS (
           SELECT c.set_id FROM invoice_check c
            WHERE ($1::uuid IS NULL OR c.agency_id = $1) AND ${key} AND ($4::text IS NULL OR c.claim_ref = $4)
            GROUP BY c.set_id ORDER BY c.set_id DESC LIMIT 500)
         ${select} FROM sets JOIN verification_set s ON s.first_id = sets.set_id, ${elements}
          WHERE ($2::text IS NULL OR o.code = $2) AND ($3::text IS NULL OR o.number = $3) AND ($4::text IS NULL OR o.claim_ref = $4)
          ORDER BY id DESC LIMIT 500`,
        [all ? null : agencyId, q.code ?? null, q.number ?? null, q.claimRef ?? null],
      );
    } else {
      // The newest 500: at most 500 sets hold them, each of at least one verification.
      rows = await this.ds.query(
        `${select} FROM (SELECT * FROM verification_set ${all ? '' : 'WHERE agency_id = $1'} ORDER BY ${all ? '' : 'agency_id, '}first_id DESC LIMIT 500) s, ${elements}
          ORDER BY id DESC LIMIT 500`,
        all ? [] : [agencyId],
      );
    }
    return rows.map((r: { id: string; at: Date }) => ({ ...r, id: Number(r.id), at: r.at.toISOString() }));
  }
}
