import { MigrationInterface, QueryRunner } from 'typeorm';
import { CLOCK_TABLE_COLUMNS_SQL } from '@lianban/platform';

/** Administrative enforcement cases with their signed steps, links to transfers, money ledger, and statutory clocks. */
export class Cases1764000000000 implements MigrationInterface {
  name = 'Cases1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE case_number_seq`);
    await q.query(`
      CREATE TABLE enforcement_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        title text NOT NULL,
        party_name text NOT NULL,
        party_institution_code text,
        facts text NOT NULL,
        state text NOT NULL,
        major boolean NOT NULL DEFAULT false,
        agency_id uuid NOT NULL,
        region_code text NOT NULL,
        officer_ids uuid[] NOT NULL CHECK (cardinality(officer_ids) >= 2),
        clue_ids uuid[] NOT NULL DEFAULT '{}',
        linked_agency_ids uuid[] NOT NULL DEFAULT '{}',
        notified_penalty jsonb,
        rights_used boolean NOT NULL DEFAULT false,
        decided_penalty jsonb,
        extension text NOT NULL DEFAULT 'none' CHECK (extension IN ('none', 'head', 'collective')),
        extension_days int NOT NULL DEFAULT 0,
        pause_kind text,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX enforcement_case_region ON enforcement_case (region_code text_pattern_ops)`);
    await q.query(`CREATE INDEX enforcement_case_agency ON enforcement_case (agency_id)`);
    await q.query(`CREATE INDEX enforcement_case_linked ON enforcement_case USING gin (linked_agency_ids)`);
    await q.query(`
      CREATE TABLE case_step (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        seq int NOT NULL,
        action text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        actor_id uuid NOT NULL,
        agency_id uuid NOT NULL,
        at timestamptz NOT NULL,
        document_number text,
        note text,
        detail jsonb NOT NULL DEFAULT '{}',
        UNIQUE (case_id, seq)
      )`);
    await q.query(`
      CREATE TABLE case_transfer (
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        transfer_id uuid NOT NULL,
        number text,
        route text NOT NULL,
        state text NOT NULL,
        receiver_agency_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, transfer_id)
      )`);
    await q.query(`
      CREATE TABLE case_money (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        kind text NOT NULL CHECK (kind IN ('violating_employees', 'violating_residents', 'refunded', 'fine_paid', 'recovered_after_judgment')),
        amount_fen bigint NOT NULL,
        note text,
        actor_id uuid NOT NULL,
        agency_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_money_case ON case_money (case_id)`);
    await q.query(`CREATE TABLE clock (${CLOCK_TABLE_COLUMNS_SQL})`);
    await q.query(`CREATE INDEX clock_subject ON clock (subject_id)`);
    await q.query(`CREATE INDEX clock_pending ON clock (due_soon_at, due_at) WHERE stopped_at IS NULL AND overdue_fired_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX clock_one_running_per_step ON clock (subject_id, step) WHERE stopped_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clock, case_money, case_transfer, case_step, enforcement_case`);
    await q.query(`DROP SEQUENCE case_number_seq`);
  }
}
