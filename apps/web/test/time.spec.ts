import { shanghaiDeadline, shanghaiTime } from '../src/time';

describe('instants in Beijing time', () => {
  it.each([
    // 16:00 UTC on 31 March is already past midnight of 1 April in Shanghai.
    ['2026-03-31T16:00:00Z', '2026-04-01 00:00:00'],
    ['2026-03-31T15:59:59.999Z', '2026-03-31 23:59:59'],
    ['2026-11-23T01:05:09Z', '2026-11-23 09:05:09'],
    // An instant written with its own offset is the same instant.
    ['2026-11-23T23:59:59+08:00', '2026-11-23 23:59:59'],
  ])('shows %s as %s, whatever the zone of the machine', (instant, shown) => {
    expect(shanghaiTime(instant)).toBe(shown);
  });

  it('shows nothing as a dash', () => {
    expect(shanghaiTime(null)).toBe('—');
    expect(shanghaiTime(undefined)).toBe('—');
    expect(shanghaiTime('not a time')).toBe('—');
  });
});

describe('deadlines in Beijing time', () => {
  it.each([
    // A date written alone (2026-03-31) runs to 24:00 of that day: the API keeps midnight of the next.
    ['2026-03-31T16:00:00Z', '2026-03-31 24:00'],
    ['2026-12-31T16:00:00.000Z', '2026-12-31 24:00'],
    // A deadline with its own time reads as any instant.
    ['2026-03-31T09:00:00Z', '2026-03-31 17:00:00'],
  ])('shows %s as %s', (instant, shown) => {
    expect(shanghaiDeadline(instant)).toBe(shown);
  });

  it('shows nothing as a dash', () => {
    expect(shanghaiDeadline(null)).toBe('—');
  });
});
