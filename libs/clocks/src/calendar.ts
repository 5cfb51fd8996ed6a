import { ClockError } from './errors';
import { SHIPPED_CALENDAR } from './holidays.data';
import { assertCivilDate, dayOfWeek, isCivilDate } from './shanghai';

/**
 * The Chinese public-holiday calendar: which civil dates are working days. A day is a working
 * day when a notice makes it a make-up working day (调休上班), is not one when a notice lists it
 * as a day off, and otherwise is one from Monday to Friday. Years no notice covers fall back to
 * Monday–Friday without the holidays whose dates the law itself fixes (FIXED_HOLIDAYS);
 * `hasDataFor` says which years those are, so callers can warn.
 */

/**
 * The days off the law fixes by the solar calendar (全国年节及纪念日放假办法, art. 2, as revised
 * 2024-11-10): New Year's Day, 1 January; Labour Day, 1–2 May; National Day, 1–3 October. The
 * lunar festivals and Qingming, and the weekends a notice moves, are known only from the year's notice.
 */
export const FIXED_HOLIDAYS = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'] as const;

/** One year's State Council notice (国务院办公厅关于20xx年部分节假日安排的通知). */
export interface HolidayYear {
  year: number;
  /** Days off the notice announces, YYYY-MM-DD (weekend days inside a break may be listed too). */
  holidays: string[];
  /** Weekend days the notice makes working days (调休), YYYY-MM-DD. */
  makeUpWorkdays: string[];
  /** Where the dates come from, e.g. the notice's number. Informational. */
  source?: string;
}

const KEYS = new Set(['year', 'holidays', 'makeUpWorkdays', 'source']);

function invalid(message: string): ClockError {
  return new ClockError('INVALID_CALENDAR', message);
}

/**
 * Checks one year's data, whether it came from JSON or from code. A notice for year Y may reach
 * into December of Y−1: the 2019 notice gave 30 Dec 2018 – 1 Jan 2019 off and made Saturday
 * 29 Dec 2018 a working day. Nothing else outside Y is accepted.
 */
function checkYear(raw: unknown, where: string): HolidayYear {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`${where}: must be an object { year, holidays, makeUpWorkdays }`);
  const entry = raw as Record<string, unknown>;
  const unknownKey = Object.keys(entry).find((k) => !KEYS.has(k));
  if (unknownKey) throw invalid(`${where}: unknown key "${unknownKey}" (expected year, holidays, makeUpWorkdays, source)`);
  const year = entry.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999) throw invalid(`${where}: "year" must be a four-digit integer, not ${JSON.stringify(year)}`);
  const here = `${where} (year ${year})`;
  if (entry.source !== undefined && typeof entry.source !== 'string') throw invalid(`${here}: "source" must be a string`);
  const earliest = `${year - 1}-12-01`;
  const latest = `${year}-12-31`;
  const dates = (key: 'holidays' | 'makeUpWorkdays'): string[] => {
    const list = entry[key];
    if (!Array.isArray(list)) throw invalid(`${here}: "${key}" must be an array of YYYY-MM-DD dates`);
    return list.map((d: unknown, i) => {
      if (!isCivilDate(d)) throw invalid(`${here}: ${key}[${i}] ${JSON.stringify(d)} is not a real YYYY-MM-DD date`);
      if (d < earliest || d > latest) throw invalid(`${here}: ${key}[${i}] ${d} is outside ${year} (only December of ${year - 1} may precede it)`);
      return d;
    });
  };
  const holidays = dates('holidays');
  const makeUpWorkdays = dates('makeUpWorkdays');
  for (const d of makeUpWorkdays) {
    const dow = dayOfWeek(d);
    if (dow !== 0 && dow !== 6) throw invalid(`${here}: make-up working day ${d} is not a Saturday or Sunday`);
  }
  const both = holidays.find((d) => makeUpWorkdays.includes(d));
  if (both) throw invalid(`${here}: ${both} is both a holiday and a make-up working day`);
  return { year, holidays: [...new Set(holidays)].sort(), makeUpWorkdays: [...new Set(makeUpWorkdays)].sort(), ...(entry.source === undefined ? {} : { source: entry.source as string }) };
}

