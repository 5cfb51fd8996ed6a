import { MigrationInterface, QueryRunner } from 'typeorm';

/** The shared clock engine (libs/platform) can pause a clock and give it a new limit; the columns it keeps for that. */
export class ClockPauses1764000000000 implements MigrationInterface {
  name = 'ClockPauses1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clock ADD COLUMN paused_since timestamptz, ADD COLUMN pauses jsonb NOT NULL DEFAULT '[]', ADD COLUMN limit_override jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clock DROP COLUMN paused_since, DROP COLUMN pauses, DROP COLUMN limit_override`);
  }
}
