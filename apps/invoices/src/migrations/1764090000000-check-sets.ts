import { MigrationInterface, QueryRunner } from 'typeorm';

/** The history rows of invoice_check, derived from the verification sets as the service writes them. */
const HISTORY_FROM_SETS = `
  SELECT (g.number || g.code)::bigint, CASE WHEN c.i IS NULL OR c.i = 1 THEN g.n ELSE 0 END, g.agency_id, c.claim, g.first_id
    FROM (SELECT s.first_id, s.agency_id, o.code, o.number, count(*)::int AS n,
                 array_agg(DISTINCT o.claim) FILTER (WHERE o.claim IS NOT NULL) AS claims
            FROM verification_set s, unnest(s.codes, s.numbers, s.claim_refs) AS o(code, number, claim)
           GROUP BY s.first_id, s.agency_id, o.code, o.number) g
    LEFT JOIN LATERAL unnest(g.claims) WITH ORDINALITY AS c(claim, i) ON true`;

/**
 * Searching the verifications by invoice or by claim used to read every verification set's arrays
 * (about 30 ms at a million verifications, growing with them; see docs/performance.md). The check history now finds the
 * sets instead:
 * - each `invoice_check` row names its set (`set_id`, the set's `first_id`);
 * - its key is the invoice's number, then its code (`number || code`, 18 digits), so that one
 *   index finds an invoice (code and number) and a number under any code (a range of keys), as
 *   the console searches by the number printed on the ticket; a code alone is still a scan;
 * - claims have their own index, over the rows that carry one.
 * The rows are derived again from the verification sets, which hold every verification, exactly
 * as the service appends them (one row per invoice and set, one more per further claim).
 */
export class CheckSets1764090000000 implements MigrationInterface {
  name = 'CheckSets1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invoice_check_invoice`);
    await q.query(`TRUNCATE invoice_check`);
    await q.query(`ALTER TABLE invoice_check ADD COLUMN set_id bigint NOT NULL`);
    await q.query(`INSERT INTO invoice_check (invoice_key, times, agency_id, claim_ref, set_id) ${HISTORY_FROM_SETS}`);
    await q.query(`CREATE INDEX invoice_check_invoice ON invoice_check (invoice_key)`);
    await q.query(`CREATE INDEX invoice_check_claim ON invoice_check (claim_ref) WHERE claim_ref IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invoice_check_claim`);
    await q.query(`ALTER TABLE invoice_check DROP COLUMN set_id`);
    // Back to code, then number.
    await q.query(`UPDATE invoice_check SET invoice_key = (invoice_key % 100000000) * 10000000000 + invoice_key / 100000000`);
  }
}