export class HolidayCalendar {
  private readonly byYear = new Map<number, HolidayYear>();
  private readonly daysOff = new Set<string>();
  private readonly workdays = new Set<string>();

  /** A calendar of exactly these years (by default the shipped 2025 and 2026 notices); refuses bad data. */
  constructor(years: readonly HolidayYear[] = SHIPPED_CALENDAR) {
    if (!Array.isArray(years)) throw invalid('The holiday calendar must be an array of { year, holidays, makeUpWorkdays }');
    years.forEach((raw, i) => {
      const y = checkYear(raw, `entry ${i}`);
      if (this.byYear.has(y.year)) throw invalid(`entry ${i}: year ${y.year} is given twice`);
      this.byYear.set(y.year, y);
    });
    // Neighbouring notices can both speak of late December; they must not contradict each other.
    for (const y of this.byYear.values()) {
      y.holidays.forEach((d) => this.daysOff.add(d));
      y.makeUpWorkdays.forEach((d) => this.workdays.add(d));
    }
    const clash = [...this.daysOff].find((d) => this.workdays.has(d));
    if (clash) throw invalid(`${clash} is a holiday in one year's data and a make-up working day in another's`);
  }

  /**
   * The shipped calendar (or `base`) with the years in `json` laid over it. A year in `json`
   * replaces that year of the base whole, as a new notice replaces the old; years it does not
   * name are kept. Malformed JSON, a wrong shape or an impossible date refuses the whole text.
   */
  static fromJson(json: string, base: readonly HolidayYear[] = SHIPPED_CALENDAR): HolidayCalendar {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw invalid(`The holiday calendar is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw invalid('The holiday calendar must be a JSON array of { year, holidays, makeUpWorkdays }');
    return new HolidayCalendar(base).merge(parsed);
  }

  /** A new calendar with these years replacing (or added to) this one's. */
  merge(years: readonly HolidayYear[]): HolidayCalendar {
    const seen = new Set<number>();
    const checked = years.map((raw, i) => {
      const y = checkYear(raw, `entry ${i}`);
      if (seen.has(y.year)) throw invalid(`entry ${i}: year ${y.year} is given twice`);
      seen.add(y.year);
      return y;
    });
    return new HolidayCalendar([...[...this.byYear.values()].filter((y) => !seen.has(y.year)), ...checked]);
  }

  /** Whether a notice for `year` is known; when not, that year counts plain Monday–Friday. */
  hasDataFor(year: number): boolean {
    return this.byYear.has(year);
  }

  /** The years with data, ascending. */
  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  /** The data of one year, as checked (dates sorted, duplicates dropped). */
  dataFor(year: number): HolidayYear | undefined {
    const y = this.byYear.get(year);
    return y && { ...y, holidays: [...y.holidays], makeUpWorkdays: [...y.makeUpWorkdays] };
  }

  /**
   * A day off announced by a notice (法定节假日 or a weekend day inside its break), or, in a year
   * no notice covers, a holiday the law fixes the date of (FIXED_HOLIDAYS).
   */
  isHoliday(date: string): boolean {
    assertCivilDate(date);
    if (this.daysOff.has(date)) return true;
    return !this.hasDataFor(Number(date.slice(0, 4))) && !this.workdays.has(date) && (FIXED_HOLIDAYS as readonly string[]).includes(date.slice(5));
  }

  /** Whether offices work on `date` (a Shanghai civil date). */
  isWorkingDay(date: string): boolean {
    assertCivilDate(date);
    if (this.workdays.has(date)) return true;
    if (this.isHoliday(date)) return false;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }
}
