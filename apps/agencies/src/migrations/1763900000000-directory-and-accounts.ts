import { MigrationInterface, QueryRunner } from 'typeorm';

/** Regions, agencies, joint bodies, accounts, institutions and sessions. */
export class DirectoryAndAccounts1763900000000 implements MigrationInterface {
  name = 'DirectoryAndAccounts1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE region (
        code text PRIMARY KEY CHECK (code ~ '^[1-9][0-9]{5}$'),
        name text NOT NULL,
        level text NOT NULL CHECK (level IN ('province', 'city', 'district')),
        parent_code text REFERENCES region (code)
      )`);
    await q.query(`
      CREATE TABLE agency (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('MEDICAL_INSURANCE','POLICE','PROCURATORATE','COURT','FINANCE','HEALTH','MARKET','DISCIPLINE','LEADING_GROUP_OFFICE')),
        name text NOT NULL UNIQUE,
        region_code text NOT NULL REFERENCES region (code),
        parent_id uuid REFERENCES agency (id),
        contact_phone text,
        contact_address text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agency_region ON agency (region_code text_pattern_ops)`);
    await q.query(`
      CREATE TABLE joint_body (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('leading_group', 'task_force')),
        name text NOT NULL,
        region_code text NOT NULL REFERENCES region (code),
        office_agency_id uuid REFERENCES agency (id)
      )`);
    await q.query(`
      CREATE TABLE joint_body_member (
        body_id uuid NOT NULL REFERENCES joint_body (id) ON DELETE CASCADE,
        agency_id uuid NOT NULL REFERENCES agency (id),
        position text NOT NULL CHECK (position IN ('leader', 'deputy_leader', 'member')),
        title text NOT NULL,
        PRIMARY KEY (body_id, agency_id, title)
      )`);
    await q.query(`
      CREATE TABLE institution (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^H[0-9]{11}$'),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('hospital', 'pharmacy')),
        ownership text NOT NULL CHECK (ownership IN ('public', 'private')),
        level text NOT NULL CHECK (level IN ('3', '2', '1_or_below')),
        region_code text NOT NULL REFERENCES region (code),
        agreement_status text NOT NULL DEFAULT 'active' CHECK (agreement_status IN ('active', 'suspended', 'terminated', 'terminated_for_fraud')),
        agreement_status_since date NOT NULL DEFAULT current_date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (substring(code from 2 for 6) = region_code)
      )`);
    await q.query(`
      CREATE TABLE account (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('officer', 'institution')),
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        agency_id uuid REFERENCES agency (id),
        institution_id uuid REFERENCES institution (id),
        roles text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['officer','head','legal_reviewer','admin','complaint_handler']),
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'officer' AND agency_id IS NOT NULL AND institution_id IS NULL)
            OR (kind = 'institution' AND institution_id IS NOT NULL AND agency_id IS NULL))
      )`);
    await q.query(`
      CREATE TABLE session (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES account (id),
        refresh_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        refreshed_at timestamptz
      )`);
    await q.query(`CREATE INDEX session_account ON session (account_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE login_failure (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL,
        ip text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_failure_recent ON login_failure (username, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failure, session, account, institution, joint_body_member, joint_body, agency, region`);
  }
}
