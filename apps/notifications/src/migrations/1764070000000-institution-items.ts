import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Items addressed to a designated institution (news of its own self-inspection ledgers, read by
 * its portal accounts) rather than to an agency: `institution_id` is the owner when `agency_id` is
 * null, exactly one of the two is set, and only agency items name an officer. One item per event
 * and recipient still, so a redelivered event adds nothing. Read marks stay in
 * `notification_read`, whose `officer_id` holds the reading account (officers and institution
 * accounts share one account table and its ids).
 */
export class InstitutionItems1764070000000 implements MigrationInterface {
  name = 'InstitutionItems1764070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification ADD COLUMN institution_id uuid`);
    await q.query(`ALTER TABLE notification ALTER COLUMN agency_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_one_owner CHECK ((agency_id IS NULL) <> (institution_id IS NULL) AND (officer_id IS NULL OR agency_id IS NOT NULL))`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_event_recipient`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_event_recipient UNIQUE NULLS NOT DISTINCT (event_id, agency_id, officer_id, institution_id)`);
    await q.query(`CREATE INDEX notification_institution ON notification (institution_id, id DESC) WHERE institution_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification WHERE institution_id IS NOT NULL`);
    await q.query(`DROP INDEX notification_institution`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_event_recipient`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_event_recipient UNIQUE NULLS NOT DISTINCT (event_id, agency_id, officer_id)`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_one_owner`);
    await q.query(`ALTER TABLE notification ALTER COLUMN agency_id SET NOT NULL`);
    await q.query(`ALTER TABLE notification DROP COLUMN institution_id`);
  }
}
