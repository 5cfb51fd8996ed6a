import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which configured reminder lead times (in minutes) a clock has already fired, so none fires twice. */
export class ClockReminders1763960000000 implements MigrationInterface {
  name = 'ClockReminders1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clock ADD COLUMN reminders_fired int[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clock DROP COLUMN reminders_fired`);
  }
}
