import { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications addressed to agencies (and, optionally, one officer), and who has read them. */
export class Inbox1763930000000 implements MigrationInterface {
  name = 'Inbox1763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL,
        kind text NOT NULL,
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'high')),
        agency_id uuid NOT NULL,
        officer_id uuid,
        title text NOT NULL,
        body text NOT NULL,
        link text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (event_id, agency_id)
      )`);
    await q.query(`CREATE INDEX notification_agency ON notification (agency_id, id DESC)`);
    await q.query(`
      CREATE TABLE notification_read (
        officer_id uuid NOT NULL,
        notification_id bigint NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (officer_id, notification_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_read, notification`);
  }
}
