import { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence files of cases (bytes in the blob store; here their digests and who added them) and their chain of custody. */
export class Evidence1764000100000 implements MigrationInterface {
  name = 'Evidence1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        storage_key text NOT NULL UNIQUE,
        name text NOT NULL,
        media_type text NOT NULL,
        description text,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 char(64) NOT NULL,
        sm3 char(64) NOT NULL,
        added_by uuid NOT NULL,
        added_by_agency_id uuid NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        sealed_at timestamptz
      )`);
    await q.query(`CREATE INDEX evidence_case ON evidence (case_id)`);
    await q.query(`
      CREATE TABLE evidence_custody (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        evidence_id uuid NOT NULL REFERENCES evidence (id),
        seq int NOT NULL,
        event text NOT NULL CHECK (event IN ('added', 'downloaded', 'sealed', 'integrity_failed')),
        actor_id text NOT NULL,
        agency_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        note text,
        UNIQUE (evidence_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence_custody, evidence`);
  }
}
