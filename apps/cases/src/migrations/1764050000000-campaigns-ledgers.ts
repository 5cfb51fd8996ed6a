import { MigrationInterface, QueryRunner } from 'typeorm';

/** Self-inspection campaigns with their phases, and the institutions' ledgers (seed 002, Annex 3). */
export class CampaignsLedgers1764050000000 implements MigrationInterface {
  name = 'CampaignsLedgers1764050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        document_number text,
        region_code text NOT NULL,
        -- The region's names as the register had them when the campaign was created: the forms print them.
        region_name text NOT NULL,
        city_name text NOT NULL,
        districts jsonb NOT NULL,
        agency_id uuid NOT NULL,
        targets text[] NOT NULL,
        audit_period_from date NOT NULL,
        audit_period_to date NOT NULL CHECK (audit_period_to >= audit_period_from),
        starts_on date NOT NULL,
        ends_on date NOT NULL CHECK (ends_on >= starts_on),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX campaign_region ON campaign (region_code text_pattern_ops)`);
    await q.query(`
      CREATE TABLE campaign_phase (
        campaign_id uuid NOT NULL REFERENCES campaign (id),
        seq int NOT NULL,
        kind text NOT NULL CHECK (kind IN ('mobilisation', 'self_inspection', 'inspection', 'spot_check', 'consolidation', 'summary')),
        name text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL CHECK (ends_on >= starts_on),
        PRIMARY KEY (campaign_id, seq)
      )`);
    await q.query(`
      CREATE TABLE self_inspection_ledger (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaign (id),
        institution_id uuid NOT NULL,
        institution_code text NOT NULL,
        institution_name text NOT NULL,
        institution_kind text NOT NULL CHECK (institution_kind IN ('hospital', 'pharmacy')),
        ownership text NOT NULL,
        level text NOT NULL,
        region_code text NOT NULL,
        insurance_types text[] NOT NULL,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'resubmitted', 'accepted')),
        return_reasons text,
        submitted_at timestamptz,
        accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, institution_id)
      )`);
    await q.query(`CREATE INDEX self_inspection_ledger_campaign_region ON self_inspection_ledger (campaign_id, region_code text_pattern_ops)`);
    await q.query(`
      CREATE TABLE self_inspection_problem (
        ledger_id uuid NOT NULL REFERENCES self_inspection_ledger (id),
        seq int NOT NULL CHECK (seq >= 1),
        category text NOT NULL,
        content text NOT NULL,
        violating_employees_fen bigint NOT NULL CHECK (violating_employees_fen >= 0),
        violating_residents_fen bigint NOT NULL CHECK (violating_residents_fen >= 0),
        refunded_employees_fen bigint NOT NULL CHECK (refunded_employees_fen BETWEEN 0 AND violating_employees_fen),
        refunded_residents_fen bigint NOT NULL CHECK (refunded_residents_fen BETWEEN 0 AND violating_residents_fen),
        rectified boolean NOT NULL,
        reason text,
        PRIMARY KEY (ledger_id, seq),
        CHECK (rectified OR reason IS NOT NULL)
      )`);
    await q.query(`
      CREATE TABLE self_inspection_step (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ledger_id uuid NOT NULL REFERENCES self_inspection_ledger (id),
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_kind text NOT NULL,
        actor_id text NOT NULL,
        agency_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        note text,
        changes jsonb
      )`);
    await q.query(`CREATE INDEX self_inspection_step_ledger ON self_inspection_step (ledger_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE self_inspection_step, self_inspection_problem, self_inspection_ledger, campaign_phase, campaign`);
  }
}
