import { HolidayCalendar } from './calendar';
import { ClockError } from './errors';

const shipped = new HolidayCalendar();

/** The code and message of what `fn` throws. */
function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClockError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a ClockError, but nothing was thrown');
}

describe('the shipped holiday calendar', () => {
  it.each([
    // 2025 (国办发明电〔2024〕12号)
    ['2025-01-01', false, 'New Year’s Day'],
    ['2025-01-26', true, 'a Sunday worked before Spring Festival'],
    ['2025-01-28', false, 'Spring Festival’s eve'],
    ['2025-02-04', false, 'the last day of Spring Festival'],
    ['2025-02-05', true, 'the Wednesday after Spring Festival'],
    ['2025-02-08', true, 'a Saturday worked after Spring Festival'],
    ['2025-04-04', false, 'Qingming'],
    ['2025-04-27', true, 'a Sunday worked before Labour Day'],
    ['2025-05-05', false, 'the last day of Labour Day'],
    ['2025-05-31', false, 'Dragon Boat, on a Saturday'],
    ['2025-06-02', false, 'the Monday of Dragon Boat'],
    ['2025-06-03', true, 'the Tuesday after Dragon Boat'],
    ['2025-09-28', true, 'a Sunday worked before National Day'],
    ['2025-10-01', false, 'National Day'],
    ['2025-10-08', false, 'the eighth day of the merged National Day and Mid-Autumn break'],
    ['2025-10-09', true, 'the Thursday after National Day'],
    ['2025-10-11', true, 'a Saturday worked after National Day'],
    ['2025-10-12', false, 'an ordinary Sunday'],
    ['2025-11-15', false, 'an ordinary Saturday'],
    ['2025-11-17', true, 'an ordinary Monday'],
    // 2026 (notice of 4 November 2025)
    ['2026-01-02', false, 'the Friday of New Year'],
    ['2026-01-04', true, 'a Sunday worked after New Year'],
    ['2026-02-14', true, 'a Saturday worked before Spring Festival'],
    ['2026-02-15', false, 'the first day of Spring Festival'],
    ['2026-02-23', false, 'the Monday ending Spring Festival'],
    ['2026-02-24', true, 'the Tuesday after Spring Festival'],
    ['2026-02-28', true, 'a Saturday worked after Spring Festival'],
    ['2026-04-06', false, 'the Monday of Qingming'],
    ['2026-05-05', false, 'the Tuesday ending Labour Day'],
    ['2026-05-09', true, 'a Saturday worked after Labour Day'],
    ['2026-06-19', false, 'Dragon Boat'],
    ['2026-09-20', true, 'a Sunday worked before National Day'],
    ['2026-09-25', false, 'Mid-Autumn'],
    ['2026-10-07', false, 'the last day of National Day'],
    ['2026-10-08', true, 'the Thursday after National Day'],
    ['2026-10-10', true, 'a Saturday worked after National Day'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(shipped.isWorkingDay(date)).toBe(working);
  });

  it('tells announced days off from ordinary weekends and make-up days', () => {
    expect(shipped.isHoliday('2025-10-04')).toBe(true); // a Saturday inside the National Day break
    expect(shipped.isHoliday('2025-10-12')).toBe(false); // an ordinary Sunday: off, but no holiday
    expect(shipped.isHoliday('2025-10-11')).toBe(false); // worked
  });

  it('knows 2025 and 2026, and in a year it has no notice for counts Monday to Friday without the holidays the law dates', () => {
    expect(shipped.years()).toEqual([2025, 2026]);
    expect(shipped.hasDataFor(2027)).toBe(false);
    // New Year's Day, Labour Day and National Day fall on their dates whatever the notice adds.
    for (const date of ['2027-01-01', '2027-05-01', '2027-10-01']) expect([date, shipped.isWorkingDay(date), shipped.isHoliday(date)]).toEqual([date, false, true]);
    expect(shipped.isWorkingDay('2027-10-02')).toBe(false); // a Saturday
    expect(shipped.isWorkingDay('2027-10-04')).toBe(true); // a Monday: any extra day only once a notice says so
    expect(shipped.isWorkingDay('2027-02-08')).toBe(true); // the lunar festivals too
    // A year with a notice keeps exactly what the notice says: 1 May 2026 is off by it, 4 Oct 2026 too.
    expect(shipped.isHoliday('2026-10-04')).toBe(true);
  });

  it('refuses a date that does not exist', () => {
    expect(failure(() => shipped.isWorkingDay('2025-02-29')).code).toBe('INVALID_DATE');
    expect(failure(() => shipped.isWorkingDay('2025-1-5')).code).toBe('INVALID_DATE');
  });
});

describe('a calendar extended from configuration', () => {
  const hypothetical2031 = { year: 2031, holidays: ['2031-10-01', '2031-10-02', '2031-10-03'], makeUpWorkdays: ['2031-09-27'], source: 'test data, not a real notice' };

  it('adds a year and keeps the shipped ones', () => {
    const calendar = HolidayCalendar.fromJson(JSON.stringify([hypothetical2031]));
    expect(calendar.hasDataFor(2031)).toBe(true);
    expect(calendar.isWorkingDay('2031-10-01')).toBe(false); // a Wednesday given off
    expect(calendar.isWorkingDay('2031-09-27')).toBe(true); // a Saturday worked
    expect(calendar.isWorkingDay('2025-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.years()).toEqual([2025, 2026, 2031]);
  });

  it('replaces a shipped year whole, as a corrected notice would', () => {
    const corrected = HolidayCalendar.fromJson(JSON.stringify([{ year: 2025, holidays: ['2025-10-01'], makeUpWorkdays: [] }]));
    expect(corrected.isWorkingDay('2025-10-01')).toBe(false);
    expect(corrected.isWorkingDay('2025-10-02')).toBe(true); // no longer listed
    expect(corrected.isWorkingDay('2025-10-11')).toBe(false); // no longer a make-up day: an ordinary Saturday
    expect(corrected.isWorkingDay('2026-02-16')).toBe(false); // 2026 untouched
  });

  it('leaves the shipped calendar as it was when the file lists no years', () => {
    const same = HolidayCalendar.fromJson('[]');
    expect(same.years()).toEqual([2025, 2026]);
    expect(same.isWorkingDay('2025-10-11')).toBe(true);
  });

  it('accepts late-December days in the next year’s notice (the 2019 notice reached into 2018)', () => {
    const calendar = HolidayCalendar.fromJson(
      JSON.stringify([{ year: 2019, holidays: ['2018-12-30', '2018-12-31', '2019-01-01'], makeUpWorkdays: ['2018-12-29'] }]),
    );
    expect(calendar.hasDataFor(2018)).toBe(false);
    expect(calendar.isWorkingDay('2018-12-29')).toBe(true); // a Saturday worked
    expect(calendar.isWorkingDay('2018-12-31')).toBe(false); // a Monday given off
  });

  it('is also checked when built from data in code', () => {
    expect(failure(() => new HolidayCalendar([{ year: 2030, holidays: ['2030-02-30'], makeUpWorkdays: [] }])).code).toBe('INVALID_CALENDAR');
  });

  const entry = (fields: Record<string, unknown>) => JSON.stringify([{ year: 2030, holidays: [], makeUpWorkdays: [], ...fields }]);

  it.each([
    ['text that is not JSON', '{ year: 2030 ', 'not valid JSON'],
    ['an object instead of an array', '{"year": 2030}', 'must be a JSON array'],
    ['an entry that is not an object', '[2030]', 'entry 0: must be an object'],
    ['a year given as text', entry({ year: '2030' }), '"year" must be a four-digit integer'],
    ['a fractional year', entry({ year: 2030.5 }), '"year" must be a four-digit integer'],
    ['a missing list', JSON.stringify([{ year: 2030, holidays: [] }]), '"makeUpWorkdays" must be an array'],
    ['a misspelt key', entry({ makeupWorkdays: [] }), 'unknown key "makeupWorkdays"'],
    ['a day that does not exist', entry({ holidays: ['2030-02-30'] }), 'holidays[0] "2030-02-30" is not a real YYYY-MM-DD date'],
    ['a date without leading zeros', entry({ holidays: ['2030-1-1'] }), 'holidays[0] "2030-1-1" is not a real'],
    ['a number instead of a date', entry({ holidays: [20300101] }), 'holidays[0] 20300101 is not a real'],
    ['a date of the following year', entry({ holidays: ['2031-01-01'] }), '2031-01-01 is outside 2030'],
    ['a date before December of the previous year', entry({ holidays: ['2029-11-30'] }), '2029-11-30 is outside 2030'],
    ['a make-up working day on a weekday', entry({ makeUpWorkdays: ['2030-01-07'] }), '2030-01-07 is not a Saturday or Sunday'],
    ['a day both off and worked', entry({ holidays: ['2030-01-05'], makeUpWorkdays: ['2030-01-05'] }), '2030-01-05 is both a holiday and a make-up working day'],
    ['the same year twice', JSON.stringify([{ year: 2030, holidays: [], makeUpWorkdays: [] }, { year: 2030, holidays: [], makeUpWorkdays: [] }]), 'year 2030 is given twice'],
    [
      'neighbouring years that contradict each other',
      JSON.stringify([
        { year: 2029, holidays: ['2029-12-29'], makeUpWorkdays: [] },
        { year: 2030, holidays: [], makeUpWorkdays: ['2029-12-29'] },
      ]),
      '2029-12-29 is a holiday in one year',
    ],
  ])('refuses %s', (_what, json, message) => {
    const error = failure(() => HolidayCalendar.fromJson(json));
    expect(error.code).toBe('INVALID_CALENDAR');
    expect(error.message).toContain(message);
  });
});
