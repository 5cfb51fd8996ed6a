import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { computeDeadlineWithPauses, dueSoonAt, HolidayCalendar, isDueToday, Limit, Pause, shanghaiDate } from '@lianban/clocks';
import { ClockView, DomainError, MessageContext, systemActor } from '@lianban/contracts';
import { newCorrelationId } from '@lianban/messaging';
import { audit, OutboxWriter } from '@lianban/persistence';
import { PeriodicTask } from './periodic';

/**
 * The durable deadline engine, shared by every service that keeps statutory clocks (clue-transfer
 * for clues and transfers, cases for administrative cases and supervision orders). Each service
 * keeps the `clock` table in its own schema (same columns) and its own rules; the engine does the
 * rest: clocks start, stop, pause and resume in the transaction of the step that causes it, live
 * in PostgreSQL (a restart loses none), and each threshold fires exactly once — the firing is
 * recorded in the same transaction that writes its `clock.due_soon` / `clock.overdue` event.
 */

/** What the engine needs of a rule: its label, its limit, and who hears when it is missed. */
export interface EngineClockRule {
  step: string;
  label: string;
  limit: Limit;
  escalateTo: string[];
}

export interface ClockSettings {
  calendar: HolidayCalendar;
  /** How often due clocks are looked for. */
  tickMs: number;
  /** Reminder lead times in minutes; empty for the default single due-soon reminder. */
  reminderLeadsMinutes?: number[];
}

export interface StartClock {
  subjectType: string;
  subjectId: string;
  step: string;
  dutyAgencyId: string;
  /** Region whose leading-group office (and procuratorate) hear about a missed deadline. */
  regionCode: string;
  startedAt: Date;
  /** For clocks whose end is set by someone else (an assignment's report-back date). */
  dueAt?: Date;
  /** A limit other than the rule's (e.g. a case's 90 days once extended). */
  limit?: Limit;
  /** Agencies told of the deadline besides the one whose duty it is (the bureau that assigned a clue down awaits its report). */
  alsoTell?: string[];
}

/** The columns a firing needs, optionally qualified by a table alias. */
const dueColumns = (alias = '') => ['id', 'subject_type', 'subject_id', 'step', 'duty_agency_id', 'also_tell', 'region_code', 'escalate_to', 'due_at'].map((c) => alias + c).join(', ');

interface DueClock {
  id: string;
  subject_type: string;
  subject_id: string;
  step: string;
  duty_agency_id: string;
  also_tell: string[];
  region_code: string;
  escalate_to: string[];
  due_at: Date;
  /** The reminder lead (minutes) this row fires for; null for the default threshold. */
  lead: number | null;
}

interface ClockRow {
  id: string;
  subject_id: string;
  step: string;
  started_at: Date;
  due_at: Date;
  due_soon_at: Date;
  stopped_at: Date | null;
  overdue_fired_at: Date | null;
  escalate_to: string[];
  paused_since: Date | null;
  pauses: { from: string; to: string }[];
  limit_override: Limit | null;
  /** The deadline was given (a report-back date, a supervision order's), not counted on the calendar. */
  due_given: boolean;
}

export class ClockEngine {
  protected readonly logger: Logger;
  private readonly scanner: PeriodicTask;

  constructor(
    protected readonly ds: DataSource,
    protected readonly outbox: OutboxWriter,
    protected readonly settings: ClockSettings,
    protected readonly rules: Record<string, EngineClockRule>,
    name = 'ClockEngine',
  ) {
    this.logger = new Logger(name);
    this.scanner = new PeriodicTask(() => this.fireDue(), settings.tickMs, (e) => this.logger.error(`clock scan failed: ${e.message}`));
  }

  private rule(step: string): EngineClockRule {
    const rule = this.rules[step];
    if (!rule) throw new Error(`No clock rule for step "${step}"`);
    return rule;
  }

