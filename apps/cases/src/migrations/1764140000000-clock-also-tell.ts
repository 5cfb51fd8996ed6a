import { MigrationInterface, QueryRunner } from 'typeorm';
import { addClockAlsoTell } from '@lianban/platform';

/** The clock engine is shared with clue-transfer, whose report-back clocks tell the assigning bureau: the same column here. */
export class ClockAlsoTell1764140000000 implements MigrationInterface {
  name = 'ClockAlsoTell1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await addClockAlsoTell(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clock DROP COLUMN also_tell`);
  }
}
