import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts opened or reset by an administrator start with a temporary password: it works until
 * `password_expires_at`, and a session signed in with it may do nothing but choose a new one
 * (AuthService.changePassword). Accounts that existed before keep their passwords.
 */
export class TemporaryPasswords1764100000000 implements MigrationInterface {
  name = 'TemporaryPasswords1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE account ADD COLUMN password_change_required boolean NOT NULL DEFAULT false, ADD COLUMN password_expires_at timestamptz, ADD COLUMN password_changed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE account DROP COLUMN password_change_required, DROP COLUMN password_expires_at, DROP COLUMN password_changed_at`);
  }
}
