import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issuers with their SM2 keys, the invoice register, and every verification asked of it. */
export class Register1763970000000 implements MigrationInterface {
  name = 'Register1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE issuer (
        code text PRIMARY KEY,
        name text NOT NULL,
        public_key_pem text NOT NULL,
        registered_by uuid NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE invoice (
        code char(8) NOT NULL,
        number char(10) NOT NULL,
        check_code char(6) NOT NULL,
        kind text NOT NULL CHECK (kind IN ('outpatient', 'inpatient')),
        issued_on date NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        issuer_code text NOT NULL REFERENCES issuer (code),
        payer_name text NOT NULL,
        status text NOT NULL CHECK (status IN ('normal', 'voided', 'red_flushed')),
        original_code char(8),
        original_number char(10),
        signature text NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (code, number)
      )`);
    await q.query(`
      CREATE TABLE verification (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code char(8) NOT NULL,
        number char(10) NOT NULL,
        verdict text NOT NULL,
        differences text[] NOT NULL DEFAULT '{}',
        agency_id uuid NOT NULL,
        officer_id uuid NOT NULL,
        claim_ref text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX verification_invoice ON verification (code, number)`);
    await q.query(`CREATE INDEX verification_agency ON verification (agency_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE verification, invoice, issuer`);
  }
}
