import { MigrationInterface, QueryRunner } from 'typeorm';

/** Clues, transfers with their signed steps, and statutory clocks. */
export class CluesTransfersClocks1763910000000 implements MigrationInterface {
  name = 'CluesTransfersClocks1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE clue_number_seq`);
    await q.query(`
      CREATE TABLE clue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        agency_id uuid NOT NULL,
        region_code text NOT NULL,
        source text NOT NULL,
        subject_kind text NOT NULL,
        subject_name text NOT NULL,
        subject_institution_code text,
        subject_id_number_enc bytea,
        categories text[] NOT NULL,
        period_from date NOT NULL,
        period_to date NOT NULL CHECK (period_to >= period_from),
        amount_fen bigint CHECK (amount_fen >= 0),
        description text NOT NULL,
        reporter_enc bytea,
        report_back_by timestamptz,
        assignment_reference text,
        attachments jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'triaged', 'verifying', 'concluded')),
        outcome text CHECK (outcome IN ('unfounded', 'case_opened', 'transferred')),
        filing_decision_due_at timestamptz NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        concluded_at timestamptz
      )`);
    await q.query(`CREATE INDEX clue_region ON clue (region_code text_pattern_ops)`);
    await q.query(`CREATE INDEX clue_institution_period ON clue (subject_institution_code, period_from, period_to)`);
    await q.query(`CREATE INDEX clue_subject_name ON clue (subject_name)`);
    await q.query(`
      CREATE TABLE clue_step (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        clue_id uuid NOT NULL REFERENCES clue (id),
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_id text NOT NULL,
        agency_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        note text
      )`);
    await q.query(`CREATE SEQUENCE transfer_number_seq`);
    await q.query(`
      CREATE TABLE transfer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        route text NOT NULL,
        state text NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        clue_id uuid REFERENCES clue (id),
        sender_agency_id uuid NOT NULL,
        sender_region_code text NOT NULL,
        receiver_agency_id uuid NOT NULL,
        receiver_region_code text NOT NULL,
        receiver_history uuid[] NOT NULL,
        procuratorate_agency_id uuid,
        court_agency_id uuid,
        drafter_id uuid NOT NULL,
        team_officer_ids uuid[] NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX transfer_receiver_history ON transfer USING gin (receiver_history)`);
    await q.query(`CREATE INDEX transfer_sender ON transfer (sender_agency_id)`);
    await q.query(`CREATE INDEX transfer_regions ON transfer (sender_region_code text_pattern_ops, receiver_region_code text_pattern_ops)`);
    await q.query(`
      CREATE TABLE transfer_step (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transfer_id uuid NOT NULL REFERENCES transfer (id),
        seq int NOT NULL,
        action text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        actor_id uuid NOT NULL,
        agency_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        document_number text,
        note text,
        attachments jsonb NOT NULL DEFAULT '[]',
        UNIQUE (transfer_id, seq)
      )`);
    await q.query(`
      CREATE TABLE clock (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_type text NOT NULL CHECK (subject_type IN ('transfer', 'clue')),
        subject_id uuid NOT NULL,
        step text NOT NULL,
        duty_agency_id uuid NOT NULL,
        region_code text NOT NULL,
        escalate_to text[] NOT NULL,
        started_at timestamptz NOT NULL,
        due_soon_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        stopped_at timestamptz,
        due_soon_fired_at timestamptz,
        overdue_fired_at timestamptz
      )`);
    await q.query(`CREATE INDEX clock_subject ON clock (subject_id)`);
    await q.query(`CREATE INDEX clock_pending ON clock (due_soon_at, due_at) WHERE stopped_at IS NULL AND overdue_fired_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX clock_one_running_per_step ON clock (subject_id, step) WHERE stopped_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clock, transfer_step, transfer, clue_step, clue`);
    await q.query(`DROP SEQUENCE transfer_number_seq, clue_number_seq`);
  }
}