  async start(m: EntityManager, c: StartClock): Promise<void> {
    const rule = this.rule(c.step);
    const limit = c.limit ?? rule.limit;
    const dueAt = c.dueAt ?? (computeDeadlineWithPauses(c.startedAt, limit, [], this.settings.calendar) as Date);
    await m.query(
      `INSERT INTO clock (subject_type, subject_id, step, duty_agency_id, region_code, escalate_to, started_at, due_soon_at, due_at, limit_override, due_given, also_tell)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [c.subjectType, c.subjectId, c.step, c.dutyAgencyId, c.regionCode, rule.escalateTo, c.startedAt, dueSoonAt(c.startedAt, dueAt), dueAt, c.limit ? JSON.stringify(c.limit) : null, c.dueAt !== undefined, c.alsoTell ?? []],
    );
  }

  /**
   * Records a deadline that is only known once its step is taken: the clock as it ran, from
   * `startedAt` to `takenAt`. (Police that find a transfer is not theirs must forward it within 24
   * hours of signing for it, R7; no one knows beforehand that they will.) Taken late, the missed
   * deadline is on record as any other and escalated at once, as a running clock would have been,
   * with `takenAt` in the event. Says whether it was late.
   */
  async recordTaken(m: EntityManager, c: StartClock, takenAt: Date, ctx: MessageContext): Promise<boolean> {
    const rule = this.rule(c.step);
    const dueAt = computeDeadlineWithPauses(c.startedAt, c.limit ?? rule.limit, [], this.settings.calendar) as Date;
    const late = takenAt > dueAt;
    const [row]: DueClock[] = await m.query(
      `INSERT INTO clock (subject_type, subject_id, step, duty_agency_id, region_code, escalate_to, started_at, due_soon_at, due_at, limit_override, also_tell, stopped_at, overdue_fired_at, due_soon_fired_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
       RETURNING ${dueColumns()}`,
      [c.subjectType, c.subjectId, c.step, c.dutyAgencyId, c.regionCode, rule.escalateTo, c.startedAt, dueSoonAt(c.startedAt, dueAt), dueAt, c.limit ? JSON.stringify(c.limit) : null, c.alsoTell ?? [], takenAt, late ? takenAt : null],
    );
    if (late) await this.outbox.append(m, { type: 'clock.overdue', payload: { ...this.payload(row), escalateTo: row.escalate_to, takenAt: takenAt.toISOString() } }, ctx);
    return late;
  }

  async stop(m: EntityManager, subjectId: string, steps: readonly string[], at: Date): Promise<void> {
    if (steps.length === 0) return;
    // A clock stopped while paused closes its pause at the same instant, and its deadline moves by
    // the days the pause took out: it was not late for the time that did not count.
    const paused: { step: string }[] = await m.query(`SELECT step FROM clock WHERE subject_id = $1 AND step = ANY($2) AND stopped_at IS NULL AND paused_since IS NOT NULL`, [subjectId, steps]);
    for (const { step } of paused) await this.resume(m, subjectId, step, at);
    await m.query(`UPDATE clock SET stopped_at = $3 WHERE subject_id = $1 AND step = ANY($2) AND stopped_at IS NULL`, [subjectId, steps, at]);
  }

  async stopAll(m: EntityManager, subjectId: string, at: Date): Promise<void> {
    const steps: { step: string }[] = await m.query(`SELECT step FROM clock WHERE subject_id = $1 AND stopped_at IS NULL`, [subjectId]);
    await this.stop(
      m,
      subjectId,
      steps.map((s) => s.step),
      at,
    );
  }

  /** Time that does not count (tests, appraisal, hearing…): the clock neither warns nor escalates until resumed. */
  async pause(m: EntityManager, subjectId: string, step: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await m.query(`UPDATE clock SET paused_since = $3 WHERE subject_id = $1 AND step = $2 AND stopped_at IS NULL AND paused_since IS NULL RETURNING id`, [subjectId, step, at]);
    return rows.length > 0;
  }

  /** Lifts a pause; the deadline moves by the days it took out (libs/clocks, computeDeadlineWithPauses). */
  async resume(m: EntityManager, subjectId: string, step: string, at: Date): Promise<boolean> {
    const [row] = (await m.query(`SELECT * FROM clock WHERE subject_id = $1 AND step = $2 AND stopped_at IS NULL AND paused_since IS NOT NULL FOR UPDATE`, [subjectId, step])) as ClockRow[];
    if (!row) return false;
    const pauses = [...row.pauses, { from: row.paused_since!.toISOString(), to: at.toISOString() }];
    await this.recompute(m, { ...row, paused_since: null }, pauses, row.limit_override ?? this.rule(step).limit);
    return true;
  }

  /**
   * Gives a running clock a new limit (an extension), counted from its start with its pauses. An
   * extension is approved before the time runs out: once it has (at `at`, or escalated as
   * overdue), it is refused, and the missed deadline stays on record.
   */
  async setLimit(m: EntityManager, subjectId: string, step: string, limit: Limit, at: Date): Promise<boolean> {
    const [row] = (await m.query(`SELECT * FROM clock WHERE subject_id = $1 AND step = $2 AND stopped_at IS NULL FOR UPDATE`, [subjectId, step])) as ClockRow[];
    if (!row) return false;
    if (row.overdue_fired_at || (!row.paused_since && at >= row.due_at)) {
      throw new DomainError(409, 'DEADLINE_PASSED', `The time ran out at ${row.due_at.toISOString()}: an extension is approved before it does, and the missed deadline stays on record.`, { dueAt: row.due_at.toISOString() });
    }
    await this.recompute(m, { ...row, limit_override: limit }, row.pauses, limit);
    return true;
  }

  /** Writes a clock's pauses and limit, and the deadline they give on the calendar. */
  private recompute(m: EntityManager, row: ClockRow, pauses: { from: string; to: string }[], limit: Limit): Promise<void> {
    return this.write(m, row, pauses, limit, this.deadline(row, pauses, limit));
  }

  /** The deadline a clock's start, pauses and limit give on the calendar. */
  private deadline(row: ClockRow, pauses: { from: string; to: string }[], limit: Limit): Date {
    const asPauses: Pause[] = pauses.map((p) => ({ from: new Date(p.from), to: new Date(p.to) }));
    if (row.paused_since) asPauses.push({ from: row.paused_since });
    // While still paused the end is unknown: keep the last known one, the scan skips paused clocks.
    // A given deadline (a date someone set) does not depend on the calendar; an extension replaces it.
    const counted = row.due_given && !row.limit_override ? null : computeDeadlineWithPauses(row.started_at, limit, asPauses, this.settings.calendar);
    return counted ?? row.due_at;
  }

  private async write(m: EntityManager, row: ClockRow, pauses: { from: string; to: string }[], limit: Limit, due: Date): Promise<void> {
    const moved = due.getTime() !== row.due_at.getTime();
    await m.query(
      `UPDATE clock SET pauses = $2, paused_since = $3, due_at = $4, due_soon_at = $5, limit_override = $6,
              due_soon_fired_at = CASE WHEN $7 THEN NULL ELSE due_soon_fired_at END,
              reminders_fired = CASE WHEN $7 THEN '{}'::int[] ELSE reminders_fired END
        WHERE id = $1`,
      [row.id, JSON.stringify(pauses), row.paused_since, due, dueSoonAt(row.started_at, due), row.limit_override ? JSON.stringify(limit) : null, moved],
    );
  }

  /**
   * Counts every running deadline again on the calendar the service started with. The State
   * Council's notice for a year comes out late in the year before, when clocks that end in it are
   * already running on the days the law fixes alone (FIXED_HOLIDAYS): loading the notice
   * (HOLIDAY_CALENDAR_FILE, or a release that ships it) moves their deadlines to where it puts
   * them. A deadline already escalated as missed stays on record; a given date (report-back,
   * supervision order) is not counted on the calendar. Each moved deadline is audited
   * (`clock.rescheduled`) and its reminders fire again for the new one; the others are not written. Runs at start, before the
   * first scan; a clock that moves is locked and counted again first (several instances may start at once).
   */
  async recount(batch = 500): Promise<number> {
    let moved = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    const actor = systemActor('calendar');
    for (;;) {
      // Read without locks: on an unchanged calendar a start writes and locks nothing.
      const rows = (await this.ds.query(`SELECT * FROM clock WHERE stopped_at IS NULL AND overdue_fired_at IS NULL AND id > $1 ORDER BY id LIMIT $2`, [after, batch])) as ClockRow[];
      for (const seen of rows) {
        if (!this.movedOnCalendar(seen)) continue;
        // It moves: counted again on the row as it is now, locked (a step or another instance may have changed it).
        moved += await this.ds.transaction(async (m) => {
          const [row] = (await m.query(`SELECT * FROM clock WHERE id = $1 AND stopped_at IS NULL AND overdue_fired_at IS NULL FOR UPDATE`, [seen.id])) as ClockRow[];
          const due = row && this.movedOnCalendar(row);
          if (!due) return 0;
          await this.write(m, row, row.pauses, row.limit_override ?? this.rules[row.step].limit, due);
          await audit(m, {
            actor,
            action: 'clock.rescheduled',
            target: row.id,
            outcome: 'succeeded',
            detail: { subjectId: row.subject_id, step: row.step, reason: 'holiday_calendar', from: row.due_at.toISOString(), to: due.toISOString() },
          });
          return 1;
        });
      }
      if (rows.length < batch) return moved;
      after = rows[rows.length - 1].id;
    }
  }

  /** The deadline a running clock gets on the calendar now, when it differs from the one it has (null: unchanged, or no rule). */
  private movedOnCalendar(row: ClockRow): Date | null {
    const rule = this.rules[row.step];
    if (!rule) return null;
    const due = this.deadline(row, row.pauses, row.limit_override ?? rule.limit);
    return due.getTime() === row.due_at.getTime() ? null : due;
  }

  async clocksOf(subjectId: string, now = new Date(), m: EntityManager = this.ds.manager): Promise<ClockView[]> {
    const rows: ClockRow[] = await m.query(`SELECT * FROM clock WHERE subject_id = $1 ORDER BY started_at, step`, [subjectId]);
    return rows.map((r) => ({
      step: r.step,
      label: this.rules[r.step]?.label ?? r.step,
      startedAt: r.started_at.toISOString(),
      dueAt: r.due_at.toISOString(),
      stoppedAt: r.stopped_at?.toISOString() ?? null,
      // A paused clock is not late while paused (its deadline moves when it resumes), unless it was before.
      status: r.stopped_at ? 'stopped' : r.overdue_fired_at ? 'overdue' : r.paused_since ? 'paused' : now >= r.due_at ? 'overdue' : isDueToday(now, r.due_at) ? 'due' : now >= r.due_soon_at ? 'due_soon' : 'running',
      escalatedTo: r.overdue_fired_at ? r.escalate_to : [],
      pausedSince: r.paused_since?.toISOString() ?? null,
      pauses: r.pauses,
    }));
  }

  /**
   * Fires every threshold reached by `now` that has not fired yet: `clock.due_soon` to the agency
   * whose duty it is (once per configured lead time, or once at the default threshold), and
   * `clock.overdue` to it and to the agencies the rule escalates to. A paused clock fires nothing.
   */
  async fireDue(now = new Date()): Promise<number> {
    const leads = this.settings.reminderLeadsMinutes ?? [];
    return this.ds.transaction(async (m) => {
      const ctx = { actor: systemActor('clock'), correlationId: newCorrelationId() };
      const overdue: DueClock[] = await m.query(
        `SELECT ${dueColumns()}, NULL::int AS lead FROM clock
          WHERE stopped_at IS NULL AND paused_since IS NULL AND overdue_fired_at IS NULL AND due_at <= $1
          ORDER BY due_at LIMIT 200 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      for (const c of overdue) {
        await m.query(`UPDATE clock SET overdue_fired_at = $2, due_soon_fired_at = COALESCE(due_soon_fired_at, $2) WHERE id = $1`, [c.id, now]);
        await this.outbox.append(m, { type: 'clock.overdue', payload: { ...this.payload(c), escalateTo: c.escalate_to } }, ctx);
      }
      const reminders: DueClock[] = leads.length
        ? await m.query(
            // A lead longer than the whole period would remind at once: it is skipped for that clock.
            `SELECT ${dueColumns('c.')}, l.lead FROM clock c CROSS JOIN unnest($2::int[]) AS l(lead)
              WHERE c.stopped_at IS NULL AND c.paused_since IS NULL AND c.overdue_fired_at IS NULL AND c.due_at > $1
                AND c.due_at - make_interval(mins => l.lead) <= $1 AND c.due_at - c.started_at > make_interval(mins => l.lead)
                AND NOT (l.lead = ANY(c.reminders_fired))
              ORDER BY c.due_at LIMIT 200 FOR UPDATE OF c SKIP LOCKED`,
            [now, leads],
          )
        : await m.query(
            `SELECT ${dueColumns()}, NULL::int AS lead FROM clock
              WHERE stopped_at IS NULL AND paused_since IS NULL AND overdue_fired_at IS NULL AND due_at > $1 AND due_soon_at <= $1 AND due_soon_fired_at IS NULL
              ORDER BY due_at LIMIT 200 FOR UPDATE SKIP LOCKED`,
            [now],
          );
      for (const c of reminders) {
        if (c.lead === null) await m.query(`UPDATE clock SET due_soon_fired_at = $2 WHERE id = $1`, [c.id, now]);
        else await m.query(`UPDATE clock SET reminders_fired = array_append(reminders_fired, $2) WHERE id = $1`, [c.id, c.lead]);
        await this.outbox.append(m, { type: 'clock.due_soon', payload: { ...this.payload(c), leadMinutes: c.lead } }, ctx);
      }
      return overdue.length + reminders.length;
    });
  }

