import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The names an agency was registered under before the directory tool renamed it (an institutional
 * reform renames bureaus). A name is the former name of one agency at most, and never the present
 * name of any: so a directory file still listing it is refused instead of registering it anew.
 */
export class AgencyFormerNames1764110000000 implements MigrationInterface {
  name = 'AgencyFormerNames1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agency_former_name (
        name text PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES agency(id),
        renamed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agency_former_name_agency ON agency_former_name (agency_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agency_former_name`);
  }
}
