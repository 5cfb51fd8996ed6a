import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each agency's verification allowance (its rate limit) as one row: the tokens left and when they
 * were counted. Kept here rather than in each process, so that every instance of the service
 * draws on the same allowance.
 */
export class VerificationAllowance1764080000000 implements MigrationInterface {
  name = 'VerificationAllowance1764080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE verification_allowance (
        agency_id uuid PRIMARY KEY,
        tokens double precision NOT NULL,
        at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE verification_allowance`);
  }
}
