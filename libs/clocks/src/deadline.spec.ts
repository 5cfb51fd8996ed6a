import { HolidayCalendar } from './calendar';
import { computeDeadline, Limit } from './deadline';
import { ClockError } from './errors';
import { endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from './shanghai';

const calendar = new HolidayCalendar();
/** An instant written as Shanghai wall-clock time. */
const sh = (local: string) => new Date(`${local}+08:00`);
const days = (amount: number): Limit => ({ amount, unit: 'calendar_days' });
const workingDays = (amount: number): Limit => ({ amount, unit: 'working_days' });
const hours = (amount: number): Limit => ({ amount, unit: 'hours' });

describe('Shanghai civil days', () => {
  it.each([
    ['2025-10-09T15:59:59.999Z', '2025-10-09'],
    ['2025-10-09T16:00:00.000Z', '2025-10-10'],
    ['2025-10-09T17:00:00.000Z', '2025-10-10'],
    ['2025-12-31T16:30:00.000Z', '2026-01-01'],
  ])('the instant %s falls on %s in Shanghai', (instant, date) => {
    expect(shanghaiDate(new Date(instant))).toBe(date);
  });

  it('starts a Shanghai day at 16:00 UTC the day before and ends it 24 hours later', () => {
    expect(startOfShanghaiDay('2025-10-10').toISOString()).toBe('2025-10-09T16:00:00.000Z');
    expect(endOfShanghaiDay('2025-10-10').toISOString()).toBe('2025-10-10T16:00:00.000Z');
  });

  it('refuses an invalid instant or date', () => {
    expect(() => shanghaiDate(new Date('nonsense'))).toThrow(ClockError);
    expect(() => startOfShanghaiDay('2025-02-29')).toThrow(ClockError);
  });
});

describe('working-day periods', () => {
  it.each([
    ['3 working days from Tue 30 Sep 2025 skip the 8-day break and count Sat 11 Oct, a make-up day', sh('2025-09-30T10:00'), 3, sh('2025-10-12T00:00')],
    ['1 working day from Tue 30 Sep 2025 is Thu 9 Oct', sh('2025-09-30T10:00'), 1, sh('2025-10-10T00:00')],
    ['1 working day from Fri 26 Sep 2025 is Sun 28 Sep, a make-up day', sh('2025-09-26T15:00'), 1, sh('2025-09-29T00:00')],
    ['1 working day from Fri 7 Feb 2025 is Sat 8 Feb, a make-up day', sh('2025-02-07T09:00'), 1, sh('2025-02-09T00:00')],
    ['a period started on a holiday counts from the first working day after it', sh('2025-10-03T11:00'), 1, sh('2025-10-10T00:00')],
    ['15 working days from Mon 3 Nov 2025 end with Mon 24 Nov', sh('2025-11-03T09:00'), 15, sh('2025-11-25T00:00')],
    ['2 working days from Fri 13 Feb 2026 are Sat 14 Feb (make-up) and Tue 24 Feb', sh('2026-02-13T17:00'), 2, sh('2026-02-25T00:00')],
    ['3 working days from Tue 30 Dec 2025 are Wed 31 Dec, Sun 4 Jan (make-up) and Mon 5 Jan', sh('2025-12-30T09:00'), 3, sh('2026-01-06T00:00')],
    ['a year without data counts Monday to Friday without the dated holidays: 3 from Thu 30 Sep 2027 skip Fri 1 Oct and end with Wed 6 Oct', sh('2027-09-30T09:00'), 3, sh('2027-10-07T00:00')],
    ['across the New Year into a year without data: 5 from Mon 28 Dec 2026 skip Fri 1 Jan and end with Tue 5 Jan', sh('2026-12-28T09:00'), 5, sh('2027-01-06T00:00')],
  ])('%s', (_case, start, n, due) => {
    expect(computeDeadline(start, workingDays(n), calendar)).toEqual(due);
  });

  it('counts from the Shanghai date of the start, not the UTC date', () => {
    // 17:00 UTC on 9 Oct is 01:00 on Fri 10 Oct in Shanghai: one working day later is Sat 11 Oct (make-up).
    expect(computeDeadline(new Date('2025-10-09T17:00:00Z'), workingDays(1), calendar)).toEqual(new Date('2025-10-11T16:00:00Z'));
    // Two hours earlier it is still Thu 9 Oct there: one working day later is Fri 10 Oct.
    expect(computeDeadline(new Date('2025-10-09T15:00:00Z'), workingDays(1), calendar)).toEqual(new Date('2025-10-10T16:00:00Z'));
  });
});

describe('calendar-day periods', () => {
  it.each([
    ['do not count the day they start, and end at 24:00 of the last day', sh('2025-11-10T16:00'), 3, sh('2025-11-14T00:00')],
    ['end at the same instant whatever the hour they start', sh('2025-11-10T00:00'), 3, sh('2025-11-14T00:00')],
    ['ending on a holiday, roll to the end of the first working day after it', sh('2025-09-29T12:00'), 3, sh('2025-10-10T00:00')],
    ['ending on an ordinary Sunday, roll to Monday', sh('2025-11-06T12:00'), 3, sh('2025-11-11T00:00')],
    ['ending on a make-up Saturday, do not roll', sh('2025-10-08T12:00'), 3, sh('2025-10-12T00:00')],
    ['count the holidays inside them: 15 days from 26 Sep 2025 end on Sat 11 Oct', sh('2025-09-26T12:00'), 15, sh('2025-10-12T00:00')],
    ['ending in the 2026 Spring Festival, roll to Tue 24 Feb', sh('2026-02-10T12:00'), 7, sh('2026-02-25T00:00')],
    ['ending on New Year 2026, roll past the break to Sun 4 Jan, a make-up day', sh('2025-12-29T09:00'), 3, sh('2026-01-05T00:00')],
    ['of 90 days from 1 Jul 2025 end with Mon 29 Sep', sh('2025-07-01T10:00'), 90, sh('2025-09-30T00:00')],
  ])('%s', (_case, start, n, due) => {
    expect(computeDeadline(start, days(n), calendar)).toEqual(due);
  });

  it('use the calendar they are given: without the 2025 notice, 3 days from 29 Sep end on Thu 2 Oct, a day the law makes a holiday, so on Mon 6 Oct', () => {
    expect(computeDeadline(sh('2025-09-29T12:00'), days(3), new HolidayCalendar([]))).toEqual(sh('2025-10-07T00:00'));
  });
});

describe('hour periods', () => {
  it.each([
    ['run straight through midnight', sh('2025-10-09T22:30'), 3, sh('2025-10-10T01:30')],
    ['run through holidays without rolling', sh('2025-09-30T20:00'), 24, sh('2025-10-01T20:00')],
    ['of zero hours end when they start', sh('2025-11-10T09:15'), 0, sh('2025-11-10T09:15')],
  ])('%s', (_case, start, n, due) => {
    expect(computeDeadline(start, hours(n), calendar)).toEqual(due);
  });
});

describe('limits that make no sense', () => {
  it.each([
    ['a fractional amount', { amount: 1.5, unit: 'calendar_days' }],
    ['a negative amount', { amount: -1, unit: 'hours' }],
    ['an unknown unit', { amount: 3, unit: 'weeks' }],
  ])('are refused: %s', (_case, limit) => {
    expect(() => computeDeadline(sh('2025-11-10T09:00'), limit as Limit, calendar)).toThrow(expect.objectContaining({ code: 'INVALID_LIMIT' }));
  });

  it('an invalid start is refused', () => {
    expect(() => computeDeadline(new Date(NaN), days(3), calendar)).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
  });
});
