import { MigrationInterface, QueryRunner } from 'typeorm';
import { addClockDueGiven } from '@lianban/platform';

/** A supervision order's deadline is given by the office issuing it: not counted again on a new holiday calendar. */
export class ClockDueGiven1764120000000 implements MigrationInterface {
  name = 'ClockDueGiven1764120000000';

  async up(q: QueryRunner): Promise<void> {
    await addClockDueGiven(q, ['supervision_deadline']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clock DROP COLUMN due_given`);
  }
}
