import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The verification a filed receipt is for, in its own column: a case holds each receipt once by
 * this number, not by a file name anyone uploading could choose. Receipts filed before took the
 * name `发票查验回执-<n>.json`; the earliest such JSON file of a case is taken as its receipt, as
 * the check by name did until now.
 */
export class EvidenceReceiptOf1764130000000 implements MigrationInterface {
  name = 'EvidenceReceiptOf1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evidence ADD COLUMN receipt_of bigint CHECK (receipt_of > 0)`);
    await q.query(`
      UPDATE evidence e SET receipt_of = f.n FROM (
        SELECT DISTINCT ON (case_id, substring(name FROM '^发票查验回执-([0-9]{1,15})\\.json$')) id, substring(name FROM '^发票查验回执-([0-9]{1,15})\\.json$')::bigint AS n
          FROM evidence WHERE name ~ '^发票查验回执-[0-9]{1,15}\\.json$' AND media_type = 'application/json'
         ORDER BY case_id, substring(name FROM '^发票查验回执-([0-9]{1,15})\\.json$'), added_at, id
      ) f WHERE e.id = f.id`);
    await q.query(`CREATE UNIQUE INDEX evidence_receipt_once ON evidence (case_id, receipt_of) WHERE receipt_of IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX evidence_receipt_once`);
    await q.query(`ALTER TABLE evidence DROP COLUMN receipt_of`);
  }
}