  private payload(c: DueClock) {
    return {
      clockId: c.id,
      subjectType: c.subject_type,
      subjectId: c.subject_id,
      step: c.step,
      label: this.rules[c.step]?.label ?? c.step,
      dutyAgencyId: c.duty_agency_id,
      alsoTell: c.also_tell,
      regionCode: c.region_code,
      dueAt: c.due_at.toISOString(),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const year = Number(shanghaiDate(new Date()).slice(0, 4));
    for (const y of [year, year + 1]) {
      if (!this.settings.calendar.hasDataFor(y)) {
        this.logger.warn(`no public-holiday schedule for ${y}: working days count Monday to Friday until HOLIDAY_CALENDAR_FILE provides it`);
      }
    }
    try {
      const moved = await this.recount();
      if (moved) this.logger.log(`${moved} running deadlines moved to where the holiday calendar puts them`);
    } catch (e) {
      this.logger.error(`running deadlines were not counted again on the holiday calendar: ${(e as Error).message}`);
    }
    this.scanner.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.scanner.stop();
  }
}

/** The clock table every service that uses the engine creates in its own schema (migration SQL). */
export const CLOCK_TABLE_COLUMNS_SQL = `
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_type text NOT NULL,
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
        overdue_fired_at timestamptz,
        reminders_fired int[] NOT NULL DEFAULT '{}',
        paused_since timestamptz,
        pauses jsonb NOT NULL DEFAULT '[]',
        limit_override jsonb`;

/**
 * Clocks of a region (`prefix`: a LIKE pattern of region codes) counted per agency whose duty
 * they are, for the statistics. With a period: the deadlines that fell in it (a deadline at 24:00
 * of its last day is that day's), have passed, and whose step came late or not at all (missed
 * deadlines); a clock paused now is not late, unless it was escalated before its pause. Without:
 * the clocks overdue now, running (not stopped, not paused) past their deadline, whenever they started.
 */
export async function overdueClocksByAgency(db: DataSource | EntityManager, prefix: string, period?: { from: Date; to: Date }): Promise<Record<string, number>> {
  const rows: { agency: string; n: number }[] = period
    ? await db.query(
        `SELECT duty_agency_id AS agency, count(*)::int AS n FROM clock
          WHERE region_code LIKE $1 AND due_at > $2 AND due_at <= $3 AND due_at <= now() AND (stopped_at IS NULL OR stopped_at > due_at)
            AND (paused_since IS NULL OR overdue_fired_at IS NOT NULL)
          GROUP BY duty_agency_id`,
        [prefix, period.from, period.to],
      )
    : await db.query(
        `SELECT duty_agency_id AS agency, count(*)::int AS n FROM clock
          WHERE region_code LIKE $1 AND stopped_at IS NULL AND paused_since IS NULL AND due_at <= now()
          GROUP BY duty_agency_id`,
        [prefix],
      );
  return Object.fromEntries(rows.map((r) => [r.agency, r.n]));
}

/** Migration SQL for `also_tell`: agencies told of a clock besides the one whose duty it is (none for the clocks before it). */
export async function addClockAlsoTell(q: { query(sql: string): Promise<unknown> }): Promise<void> {
  await q.query(`ALTER TABLE clock ADD COLUMN also_tell uuid[] NOT NULL DEFAULT '{}'`);
}

/**
 * Migration SQL that marks the clocks whose deadline was given rather than counted (`due_given`),
 * so that counting running deadlines again on a new holiday calendar leaves them alone. `steps`:
 * the service's steps that have always started with a given date.
 */
export async function addClockDueGiven(q: { query(sql: string, params?: unknown[]): Promise<unknown> }, steps: string[]): Promise<void> {
  await q.query(`ALTER TABLE clock ADD COLUMN due_given boolean NOT NULL DEFAULT false`);
  await q.query(`UPDATE clock SET due_given = true WHERE step = ANY($1)`, [steps]);
}
