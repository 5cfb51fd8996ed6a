import { ClockError } from './errors';
import { assertInstant, shanghaiDate } from './shanghai';

/**
 * Where a running clock stands, for lists, badges and reminders. In order of precedence:
 *
 * - `overdue`  — `now >= dueAt`: the period has run out.
 * - `due`      — the deadline falls on today's Shanghai date and has not passed. A deadline at
 *                24:00 belongs to the day that ends then, so a day-counted period is `due` all
 *                through its last day ("must be done today").
 * - `due_soon` — the warning window has begun: the last `dueSoonFraction` (default 20%) of the
 *                whole period, but never more than `dueSoonMaxMs` (default 24 hours) before the
 *                deadline — whichever window is shorter.
 * - `running`  — otherwise.
 *
 * Day-counted deadlines end at 24:00, so their default window (at most 24 hours) lies inside the
 * due day and they go running → due → overdue; `due_soon` shows for hour limits and for
 * deadlines set by hand at another time of day. `dueSoonAt` gives the instant the window opens,
 * for an engine that stores it and fires a reminder once.
 */

export type ClockStatus = 'running' | 'due_soon' | 'due' | 'overdue';

export interface ClockStatusOptions {
  /** Share of the whole period (0–1) at the end of which `due_soon` begins. Default 0.2. */
  dueSoonFraction?: number;
  /** The warning window is never longer than this many milliseconds. Default 24 hours. */
  dueSoonMaxMs?: number;
}

export const DEFAULT_DUE_SOON_FRACTION = 0.2;
export const DEFAULT_DUE_SOON_MAX_MS = 24 * 3_600_000;

/** The instant the `due_soon` window opens. */
export function dueSoonAt(startedAt: Date, dueAt: Date, options: ClockStatusOptions = {}): Date {
  assertInstant(startedAt, 'startedAt');
  assertInstant(dueAt, 'dueAt');
  const fraction = options.dueSoonFraction ?? DEFAULT_DUE_SOON_FRACTION;
  const maxMs = options.dueSoonMaxMs ?? DEFAULT_DUE_SOON_MAX_MS;
  if (!(fraction >= 0 && fraction <= 1)) throw new ClockError('INVALID_OPTION', `dueSoonFraction must be between 0 and 1, not ${fraction}`);
  if (!(maxMs >= 0 && Number.isFinite(maxMs))) throw new ClockError('INVALID_OPTION', `dueSoonMaxMs must be a non-negative number, not ${maxMs}`);
  const total = Math.max(0, dueAt.getTime() - startedAt.getTime());
  return new Date(dueAt.getTime() - Math.min(total * fraction, maxMs));
}

/** Whether the deadline falls on the Shanghai date of `now` and has not passed. */
export function isDueToday(now: Date, dueAt: Date): boolean {
  assertInstant(now, 'now');
  assertInstant(dueAt, 'dueAt');
  // The last instant the period still runs is dueAt − 1 ms: 24:00 is the end of the day before.
  return now < dueAt && shanghaiDate(now) === shanghaiDate(new Date(dueAt.getTime() - 1));
}

export function clockStatus(now: Date, startedAt: Date, dueAt: Date, options: ClockStatusOptions = {}): ClockStatus {
  const warnFrom = dueSoonAt(startedAt, dueAt, options);
  assertInstant(now, 'now');
  if (now >= dueAt) return 'overdue';
  if (isDueToday(now, dueAt)) return 'due';
  if (now >= warnFrom) return 'due_soon';
  return 'running';
}
