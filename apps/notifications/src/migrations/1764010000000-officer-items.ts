import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An event may now leave several items in one agency, one per officer it waits for (a case
 * waiting for the legal reviewers, or for its enforcement officers): one item per event, agency and
 * officer (or agency-wide, officer null), so a redelivered event still adds nothing.
 */
export class OfficerItems1764010000000 implements MigrationInterface {
  name = 'OfficerItems1764010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_event_id_agency_id_key`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_event_recipient UNIQUE NULLS NOT DISTINCT (event_id, agency_id, officer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification WHERE officer_id IS NOT NULL`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_event_recipient`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_event_id_agency_id_key UNIQUE (event_id, agency_id)`);
  }
}
