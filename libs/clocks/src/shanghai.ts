import { ClockError } from './errors';

/**
 * Civil dates and Asia/Shanghai. Every legal day in this platform is a day in Beijing time:
 * UTC+8 all year (China has kept no daylight saving since 1991), so the offset is a constant and
 * no time-zone database is needed. Civil dates are 'YYYY-MM-DD' strings; instants are UTC `Date`s.
 */

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (2025-02-29 is not one). */
export function isCivilDate(value: unknown): value is string {
  // Year 0000 does not exist in the calendar PostgreSQL keeps (1 BC comes before AD 1).
  if (typeof value !== 'string' || !CIVIL_DATE.test(value) || value.startsWith('0000')) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

export function assertCivilDate(value: unknown, what = 'date'): asserts value is string {
  if (!isCivilDate(value)) throw new ClockError('INVALID_DATE', `${what} must be a real YYYY-MM-DD date, not ${JSON.stringify(value)}`);
}

export function assertInstant(value: unknown, what = 'instant'): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new ClockError('INVALID_INSTANT', `${what} must be a valid Date, not ${String(value)}`);
}

/** The Shanghai calendar day an instant falls on: 2025-10-09T17:00Z is 10 October there. */
export function shanghaiDate(instant: Date): string {
  assertInstant(instant);
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * An instant as officers read it, Beijing time to the minute; the end of a day (00:00 of the next)
 * as 24:00 of that day, as deadlines are counted (e.g. "2026-12-24 24:00").
 */
export function shanghaiMinute(instant: Date): string {
  assertInstant(instant);
  const date = shanghaiDate(instant);
  const time = new Date(instant.getTime() + OFFSET_MS).toISOString().slice(11, 16);
  return time === '00:00' ? `${addDays(date, -1)} 24:00` : `${date} ${time}`;
}

/** The hour of the day in Shanghai, 0–23 (a daily job's hour is Beijing time). */
export function shanghaiHour(instant: Date): number {
  assertInstant(instant);
  return new Date(instant.getTime() + OFFSET_MS).getUTCHours();
}

/** 00:00 in Shanghai on `date`, as a UTC instant (16:00Z the day before). */
export function startOfShanghaiDay(date: string): Date {
  assertCivilDate(date);
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

/** 24:00 in Shanghai at the end of `date`: the instant a period ending that day runs out. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(startOfShanghaiDay(date).getTime() + DAY_MS);
}

/**
 * A deadline as someone wrote it (ISO 8601): a date alone runs to 24:00 of that day in Shanghai,
 * a date and time without a zone is Shanghai time, and one with a zone (`Z`, `+08:00`) is that
 * instant. Anything else (a week date, an ordinal date) is an invalid Date.
 */
export function deadlineInstant(value: string): Date {
  if (isCivilDate(value)) return endOfShanghaiDay(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return new Date(NaN);
  return new Date(/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) ? value : `${value}+08:00`);
}

/** The civil date `n` days after (or, negative, before) `date`. */
export function addDays(date: string, n: number): string {
  assertCivilDate(date);
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  assertCivilDate(date);
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
