import { MigrationInterface, QueryRunner } from 'typeorm';
import { addClockAlsoTell } from '@lianban/platform';

/** The bureau that assigned a clue down hears when its report-back date nears and passes. */
export class ClockAlsoTell1764140000001 implements MigrationInterface {
  name = 'ClockAlsoTell1764140000001';

  async up(q: QueryRunner): Promise<void> {
    await addClockAlsoTell(q);
    // Report-back clocks of clues assigned down before this migration.
    await q.query(`UPDATE clock k SET also_tell = ARRAY[c.assigned_by_agency_id] FROM clue c WHERE k.subject_id = c.id AND k.step = 'report_back' AND c.assigned_by_agency_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clock DROP COLUMN also_tell`);
  }
}
