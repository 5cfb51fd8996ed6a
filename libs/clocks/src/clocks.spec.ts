import { HolidayCalendar } from './calendar';
import { computeDeadline, shanghaiDate } from './deadline';

const calendar = new HolidayCalendar();
/** An instant given as Shanghai wall-clock time. */
const sh = (local: string) => new Date(`${local}+08:00`);

describe('the public-holiday calendar', () => {
  it.each([
    ['2025-10-01', false, 'National Day'],
    ['2025-10-08', false, 'last day of the Golden Week'],
    ['2025-10-09', true, 'a Thursday after the holiday'],
    ['2025-09-28', true, 'a make-up Sunday'],
    ['2025-10-11', true, 'a make-up Saturday'],
    ['2025-10-12', false, 'an ordinary Sunday'],
    ['2026-02-16', false, 'Spring Festival 2026'],
    ['2026-02-14', true, 'the make-up Saturday before Spring Festival 2026'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('falls back to Monday–Friday for a year without data, and says so', () => {
    expect(calendar.hasDataFor(2031)).toBe(false);
    expect(calendar.isWorkingDay('2031-10-01')).toBe(true); // a Wednesday
    expect(calendar.isWorkingDay('2031-10-04')).toBe(false); // a Saturday
  });

  it('takes further years from configuration, over the shipped ones', () => {
    const extended = HolidayCalendar.fromJson(JSON.stringify([{ year: 2031, holidays: ['2031-10-01'], makeUpWorkdays: ['2031-10-04'] }]));
    expect(extended.hasDataFor(2031)).toBe(true);
    expect(extended.isWorkingDay('2031-10-01')).toBe(false);
    expect(extended.isWorkingDay('2031-10-04')).toBe(true);
    expect(extended.isWorkingDay('2025-10-01')).toBe(false);
  });

  it('replaces a shipped year when configuration corrects it', () => {
    const corrected = HolidayCalendar.fromJson(JSON.stringify([{ year: 2025, holidays: [], makeUpWorkdays: [] }]));
    expect(corrected.isWorkingDay('2025-10-01')).toBe(true);
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['{}', 'must be an array'],
    [JSON.stringify([{ year: 2030, holidays: ['2030-02-30'], makeUpWorkdays: [] }]), '"2030-02-30" in holidays'],
    [JSON.stringify([{ year: 2030, holidays: ['2031-01-01'], makeUpWorkdays: [] }]), 'is not in 2030'],
    [JSON.stringify([{ year: 2030, holidays: ['2030-01-05'], makeUpWorkdays: ['2030-01-05'] }]), 'both a holiday and a make-up'],
  ])('refuses a malformed calendar: %s', (json, message) => {
    expect(() => HolidayCalendar.fromJson(json)).toThrow(message);
  });
});

describe('deadlines', () => {
  it('counts working days across the National Day holiday and its make-up Saturday', () => {
    // Tue 30 Sep 2025: 1 Oct–8 Oct off; Thu 9, Fri 10, Sat 11 (make-up) are working days.
    expect(computeDeadline(sh('2025-09-30T10:00:00'), { amount: 3, unit: 'working_days' }, calendar)).toEqual(sh('2025-10-12T00:00:00'));
  });

  it('counts 15 working days for a filing decision across a weekend', () => {
    // Mon 3 Nov 2025 + 15 working days = Mon 24 Nov, ending at midnight.
    expect(computeDeadline(sh('2025-11-03T09:00:00'), { amount: 15, unit: 'working_days' }, calendar)).toEqual(sh('2025-11-25T00:00:00'));
  });

  it('does not count the day a calendar-day period starts, and ends it at midnight', () => {
    // Received Mon 10 Nov 2025 at 16:00: 3 days = Thu 13 Nov, until 24:00.
    expect(computeDeadline(sh('2025-11-10T16:00:00'), { amount: 3, unit: 'calendar_days' }, calendar)).toEqual(sh('2025-11-14T00:00:00'));
  });

  it('rolls a calendar-day period ending on a holiday to the first working day after it', () => {
    // 29 Sep 2025 + 3 days = 2 Oct (holiday) → 9 Oct.
    expect(computeDeadline(sh('2025-09-29T12:00:00'), { amount: 3, unit: 'calendar_days' }, calendar)).toEqual(sh('2025-10-10T00:00:00'));
  });

  it('rolls a period ending on an ordinary Sunday to Monday, but not one ending on a make-up Saturday', () => {
    expect(computeDeadline(sh('2025-11-06T12:00:00'), { amount: 3, unit: 'calendar_days' }, calendar)).toEqual(sh('2025-11-11T00:00:00'));
    expect(computeDeadline(sh('2025-10-08T12:00:00'), { amount: 3, unit: 'calendar_days' }, calendar)).toEqual(sh('2025-10-12T00:00:00'));
  });

  it('counts hours straight through midnight and holidays', () => {
    expect(computeDeadline(sh('2025-09-30T20:00:00'), { amount: 24, unit: 'hours' }, calendar)).toEqual(sh('2025-10-01T20:00:00'));
  });

  it('takes the day of an event on the Shanghai calendar, not UTC', () => {
    const event = new Date('2025-10-09T17:00:00Z'); // 10 Oct, 01:00 in Shanghai
    expect(shanghaiDate(event)).toBe('2025-10-10');
    // Fri 10 Oct + 1 working day = Sat 11 Oct (make-up), ending at its midnight.
    expect(computeDeadline(event, { amount: 1, unit: 'working_days' }, calendar)).toEqual(sh('2025-10-12T00:00:00'));
  });

  it('refuses a fractional or negative limit', () => {
    expect(() => computeDeadline(new Date(), { amount: 1.5, unit: 'calendar_days' }, calendar)).toThrow('whole');
    expect(() => computeDeadline(new Date(), { amount: -1, unit: 'hours' }, calendar)).toThrow('whole');
  });
});
