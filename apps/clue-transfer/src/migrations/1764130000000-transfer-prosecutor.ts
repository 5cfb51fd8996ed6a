import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The procuratorate that reviews a case for prosecution: the one over the police that investigated
 * it, set when the police refer it. Transfers already referred keep the copy holder, which took
 * these steps before.
 */
export class TransferProsecutor1764130000000 implements MigrationInterface {
  name = 'TransferProsecutor1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer ADD COLUMN prosecutor_agency_id uuid`);
    await q.query(`UPDATE transfer SET prosecutor_agency_id = procuratorate_agency_id WHERE state IN ('prosecution_review', 'prosecuted', 'not_prosecuted', 'judged')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer DROP COLUMN prosecutor_agency_id`);
  }
}
