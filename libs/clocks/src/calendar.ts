import { readFileSync } from 'node:fs';

/**
 * The Chinese public-holiday calendar: days off and the make-up working days (调休) that
 * State Council notices announce each year. Shipped for the years below; further years (or
 * corrections) come from a JSON file named by HOLIDAY_CALENDAR_FILE, merged over these.
 */
export interface HolidayYear {
  year: number;
  /** Statutory days off, YYYY-MM-DD. */
  holidays: string[];
  /** Weekend days that are working days, YYYY-MM-DD. */
  makeUpWorkdays: string[];
}

/** 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号) and the 2026 notice. */
export const SHIPPED_CALENDAR: HolidayYear[] = [
  {
    year: 2025,
    holidays: [
      '2025-01-01',
      ...range('2025-01-28', '2025-02-04'),
      ...range('2025-04-04', '2025-04-06'),
      ...range('2025-05-01', '2025-05-05'),
      ...range('2025-05-31', '2025-06-02'),
      ...range('2025-10-01', '2025-10-08'),
    ],
    makeUpWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    holidays: [
      ...range('2026-01-01', '2026-01-03'),
      ...range('2026-02-15', '2026-02-23'),
      ...range('2026-04-04', '2026-04-06'),
      ...range('2026-05-01', '2026-05-05'),
      ...range('2026-06-19', '2026-06-21'),
      ...range('2026-09-25', '2026-09-27'),
      ...range('2026-10-01', '2026-10-07'),
    ],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isValidDate(d: string): boolean {
  return DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
}

/** Every date from `from` to `to`, inclusive. */
export function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Adds n days to a civil date. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export class HolidayCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  private readonly years = new Set<number>();

  constructor(years: HolidayYear[] = SHIPPED_CALENDAR) {
    for (const y of years) this.add(y);
  }

  /** Replaces (or adds) the schedule of one year. */
  private add(y: HolidayYear): void {
    for (const set of [this.holidays, this.workdays]) for (const d of [...set]) if (d.startsWith(`${y.year}-`)) set.delete(d);
    y.holidays.forEach((d) => this.holidays.add(d));
    y.makeUpWorkdays.forEach((d) => this.workdays.add(d));
    this.years.add(y.year);
  }

  /** The shipped calendar with the years in `json` laid over it; a malformed file is refused whole. */
  static fromJson(json: string, base: HolidayYear[] = SHIPPED_CALENDAR): HolidayCalendar {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new Error(`The holiday calendar is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new Error('The holiday calendar must be an array of { year, holidays, makeUpWorkdays }');
    const years = parsed.map((y, i) => {
      const where = `entry ${i}`;
      if (!y || typeof y !== 'object' || !Number.isInteger(y.year)) throw new Error(`${where}: "year" must be an integer`);
      for (const key of ['holidays', 'makeUpWorkdays'] as const) {
        if (!Array.isArray(y[key])) throw new Error(`${where}: "${key}" must be an array of YYYY-MM-DD dates`);
        for (const d of y[key]) {
          if (typeof d !== 'string' || !isValidDate(d)) throw new Error(`${where}: "${d}" in ${key} is not a YYYY-MM-DD date`);
          if (!d.startsWith(`${y.year}-`)) throw new Error(`${where}: ${d} is not in ${y.year}`);
        }
      }
      const clash = (y.holidays as string[]).find((d) => (y.makeUpWorkdays as string[]).includes(d));
      if (clash) throw new Error(`${where}: ${clash} is both a holiday and a make-up working day`);
      return y as HolidayYear;
    });
    const calendar = new HolidayCalendar(base);
    years.forEach((y) => calendar.add(y));
    return calendar;
  }

  /** Whether the published schedule of a year is known (otherwise plain Monday–Friday applies). */
  hasDataFor(year: number): boolean {
    return this.years.has(year);
  }

  isHoliday(date: string): boolean {
    return this.holidays.has(date);
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }
}

/** The calendar the services use: shipped data plus the configured file, when there is one. */
export function loadCalendar(file?: string): HolidayCalendar {
  return file ? HolidayCalendar.fromJson(readFileSync(file, 'utf8')) : new HolidayCalendar();
}
