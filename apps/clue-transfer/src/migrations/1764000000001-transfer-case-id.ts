import { MigrationInterface, QueryRunner } from 'typeorm';

/** A transfer drafted from an administrative case carries the case's id (owned by the cases service, not a foreign key). */
export class TransferCaseId1764000000001 implements MigrationInterface {
  name = 'TransferCaseId1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer ADD COLUMN case_id uuid`);
    await q.query(`CREATE INDEX transfer_case ON transfer (case_id) WHERE case_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer DROP COLUMN case_id`);
  }
}
