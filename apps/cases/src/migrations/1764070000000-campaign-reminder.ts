import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reminders sent for a campaign, one row per campaign and kind: written in the transaction
 * that puts the reminder's event in the outbox, so each is sent once, by one instance.
 */
export class CampaignReminder1764070000000 implements MigrationInterface {
  name = 'CampaignReminder1764070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign_reminder (
        campaign_id uuid NOT NULL REFERENCES campaign (id),
        kind text NOT NULL CHECK (kind IN ('self_inspection_closing')),
        -- The institutions whose ledger was submitted by then, and were not reminded.
        submitted int NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE campaign_reminder`);
  }
}
