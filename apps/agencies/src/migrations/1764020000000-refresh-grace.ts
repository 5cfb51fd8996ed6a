import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The refresh token a rotation replaced, kept for a few seconds: a browser that reloads while its
 * refresh is under way never receives the new token and comes back with the old one, which is not
 * a stolen copy (AuthService.refresh).
 */
export class RefreshGrace1764020000000 implements MigrationInterface {
  name = 'RefreshGrace1764020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE session ADD COLUMN previous_refresh_hash text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE session DROP COLUMN previous_refresh_hash`);
  }
}
