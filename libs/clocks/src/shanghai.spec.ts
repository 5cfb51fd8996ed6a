import { deadlineInstant, isCivilDate, shanghaiHour } from './shanghai';

describe('a deadline as someone wrote it', () => {
  it.each([
    ['2026-03-31', '2026-03-31T16:00:00.000Z'], // 24:00 in Shanghai
    ['2026-03-31T17:00', '2026-03-31T09:00:00.000Z'], // Shanghai time
    ['2026-03-31T17:00:00+08:00', '2026-03-31T09:00:00.000Z'],
    ['2026-03-31T17:00:00Z', '2026-03-31T17:00:00.000Z'],
  ])('reads %s as %s', (written, instant) => {
    expect(deadlineInstant(written).toISOString()).toBe(instant);
  });

  it.each(['2026-W13', '2026-090', '2026-02-30'])('finds no instant in %s', (written) => {
    expect(Number.isNaN(deadlineInstant(written).getTime())).toBe(true);
  });
});

describe('a civil date', () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['0001-01-01', true],
    ['0000-01-01', false], // no year 0 in the calendar PostgreSQL keeps
    ['2025-1-01', false],
  ])('%s is one: %s', (value, ok) => {
    expect(isCivilDate(value)).toBe(ok);
  });
});

describe('the hour in Shanghai', () => {
  it.each([
    ['2026-03-31T15:59:59Z', 23],
    ['2026-03-31T16:00:00Z', 0], // midnight: the next day's hour 0, not 24
    ['2026-03-31T23:30:00Z', 7],
  ])('at %s is %d', (instant, hour) => {
    expect(shanghaiHour(new Date(instant))).toBe(hour);
  });
});
