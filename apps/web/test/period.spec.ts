import { isDate, periodFrom, presetOf, presetPeriod, shanghaiToday } from '../src/period';

describe('the dashboard’s periods, in Asia/Shanghai days', () => {
  it('takes today in Shanghai, whatever the browser’s zone', () => {
    // 16:00 UTC on 31 March is already 1 April in Shanghai.
    expect(shanghaiToday(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
    expect(shanghaiToday(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
  });

  it.each([
    ['year', '2026-11-23', '2026-01-01', '2026-11-23'],
    ['quarter', '2026-11-23', '2026-10-01', '2026-11-23'],
    ['quarter', '2026-04-01', '2026-04-01', '2026-04-01'],
    ['lastQuarter', '2026-11-23', '2026-07-01', '2026-09-30'],
    ['lastQuarter', '2026-02-10', '2025-10-01', '2025-12-31'],
    ['lastQuarter', '2026-05-31', '2026-01-01', '2026-03-31'],
    ['lastYear', '2026-11-23', '2025-01-01', '2025-12-31'],
  ] as const)('turns %s on %s into %s … %s', (preset, today, from, to) => {
    expect(presetPeriod(preset, today)).toEqual({ from, to });
    expect(presetOf({ from, to }, today)).toBe(preset);
  });

  it('knows no quick choice for a period of one’s own, and calls the first quarter to date this year', () => {
    expect(presetOf({ from: '2026-02-01', to: '2026-02-28' }, '2026-11-23')).toBeUndefined();
    expect(presetOf({ from: '2026-01-01', to: '2026-02-10' }, '2026-02-10')).toBe('year');
  });

  it('reads the period from the URL, and falls back to this year for missing, unreal or reversed dates', () => {
    const today = '2026-11-23';
    expect(periodFrom(new URLSearchParams('from=2026-07-01&to=2026-09-30'), today)).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    for (const q of ['', 'from=2026-07-01', 'from=2026-02-30&to=2026-03-31', 'from=2026-09-30&to=2026-07-01', 'from=26-7-1&to=2026-09-30']) {
      expect(periodFrom(new URLSearchParams(q), today)).toEqual({ from: '2026-01-01', to: today });
    }
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2026-02-29')).toBe(false);
  });
});
