import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each case step carries the SM3 digest chaining it to the step before (tamper evidence, as for transfer steps). */
export class CaseStepDigest1764000300000 implements MigrationInterface {
  name = 'CaseStepDigest1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_step ADD COLUMN digest text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE case_step ALTER COLUMN digest DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_step DROP COLUMN digest`);
  }
}
