import { MigrationInterface, QueryRunner } from 'typeorm';

/** A money entry of a case names the document it is recorded from (缴款书, 退款凭证, 判决书), when there is one. */
export class CaseMoneyDocument1764060000000 implements MigrationInterface {
  name = 'CaseMoneyDocument1764060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_money ADD COLUMN document_number text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_money DROP COLUMN document_number`);
  }
}
