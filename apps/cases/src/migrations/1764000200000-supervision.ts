import { MigrationInterface, QueryRunner } from 'typeorm';

/** Supervision orders (督办, 挂牌督办) of the leading-group office on cases, and the supervised agency's progress reports. */
export class Supervision1764000200000 implements MigrationInterface {
  name = 'Supervision1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        kind text NOT NULL CHECK (kind IN ('supervision', 'listed')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        issuing_agency_id uuid NOT NULL,
        supervised_agency_id uuid NOT NULL,
        region_code text NOT NULL,
        document_number text NOT NULL,
        requirements text NOT NULL,
        deadline timestamptz NOT NULL,
        report_every_working_days int NOT NULL CHECK (report_every_working_days BETWEEN 1 AND 60),
        issued_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        close_note text
      )`);
    await q.query(`CREATE UNIQUE INDEX supervision_one_open_per_case ON supervision_order (case_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX supervision_region ON supervision_order (region_code text_pattern_ops)`);
    await q.query(`CREATE INDEX supervision_supervised ON supervision_order (supervised_agency_id)`);
    await q.query(`
      CREATE TABLE supervision_report (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES supervision_order (id),
        seq int NOT NULL,
        progress text NOT NULL,
        document_number text,
        actor_id uuid NOT NULL,
        agency_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        late boolean NOT NULL,
        UNIQUE (order_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision_report, supervision_order`);
  }
}
