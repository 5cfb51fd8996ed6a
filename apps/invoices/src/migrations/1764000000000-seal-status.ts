import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seal covers the status too (see Sealer): a voided or red-flushed invoice set back to normal in
 * the database would otherwise still pass its seal. Rows sealed before are version 1; the service
 * re-seals them when it starts (it alone holds the key), finding them through a partial index that
 * is empty once they are done.
 */
export class SealStatus1764000000000 implements MigrationInterface {
  name = 'SealStatus1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoice ADD COLUMN seal_version smallint NOT NULL DEFAULT 1 CHECK (seal_version IN (1, 2))`);
    await q.query(`ALTER TABLE invoice ALTER COLUMN seal_version SET DEFAULT 2`);
    await q.query(`CREATE INDEX invoice_legacy_seal ON invoice (code, number) WHERE seal_version = 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Version 2 seals cannot be turned back without the key: those rows would answer bad_signature.
    await q.query(`DROP INDEX invoice_legacy_seal`);
    await q.query(`ALTER TABLE invoice DROP COLUMN seal_version`);
  }
}
