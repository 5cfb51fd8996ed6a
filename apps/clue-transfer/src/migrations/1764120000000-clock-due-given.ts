import { MigrationInterface, QueryRunner } from 'typeorm';
import { addClockDueGiven } from '@lianban/platform';

/** A clue's report-back date is given by whoever assigned it: not counted again on a new holiday calendar. */
export class ClockDueGiven1764120000000 implements MigrationInterface {
  name = 'ClockDueGiven1764120000000';

  async up(q: QueryRunner): Promise<void> {
    await addClockDueGiven(q, ['report_back']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clock DROP COLUMN due_given`);
  }
}
