import { MigrationInterface, QueryRunner } from 'typeorm';

/** Agencies' own office systems subscribe to their inbox by signed webhook. */
export class Webhooks1763940000000 implements MigrationInterface {
  name = 'Webhooks1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscription (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        kinds text[] NOT NULL DEFAULT '{}',
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    await q.query(`CREATE INDEX webhook_subscription_agency ON webhook_subscription (agency_id) WHERE disabled_at IS NULL`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscription (id),
        notification_id bigint NOT NULL REFERENCES notification (id),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        given_up_at timestamptz,
        last_status int,
        last_error text,
        UNIQUE (subscription_id, notification_id)
      )`);
    await q.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery, webhook_subscription`);
  }
}
