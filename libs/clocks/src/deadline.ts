import { addDays, HolidayCalendar } from './calendar';

/** Civil dates are Asia/Shanghai (UTC+8, no daylight saving); instants are UTC. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function startOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/** 24:00 in Shanghai at the end of `date`. */
export function endOfShanghaiDay(date: string): Date {
  return startOfShanghaiDay(addDays(date, 1));
}

export interface Limit {
  amount: number;
  unit: 'hours' | 'calendar_days' | 'working_days';
}

/**
 * When a period that starts at `start` ends. Counting follows the procedural rules on periods
 * (行政处罚法 第85条, 民事诉讼法 第85条): the day (or hour) the period starts is not counted; a
 * period in days ends at 24:00 of its last day; when that last day is a day off (a statutory
 * holiday, or a weekend that is not a make-up working day) the period ends with the first working
 * day after it. Working days are counted on the calendar,
 * make-up working days included.
 */
export function computeDeadline(start: Date, limit: Limit, calendar: HolidayCalendar): Date {
  if (!Number.isInteger(limit.amount) || limit.amount < 0) throw new Error(`A limit must be a whole, non-negative number, not ${limit.amount}`);
  const day = shanghaiDate(start);
  switch (limit.unit) {
    case 'hours':
      return new Date(start.getTime() + limit.amount * 3600_000);
    case 'calendar_days': {
      let last = addDays(day, limit.amount);
      // 节假日 here means any day off: a statutory holiday or a weekend that is not a make-up working day.
      while (!calendar.isWorkingDay(last)) last = addDays(last, 1);
      return endOfShanghaiDay(last);
    }
    case 'working_days': {
      let d = day;
      for (let counted = 0; counted < limit.amount; ) {
        d = addDays(d, 1);
        if (calendar.isWorkingDay(d)) counted++;
      }
      return endOfShanghaiDay(d);
    }
  }
}
