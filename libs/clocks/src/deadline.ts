import type { HolidayCalendar } from './calendar';
import { ClockError } from './errors';
import { addDays, assertInstant, endOfShanghaiDay, shanghaiDate } from './shanghai';

/**
 * When statutory periods run out. The rules (README.md has them with their sources):
 *
 * - hours: the exact instant `start + n hours`, straight through nights and holidays.
 * - calendar_days: the day of the start is not counted (期间开始的时和日，不计算在期间内); the
 *   period ends at 24:00 Shanghai time of day n; when that day is a day off — a statutory
 *   holiday or a weekend that no notice made a working day — it ends at 24:00 of the first
 *   working day after it (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期).
 *   Days off inside the period count.
 * - working_days: the day of the start is not counted; the period ends at 24:00 of the nth
 *   working day after it, make-up working days (调休) included.
 */

export type LimitUnit = 'hours' | 'calendar_days' | 'working_days';

export interface Limit {
  amount: number;
  unit: LimitUnit;
}

/** Time during which a period does not run (tests, appraisal, hearings…); `to` absent while it lasts. */
export interface Pause {
  from: Date;
  to?: Date;
}

const HOUR_MS = 3_600_000;
const UNITS: readonly LimitUnit[] = ['hours', 'calendar_days', 'working_days'];

function checkLimit(limit: Limit): void {
  if (!limit || !UNITS.includes(limit.unit)) throw new ClockError('INVALID_LIMIT', `A limit's unit must be one of ${UNITS.join(', ')}, not ${JSON.stringify(limit?.unit)}`);
  if (!Number.isSafeInteger(limit.amount) || limit.amount < 0) throw new ClockError('INVALID_LIMIT', `A limit must be a whole, non-negative number, not ${limit.amount}`);
}

/** When a period of `limit` that starts at `start` runs out. */
export function computeDeadline(start: Date, limit: Limit, calendar: HolidayCalendar): Date {
  // Without pauses there is always an end.
  return computeDeadlineWithPauses(start, limit, [], calendar) as Date;
}

/**
 * Like `computeDeadline`, for a period that does not run while paused — the 90-day limit of an
 * administrative penalty case, say, where time for tests, appraisal, hearings, public notice and
 * expert review is not counted.
 *
 * - hours: the deadline moves later by exactly the paused time that falls after the start and
 *   before the deadline reached so far.
 * - calendar_days and working_days: a pause takes out of the count the Shanghai days from the
 *   day it begins up to, but not including, the day it ends — as many days as midnights passed
 *   while paused. The day it ends counts again, so a pause begun on the last day still leaves
 *   the day it is lifted; a pause begun and lifted on the same day changes nothing. Only days
 *   that would have counted move the end: a pause over a holiday does not lengthen a
 *   working-day period. A calendar-day period whose new last day is a day off rolls forward as
 *   without pauses.
 *
 * Overlapping pauses count once; pauses that begin after the period has run out change nothing.
 * Returns null while an open pause (no `to`) holds the period before it has run out: the end is
 * then unknown. To show where it would fall if lifted now, pass `to: now`.
 */
export function computeDeadlineWithPauses(start: Date, limit: Limit, pauses: readonly Pause[], calendar: HolidayCalendar): Date | null {
  assertInstant(start, 'start');
  checkLimit(limit);
  pauses.forEach((p, i) => {
    assertInstant(p?.from, `pauses[${i}].from`);
    if (p.to !== undefined) {
      assertInstant(p.to, `pauses[${i}].to`);
      if (p.to < p.from) throw new ClockError('INVALID_PAUSE', `pauses[${i}] ends (${p.to.toISOString()}) before it begins (${p.from.toISOString()})`);
    }
  });
  return limit.unit === 'hours' ? hoursDeadline(start, limit.amount, pauses) : daysDeadline(start, limit, pauses, calendar);
}

function hoursDeadline(start: Date, hours: number, pauses: readonly Pause[]): Date | null {
  let due = start.getTime() + hours * HOUR_MS;
  const intervals = pauses
    .map((p) => ({ from: Math.max(p.from.getTime(), start.getTime()), to: p.to ? p.to.getTime() : Infinity }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  let coveredUntil = start.getTime();
  for (const p of intervals) {
    if (p.from >= due) break;
    const from = Math.max(p.from, coveredUntil);
    if (p.to <= from) continue;
    if (p.to === Infinity) return null;
    due += p.to - from;
    coveredUntil = p.to;
  }
  return new Date(due);
}

function daysDeadline(start: Date, limit: Limit, pauses: readonly Pause[], calendar: HolidayCalendar): Date | null {
  // Each pause as the half-open range of civil dates it takes out: [day it begins, day it ends).
  const out = pauses.map((p) => ({ from: shanghaiDate(p.from), to: p.to ? shanghaiDate(p.to) : undefined }));
  /** 'open' when an unfinished pause holds the day: nothing after it can be counted yet. */
  const pausedOn = (d: string): false | 'closed' | 'open' => {
    let found: false | 'closed' = false;
    for (const p of out) {
      if (d < p.from) continue;
      if (p.to === undefined) return 'open';
      if (d < p.to) found = 'closed';
    }
    return found;
  };
  const counts = limit.unit === 'working_days' ? (d: string) => calendar.isWorkingDay(d) : () => true;

  let day = shanghaiDate(start);
  for (let counted = 0; counted < limit.amount; ) {
    day = addDays(day, 1);
    const paused = pausedOn(day);
    if (paused === 'open') return null;
    if (!paused && counts(day)) counted++;
  }
  if (limit.unit === 'calendar_days') {
    for (;;) {
      const paused = pausedOn(day);
      if (paused === 'open') return null;
      if (!paused && calendar.isWorkingDay(day)) break;
      day = addDays(day, 1);
    }
  }
  return endOfShanghaiDay(day);
}
