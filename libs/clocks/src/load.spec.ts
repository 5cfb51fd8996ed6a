import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCalendar } from './load';

describe('loading the calendar from HOLIDAY_CALENDAR_FILE', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'clocks-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const hypothetical2031 = JSON.stringify([{ year: 2031, holidays: ['2031-10-01'], makeUpWorkdays: ['2031-09-27'], source: 'test data, not a real notice' }]);

  it('uses the shipped calendar alone when the variable is unset or blank', () => {
    for (const env of [{}, { HOLIDAY_CALENDAR_FILE: '' }, { HOLIDAY_CALENDAR_FILE: '  ' }]) {
      const calendar = loadCalendar(env);
      expect(calendar.years()).toEqual([2025, 2026]);
    }
    expect(loadCalendar(undefined).years()).toEqual([2025, 2026]);
  });

  it('lays the file’s years over the shipped ones', () => {
    const calendar = loadCalendar({ HOLIDAY_CALENDAR_FILE: file('holidays.json', hypothetical2031) });
    expect(calendar.years()).toEqual([2025, 2026, 2031]);
    expect(calendar.isWorkingDay('2031-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2031-09-27')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
  });

  it('takes the path itself, as the service configuration holds it', () => {
    expect(loadCalendar(file('holidays.json', hypothetical2031)).hasDataFor(2031)).toBe(true);
  });

  it('refuses to go on with a file it cannot read, naming it', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadCalendar({ HOLIDAY_CALENDAR_FILE: missing })).toThrow(expect.objectContaining({ code: 'CALENDAR_FILE_UNREADABLE', message: expect.stringContaining(missing) }));
  });

  it('refuses a malformed file, naming it and the fault', () => {
    const path = file('bad.json', JSON.stringify([{ year: 2031, holidays: ['2031-02-30'], makeUpWorkdays: [] }]));
    expect(() => loadCalendar({ HOLIDAY_CALENDAR_FILE: path })).toThrow(expect.objectContaining({ code: 'INVALID_CALENDAR' }));
    expect(() => loadCalendar({ HOLIDAY_CALENDAR_FILE: path })).toThrow(path);
    expect(() => loadCalendar({ HOLIDAY_CALENDAR_FILE: path })).toThrow('"2031-02-30" is not a real YYYY-MM-DD date');
  });
});
