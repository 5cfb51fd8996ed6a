import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { computeDeadline, dueSoonAt, HolidayCalendar, isDueToday, shanghaiDate } from '@lianban/clocks';
import { ClockView, systemActor } from '@lianban/contracts';
import { newCorrelationId } from '@lianban/messaging';
import { OutboxWriter } from '@lianban/persistence';
import { PeriodicTask } from '@lianban/platform';
import { ALL_CLOCK_RULES, AnyClockStep } from './clock-rules';

export const CLOCK_SETTINGS = Symbol('CLOCK_SETTINGS');

/** The columns a firing needs, optionally qualified by a table alias. */
const dueColumns = (alias = '') => ['id', 'subject_type', 'subject_id', 'step', 'duty_agency_id', 'region_code', 'escalate_to', 'due_at'].map((c) => alias + c).join(', ');

interface DueClock {
  id: string;
  subject_type: string;
  subject_id: string;
  step: AnyClockStep;
  duty_agency_id: string;
  region_code: string;
  escalate_to: string[];
  due_at: Date;
  /** The reminder lead (minutes) this row fires for; null for the default threshold. */
  lead: number | null;
}

export interface ClockSettings {
  calendar: HolidayCalendar;
  /** How often due clocks are looked for. */
  tickMs: number;
  /** Reminder lead times in minutes; empty for the default single due-soon reminder. */
  reminderLeadsMinutes?: number[];
}

export interface StartClock {
  subjectType: 'transfer' | 'clue';
  subjectId: string;
  step: AnyClockStep;
  dutyAgencyId: string;
  /** Region whose leading-group office (and procuratorate) hear about a missed deadline. */
  regionCode: string;
  startedAt: Date;
  /** For clocks whose end is set by someone else (an assignment's report-back date). */
  dueAt?: Date;
}

/**
 * The deadline engine: clocks start and stop in the same transaction as the step that causes
 * them, live in PostgreSQL (a restart loses none), and each threshold fires exactly once: the
 * firing is recorded in the same transaction that writes its event to the outbox.
 */
@Injectable()
export class ClockService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ClockService.name);
  private readonly scanner: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(CLOCK_SETTINGS) private readonly settings: ClockSettings,
  ) {
    this.scanner = new PeriodicTask(() => this.fireDue(), settings.tickMs, (e) => this.logger.error(`clock scan failed: ${e.message}`));
  }

  async start(m: EntityManager, c: StartClock): Promise<void> {
    const rule = ALL_CLOCK_RULES[c.step];
    const dueAt = c.dueAt ?? computeDeadline(c.startedAt, rule.limit, this.settings.calendar);
    await m.query(
      `INSERT INTO clock (subject_type, subject_id, step, duty_agency_id, region_code, escalate_to, started_at, due_soon_at, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.subjectType, c.subjectId, c.step, c.dutyAgencyId, c.regionCode, rule.escalateTo, c.startedAt, dueSoonAt(c.startedAt, dueAt), dueAt],
    );
  }

  async stop(m: EntityManager, subjectId: string, steps: readonly string[], at: Date): Promise<void> {
    if (steps.length === 0) return;
    await m.query(`UPDATE clock SET stopped_at = $3 WHERE subject_id = $1 AND step = ANY($2) AND stopped_at IS NULL`, [subjectId, steps, at]);
  }

  async stopAll(m: EntityManager, subjectId: string, at: Date): Promise<void> {
    await m.query(`UPDATE clock SET stopped_at = $2 WHERE subject_id = $1 AND stopped_at IS NULL`, [subjectId, at]);
  }

  async clocksOf(subjectId: string, now = new Date(), m: EntityManager = this.ds.manager): Promise<ClockView[]> {
    const rows: { step: AnyClockStep; started_at: Date; due_at: Date; due_soon_at: Date; stopped_at: Date | null; overdue_fired_at: Date | null; escalate_to: string[] }[] = await m.query(
      `SELECT step, started_at, due_at, due_soon_at, stopped_at, overdue_fired_at, escalate_to FROM clock WHERE subject_id = $1 ORDER BY started_at, step`,
      [subjectId],
    );
    return rows.map((r) => ({
      step: r.step,
      label: ALL_CLOCK_RULES[r.step]?.label ?? r.step,
      startedAt: r.started_at.toISOString(),
      dueAt: r.due_at.toISOString(),
      stoppedAt: r.stopped_at?.toISOString() ?? null,
      status: r.stopped_at ? 'stopped' : now >= r.due_at ? 'overdue' : isDueToday(now, r.due_at) ? 'due' : now >= r.due_soon_at ? 'due_soon' : 'running',
      escalatedTo: r.overdue_fired_at ? r.escalate_to : [],
    }));
  }

  /**
   * Fires every threshold reached by `now` that has not fired yet: `clock.due_soon` to the agency
   * whose duty it is (once per configured lead time, or once at the default threshold), and
   * `clock.overdue` to it and to the agencies the rule escalates to. Each firing is recorded in
   * the transaction that writes its event, so none fires twice, across restarts and replicas.
   */
  async fireDue(now = new Date()): Promise<number> {
    const leads = this.settings.reminderLeadsMinutes ?? [];
    return this.ds.transaction(async (m) => {
      const ctx = { actor: systemActor('clock'), correlationId: newCorrelationId() };
      const overdue: DueClock[] = await m.query(
        `SELECT ${dueColumns()}, NULL::int AS lead FROM clock
          WHERE stopped_at IS NULL AND overdue_fired_at IS NULL AND due_at <= $1
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
              WHERE c.stopped_at IS NULL AND c.overdue_fired_at IS NULL AND c.due_at > $1
                AND c.due_at - make_interval(mins => l.lead) <= $1 AND c.due_at - c.started_at > make_interval(mins => l.lead)
                AND NOT (l.lead = ANY(c.reminders_fired))
              ORDER BY c.due_at LIMIT 200 FOR UPDATE OF c SKIP LOCKED`,
            [now, leads],
          )
        : await m.query(
            `SELECT ${dueColumns()}, NULL::int AS lead FROM clock
              WHERE stopped_at IS NULL AND overdue_fired_at IS NULL AND due_at > $1 AND due_soon_at <= $1 AND due_soon_fired_at IS NULL
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
      label: ALL_CLOCK_RULES[c.step]?.label ?? c.step,
      dutyAgencyId: c.duty_agency_id,
      regionCode: c.region_code,
      dueAt: c.due_at.toISOString(),
    };
  }

  onApplicationBootstrap(): void {
    const year = Number(shanghaiDate(new Date()).slice(0, 4));
    for (const y of [year, year + 1]) {
      if (!this.settings.calendar.hasDataFor(y)) {
        this.logger.warn(`no public-holiday schedule for ${y}: working days count Monday to Friday until HOLIDAY_CALENDAR_FILE provides it`);
      }
    }
    this.scanner.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.scanner.stop();
  }
}
