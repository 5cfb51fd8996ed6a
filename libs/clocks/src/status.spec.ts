import { clockStatus, dueSoonAt, isDueToday } from './status';

const sh = (local: string) => new Date(`${local}+08:00`);

describe('clock status', () => {
  describe('a 48-hour clock from Mon 10 Nov 2025 09:00 to Wed 12 Nov 09:00', () => {
    const started = sh('2025-11-10T09:00');
    const due = sh('2025-11-12T09:00');
    it.each([
      ['2025-11-10T09:00', 'running'],
      ['2025-11-11T23:23', 'running'], // the last fifth (9.6 h) begins at 23:24
      ['2025-11-11T23:24', 'due_soon'],
      ['2025-11-11T23:59:59', 'due_soon'],
      ['2025-11-12T00:00', 'due'], // the deadline's own day
      ['2025-11-12T08:59:59', 'due'],
      ['2025-11-12T09:00', 'overdue'],
      ['2025-12-01T09:00', 'overdue'],
    ])('at %s it is %s', (now, status) => {
      expect(clockStatus(sh(now), started, due)).toBe(status);
    });
  });

  describe('a 15-day period from 1 Nov 2025 ending at 24:00 on Sat 15 Nov', () => {
    const started = sh('2025-11-01T10:00');
    const due = sh('2025-11-16T00:00');
    it.each([
      ['2025-11-14T23:59:59', 'running'], // a fifth would be three days: the window is capped at 24 hours
      ['2025-11-15T00:00', 'due'],
      ['2025-11-15T23:59:59', 'due'],
      ['2025-11-16T00:00', 'overdue'],
    ])('at %s it is %s', (now, status) => {
      expect(clockStatus(sh(now), started, due)).toBe(status);
    });
  });

  it('judges "today" in Shanghai, not UTC', () => {
    const due = sh('2025-11-14T00:00'); // the end of Thu 13 Nov
    // 17:00 UTC on 12 Nov is already 01:00 on 13 Nov in Shanghai.
    expect(isDueToday(new Date('2025-11-12T17:00:00Z'), due)).toBe(true);
    expect(isDueToday(new Date('2025-11-12T15:00:00Z'), due)).toBe(false);
  });

  it('counts a deadline at 24:00 as due on the day that ends then, not the next', () => {
    const due = sh('2025-11-14T00:00');
    expect(isDueToday(sh('2025-11-13T00:00:01'), due)).toBe(true);
    expect(isDueToday(sh('2025-11-12T23:59:59'), due)).toBe(false);
    expect(isDueToday(sh('2025-11-14T00:00'), due)).toBe(false); // overdue by then
  });

  it('is due from the start for a short clock that ends the day it starts', () => {
    expect(clockStatus(sh('2025-11-10T09:00'), sh('2025-11-10T09:00'), sh('2025-11-10T12:00'))).toBe('due');
  });

  it('is overdue at once for a clock of no time', () => {
    expect(clockStatus(sh('2025-11-10T09:00'), sh('2025-11-10T09:00'), sh('2025-11-10T09:00'))).toBe('overdue');
  });

  it('takes a wider window when told', () => {
    const started = sh('2025-11-10T09:00');
    const due = sh('2025-11-12T09:00');
    const options = { dueSoonFraction: 0.5, dueSoonMaxMs: 48 * 3_600_000 };
    expect(clockStatus(sh('2025-11-11T08:59'), started, due, options)).toBe('running');
    expect(clockStatus(sh('2025-11-11T09:00'), started, due, options)).toBe('due_soon');
  });
});

describe('when the warning window opens', () => {
  it.each([
    ['the last fifth of a 10-hour clock', sh('2025-11-10T00:00'), sh('2025-11-10T10:00'), sh('2025-11-10T08:00')],
    ['24 hours before the end of a 15-day period', sh('2025-11-01T00:00'), sh('2025-11-16T00:00'), sh('2025-11-15T00:00')],
    ['at the deadline itself for a clock that ends as it starts', sh('2025-11-10T09:00'), sh('2025-11-10T09:00'), sh('2025-11-10T09:00')],
  ])('%s', (_case, started, due, opens) => {
    expect(dueSoonAt(started, due)).toEqual(opens);
  });

  it.each([
    [{ dueSoonFraction: 1.5 }],
    [{ dueSoonFraction: -0.1 }],
    [{ dueSoonMaxMs: -1 }],
    [{ dueSoonMaxMs: Infinity }],
  ])('refuses the option %j', (options) => {
    expect(() => dueSoonAt(sh('2025-11-10T00:00'), sh('2025-11-11T00:00'), options)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
