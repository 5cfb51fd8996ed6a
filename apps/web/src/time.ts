/**
 * Instants (the API's UTC timestamps) as officers read them: Beijing time whatever the zone of
 * the computer, so a step signed at 09:00 in Zhangye reads 09:00 on every screen and in every
 * screenshot sent to a colleague. Civil dates (`YYYY-MM-DD`, e.g. a campaign's days) are not
 * instants and are shown as they are, never through this.
 */

const SHANGHAI = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An instant in Beijing time, "2026-11-23 09:05:00" in either language; "—" when there is none. */
export function shanghaiTime(instant: string | number | Date | null | undefined): string {
  if (instant === null || instant === undefined || instant === '') return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '—';
  const part = Object.fromEntries(SHANGHAI.formatToParts(date).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/**
 * A deadline in Beijing time. One written as a date alone runs to 24:00 of that day (the API keeps
 * it as midnight of the next), and reads so: "2026-03-31 24:00", not "2026-04-01 00:00:00".
 */
export function shanghaiDeadline(instant: string | number | Date | null | undefined): string {
  const shown = shanghaiTime(instant);
  if (!shown.endsWith(' 00:00:00')) return shown;
  const midnight = new Date(instant!);
  return `${shanghaiTime(midnight.getTime() - 1).slice(0, 10)} 24:00`;
}
