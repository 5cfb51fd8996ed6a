import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clues assigned down on the platform (交办): the assigning bureau, and the status `reported` a clue
 * waits in until that bureau accepts the assigned bureau's report (销号) or returns it (退回).
 */
export class ClueAssignment1764140000000 implements MigrationInterface {
  name = 'ClueAssignment1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clue ADD COLUMN assigned_by_agency_id uuid`);
    await q.query(`ALTER TABLE clue DROP CONSTRAINT clue_status_check`);
    await q.query(`ALTER TABLE clue ADD CONSTRAINT clue_status_check CHECK (status IN ('received', 'triaged', 'verifying', 'reported', 'concluded'))`);
    await q.query(`CREATE INDEX clue_assigned_by ON clue (assigned_by_agency_id, created_at) WHERE assigned_by_agency_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX clue_assigned_by`);
    await q.query(`ALTER TABLE clue DROP CONSTRAINT clue_status_check`);
    await q.query(`ALTER TABLE clue ADD CONSTRAINT clue_status_check CHECK (status IN ('received', 'triaged', 'verifying', 'concluded'))`);
    await q.query(`ALTER TABLE clue DROP COLUMN assigned_by_agency_id`);
  }
}
