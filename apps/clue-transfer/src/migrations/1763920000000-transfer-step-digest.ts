import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each transfer step carries the SM3 digest chaining it to the step before (tamper evidence). */
export class TransferStepDigest1763920000000 implements MigrationInterface {
  name = 'TransferStepDigest1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer_step ADD COLUMN digest text`);
    await q.query(`UPDATE transfer_step SET digest = '' WHERE digest IS NULL`);
    await q.query(`ALTER TABLE transfer_step ALTER COLUMN digest SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer_step DROP COLUMN digest`);
  }
}
