import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A blind index of the subject's ID number (PiiCipher.blindIndex), so that clues on the same
 * person are found by the number, not by a name many people share. The key is in the service's
 * configuration, not in the database: clues recorded before are indexed when the service starts
 * (ClueService.indexSubjectIds).
 */
export class ClueSubjectIdIndex1764140000002 implements MigrationInterface {
  name = 'ClueSubjectIdIndex1764140000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clue ADD COLUMN subject_id_index bytea`);
    await q.query(`CREATE INDEX clue_subject_id_index ON clue (subject_id_index) WHERE subject_id_index IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clue DROP COLUMN subject_id_index`);
  }
}
