import { MigrationInterface, QueryRunner } from 'typeorm';

/** Officers' notification preferences, and the email queue (immediate mails and daily digests). */
export class PreferencesEmail1763950000000 implements MigrationInterface {
  name = 'PreferencesEmail1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE officer_preference (
        officer_id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        muted_kinds text[] NOT NULL DEFAULT '{}',
        email text,
        email_enabled boolean NOT NULL DEFAULT false,
        digest_enabled boolean NOT NULL DEFAULT false,
        quiet_start time,
        quiet_end time,
        last_digest_on date,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
      )`);
    await q.query(`CREATE INDEX officer_preference_agency ON officer_preference (agency_id) WHERE email_enabled OR digest_enabled`);
    await q.query(`
      CREATE TABLE email_delivery (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        officer_id uuid NOT NULL,
        notification_id bigint REFERENCES notification (id),
        digest_on date,
        to_address text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        given_up_at timestamptz,
        last_error text,
        UNIQUE (officer_id, notification_id),
        UNIQUE (officer_id, digest_on)
      )`);
    await q.query(`CREATE INDEX email_delivery_due ON email_delivery (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_delivery, officer_preference`);
  }
}
