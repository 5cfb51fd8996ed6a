import { HolidayCalendar } from './calendar';
import { computeDeadline, computeDeadlineWithPauses, Limit, Pause } from './deadline';

const calendar = new HolidayCalendar();
const sh = (local: string) => new Date(`${local}+08:00`);
const pause = (from: string, to?: string): Pause => (to ? { from: sh(from), to: sh(to) } : { from: sh(from) });

describe('a 90-day case limit with time that is not counted', () => {
  // Filed Tue 1 Jul 2025: without pauses the 90 days end with Mon 29 Sep.
  const filed = sh('2025-07-01T10:00');
  const ninetyDays: Limit = { amount: 90, unit: 'calendar_days' };

  it.each([
    ['no pauses: the plain deadline', [], sh('2025-09-30T00:00')],
    ['an appraisal over ten midnights moves it ten days, to Thu 9 Oct', [pause('2025-07-10T09:00', '2025-07-20T15:00')], sh('2025-10-10T00:00')],
    ['a hearing begun and ended the same day moves nothing', [pause('2025-08-05T09:00', '2025-08-05T17:00')], sh('2025-09-30T00:00')],
    ['a pause from 23:00 to 01:00 spans one midnight and moves it one day', [pause('2025-08-05T23:00', '2025-08-06T01:00')], sh('2025-10-01T00:00')],
    ['overlapping pauses count once: 10–20 and 15–25 July are fifteen days', [pause('2025-07-10T09:00', '2025-07-20T09:00'), pause('2025-07-15T09:00', '2025-07-25T09:00')], sh('2025-10-15T00:00')],
    ['a move onto the National Day break rolls to the end of Thu 9 Oct', [pause('2025-08-01T09:00', '2025-08-03T09:00')], sh('2025-10-10T00:00')],
    ['a pause that began before filing counts only from the filing', [pause('2025-06-25T09:00', '2025-07-03T10:00')], sh('2025-10-01T00:00')],
    ['a pause begun after the limit ran out moves nothing', [pause('2025-10-01T09:00', '2025-10-20T09:00')], sh('2025-09-30T00:00')],
    ['an open pause begun after the limit ran out moves nothing', [pause('2025-10-01T09:00')], sh('2025-09-30T00:00')],
  ])('%s', (_case, pauses, due) => {
    expect(computeDeadlineWithPauses(filed, ninetyDays, pauses, calendar)).toEqual(due);
  });

  it('has no deadline while an open pause holds it, and shows where it would fall if lifted now', () => {
    expect(computeDeadlineWithPauses(filed, ninetyDays, [pause('2025-07-10T09:00')], calendar)).toBeNull();
    expect(computeDeadlineWithPauses(filed, ninetyDays, [pause('2025-07-10T09:00', '2025-07-20T15:00')], calendar)).toEqual(sh('2025-10-10T00:00'));
  });

  it('gives back the day the pause is lifted when it began on the last day', () => {
    // 30 days from Mon 3 Nov 2025 end with Wed 3 Dec; the case is sent for testing at 22:00 that
    // day and the report comes back on Fri 5 Dec: Fri 5 Dec is the new last day.
    const start = sh('2025-11-03T09:00');
    const thirty: Limit = { amount: 30, unit: 'calendar_days' };
    expect(computeDeadline(start, thirty, calendar)).toEqual(sh('2025-12-04T00:00'));
    expect(computeDeadlineWithPauses(start, thirty, [pause('2025-12-03T22:00', '2025-12-05T10:00')], calendar)).toEqual(sh('2025-12-06T00:00'));
  });
});

describe('a working-day limit with pauses', () => {
  // 15 working days from Mon 3 Nov 2025 end with Mon 24 Nov.
  const start = sh('2025-11-03T09:00');
  const fifteen: Limit = { amount: 15, unit: 'working_days' };

  it('moves only by the working days paused: Fri 7 to Tue 11 Nov takes out Fri 7 and Mon 10', () => {
    expect(computeDeadlineWithPauses(start, fifteen, [pause('2025-11-07T10:00', '2025-11-11T10:00')], calendar)).toEqual(sh('2025-11-27T00:00'));
  });

  it('does not move for a pause that covers only holidays', () => {
    // 5 working days from Mon 29 Sep 2025: Tue 30 Sep, Thu 9, Fri 10, Sat 11 (make-up), Mon 13 Oct.
    const five: Limit = { amount: 5, unit: 'working_days' };
    const start2 = sh('2025-09-29T09:00');
    expect(computeDeadlineWithPauses(start2, five, [], calendar)).toEqual(sh('2025-10-14T00:00'));
    expect(computeDeadlineWithPauses(start2, five, [pause('2025-10-01T09:00', '2025-10-08T18:00')], calendar)).toEqual(sh('2025-10-14T00:00'));
  });
});

describe('an hour limit with pauses', () => {
  const start = sh('2025-11-10T09:00');
  const day: Limit = { amount: 24, unit: 'hours' };

  it.each([
    ['a two-hour pause moves it two hours', [pause('2025-11-10T12:00', '2025-11-10T14:00')], sh('2025-11-11T11:00')],
    ['overlapping pauses 12–14 and 13–15 count three hours', [pause('2025-11-10T12:00', '2025-11-10T14:00'), pause('2025-11-10T13:00', '2025-11-10T15:00')], sh('2025-11-11T12:00')],
    ['only the part of a pause after the start counts', [pause('2025-11-10T08:00', '2025-11-10T10:00')], sh('2025-11-11T10:00')],
    ['a pause begun after the deadline moves nothing', [pause('2025-11-11T10:00', '2025-11-11T12:00')], sh('2025-11-11T09:00')],
    ['a pause that starts inside the time another pause added still counts', [pause('2025-11-10T12:00', '2025-11-11T12:00'), pause('2025-11-11T20:00', '2025-11-11T21:00')], sh('2025-11-12T10:00')],
  ])('%s', (_case, pauses, due) => {
    expect(computeDeadlineWithPauses(start, day, pauses, calendar)).toEqual(due);
  });

  it('has no deadline while an open pause holds it', () => {
    expect(computeDeadlineWithPauses(start, day, [pause('2025-11-10T12:00')], calendar)).toBeNull();
  });
});

it('refuses a pause that ends before it begins', () => {
  expect(() => computeDeadlineWithPauses(sh('2025-11-10T09:00'), { amount: 3, unit: 'calendar_days' }, [pause('2025-11-12T09:00', '2025-11-11T09:00')], calendar)).toThrow(
    expect.objectContaining({ code: 'INVALID_PAUSE' }),
  );
});
