/**
 * Periods of days in Asia/Shanghai, as the statistics take them (`from` and `to` inclusive,
 * `YYYY-MM-DD`): today's date there whatever the browser's zone, and the quick choices of the
 * dashboard. Dates are handled as strings of digits: no time zone arithmetic in the browser.
 */

export interface Period {
  from: string;
  to: string;
}

export const PERIOD_PRESETS = ['year', 'quarter', 'lastQuarter', 'lastYear'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today in Asia/Shanghai, e.g. "2026-11-23". */
export function shanghaiToday(now = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The quarter's first and last day, of the year and quarter (1–4) given. */
function quarter(year: number, q: number): Period {
  const first = String(3 * q - 2).padStart(2, '0');
  const last = ['03-31', '06-30', '09-30', '12-31'][q - 1];
  return { from: `${year}-${first}-01`, to: `${year}-${last}` };
}

/** A quick choice as dates: this year and this quarter run to today; the last ones are whole. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  const year = Number(today.slice(0, 4));
  const q = Math.ceil(Number(today.slice(5, 7)) / 3);
  switch (preset) {
    case 'year':
      return { from: `${year}-01-01`, to: today };
    case 'quarter':
      return { from: quarter(year, q).from, to: today };
    case 'lastQuarter':
      return q === 1 ? quarter(year - 1, 4) : quarter(year, q - 1);
    case 'lastYear':
      return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
  }
}

/** Which quick choice a period is, if any. */
export function presetOf(period: Period, today: string): PeriodPreset | undefined {
  return PERIOD_PRESETS.find((p) => {
    const x = presetPeriod(p, today);
    return x.from === period.from && x.to === period.to;
  });
}

/** A real calendar day written YYYY-MM-DD. */
export function isDate(v: string | null | undefined): v is string {
  const m = v ? DATE.exec(v) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The period of a page's URL (`from`, `to`); this year to today when they are missing or not a period. */
export function periodFrom(params: URLSearchParams, today: string): Period {
  const from = params.get('from');
  const to = params.get('to');
  return isDate(from) && isDate(to) && from <= to ? { from, to } : presetPeriod('year', today);
}
