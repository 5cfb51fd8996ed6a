import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether an officer's account is disabled, as the agencies service last said (`officer.disabled`,
 * `officer.enabled`): mail and digests go to enabled accounts only. `account_status_at` is when the
 * event that set it happened, so an older event delivered late changes nothing.
 */
export class AccountStatus1764110000000 implements MigrationInterface {
  name = 'AccountStatus1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE officer_preference ADD COLUMN account_disabled_at timestamptz, ADD COLUMN account_status_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE officer_preference DROP COLUMN account_disabled_at, DROP COLUMN account_status_at`);
  }
}
