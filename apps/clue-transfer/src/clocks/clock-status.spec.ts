import { dueSoonAt, isDueToday } from './clock.service';

const sh = (local: string) => new Date(`${local}+08:00`);

describe('clock thresholds', () => {
  it('calls a deadline at midnight "due" all through the day it ends, in Shanghai', () => {
    const due = sh('2025-11-14T00:00:00'); // the end of Thursday 13 November
    expect(isDueToday(sh('2025-11-13T00:00:01'), due)).toBe(true);
    expect(isDueToday(sh('2025-11-13T23:59:59'), due)).toBe(true);
    expect(isDueToday(sh('2025-11-12T23:59:59'), due)).toBe(false);
    expect(isDueToday(sh('2025-11-14T00:00:00'), due)).toBe(false); // overdue by then
  });

  it('warns in the last fifth of a long period, but never more than a day ahead', () => {
    expect(dueSoonAt(sh('2025-11-10T00:00:00'), sh('2025-11-10T10:00:00'))).toEqual(sh('2025-11-10T08:00:00'));
    expect(dueSoonAt(sh('2025-11-01T00:00:00'), sh('2025-11-16T00:00:00'))).toEqual(sh('2025-11-15T00:00:00'));
  });
});
