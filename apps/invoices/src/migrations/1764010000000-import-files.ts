import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import files: finance uploads a file of any size up to INVOICE_IMPORT_MAX_BYTES, the service
 * imports it in the background (all rows or none) and keeps here who sent which file (its
 * digests; the bytes stay in the blob store), what became of it and the rows it refused.
 */
export class ImportFiles1764010000000 implements MigrationInterface {
  name = 'ImportFiles1764010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invoice_import (
        id uuid PRIMARY KEY,
        file_name text NOT NULL,
        format text NOT NULL CHECK (format IN ('csv', 'jsonl')),
        storage_key text NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 char(64) NOT NULL,
        sm3 char(64) NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'imported', 'refused', 'failed')),
        imported integer NOT NULL DEFAULT 0,
        error_count integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]',
        failure_code text,
        failure text,
        imported_by uuid NOT NULL,
        agency_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX invoice_import_pending ON invoice_import (created_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX invoice_import_newest ON invoice_import (created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE invoice_import`);
  }
}
