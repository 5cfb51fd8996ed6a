import { readFileSync } from 'node:fs';
import { HolidayCalendar } from './calendar';
import { ClockError } from './errors';

/**
 * The one place this library touches the outside: reading the configured calendar file at
 * start-up. Everything else is pure.
 */

/** The variable that names a JSON file of holiday years laid over the shipped ones. */
export const HOLIDAY_CALENDAR_FILE = 'HOLIDAY_CALENDAR_FILE';

/**
 * The calendar the services use: the shipped notices, with the years in the file named by
 * `HOLIDAY_CALENDAR_FILE` laid over them. Pass the environment (`process.env`, or any object with
 * that key) or the path itself (as `ServiceConfig.holidayCalendarFile` holds it); unset or blank
 * means the shipped calendar alone. An unreadable or malformed file throws, so a service refuses
 * to start on a calendar it cannot trust.
 */
export function loadCalendar(source: string | undefined | Readonly<Record<string, string | undefined>>): HolidayCalendar {
  const file = (typeof source === 'string' ? source : source?.[HOLIDAY_CALENDAR_FILE])?.trim();
  if (!file) return new HolidayCalendar();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ClockError('CALENDAR_FILE_UNREADABLE', `${HOLIDAY_CALENDAR_FILE} ${file} cannot be read: ${(e as Error).message}`);
  }
  try {
    return HolidayCalendar.fromJson(text);
  } catch (e) {
    if (e instanceof ClockError) throw new ClockError(e.code, `${HOLIDAY_CALENDAR_FILE} ${file}: ${e.message}`);
    throw e;
  }
}
