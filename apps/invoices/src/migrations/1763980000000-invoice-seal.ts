import { MigrationInterface, QueryRunner } from 'typeorm';

/** A keyed SM3 seal over each invoice as it was signed, checked on every verification. */
export class InvoiceSeal1763980000000 implements MigrationInterface {
  name = 'InvoiceSeal1763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoice ADD COLUMN seal text NOT NULL DEFAULT ''`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoice DROP COLUMN seal`);
  }
}
