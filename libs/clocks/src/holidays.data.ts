import type { HolidayYear } from './calendar';

/**
 * The State Council's holiday schedules shipped with the platform. Each year is one notice:
 * `holidays` are the days off it announces (放假), including any weekend days inside the break;
 * `makeUpWorkdays` are the weekend days it turns into working days (调休上班). Later years, or
 * corrections, come from HOLIDAY_CALENDAR_FILE (see README.md). Dates are listed one by one,
 * not as ranges, so they can be checked against the notice line by line.
 */
export const SHIPPED_CALENDAR: readonly HolidayYear[] = [
  {
    year: 2025,
    // 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, 12 November 2024
    // (published by Xinhua the same day). The first year under the 2024 revision of
    // 《全国年节及纪念日放假办法》, which added a day each to Spring Festival and Labour Day.
    source: '国办发明电〔2024〕12号',
    holidays: [
      // 元旦: 1 Jan (Wed), one day, no swap
      '2025-01-01',
      // 春节: 28 Jan (除夕, Tue) – 4 Feb (正月初七, Tue), 8 days
      '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04',
      // 清明节: 4–6 Apr (Fri–Sun)
      '2025-04-04', '2025-04-05', '2025-04-06',
      // 劳动节: 1–5 May (Thu–Mon)
      '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05',
      // 端午节: 31 May – 2 Jun (Sat–Mon)
      '2025-05-31', '2025-06-01', '2025-06-02',
      // 国庆节、中秋节: 1–8 Oct (Wed–Wed), merged, 8 days
      '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08',
    ],
    makeUpWorkdays: [
      '2025-01-26', // Sun, Spring Festival
      '2025-02-08', // Sat, Spring Festival
      '2025-04-27', // Sun, Labour Day
      '2025-09-28', // Sun, National Day
      '2025-10-11', // Sat, National Day
    ],
  },
  {
    year: 2026,
    // 国务院办公厅关于2026年部分节假日安排的通知, dated 4 November 2025, as published by Xinhua
    // (新华社北京11月4日电) and reprinted by gmw.cn. Every date below matches that text, weekdays
    // included. The notice's document number (国办发明电〔2025〕…) was not in the reprints seen,
    // so it is not given here.
    source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)',
    holidays: [
      // 元旦: 1 Jan (Thu) – 3 Jan (Sat)
      '2026-01-01', '2026-01-02', '2026-01-03',
      // 春节: 15 Feb (腊月二十八, Sun) – 23 Feb (正月初七, Mon), 9 days
      '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
      // 清明节: 4–6 Apr (Sat–Mon)
      '2026-04-04', '2026-04-05', '2026-04-06',
      // 劳动节: 1–5 May (Fri–Tue)
      '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
      // 端午节: 19–21 Jun (Fri–Sun)
      '2026-06-19', '2026-06-20', '2026-06-21',
      // 中秋节: 25–27 Sep (Fri–Sun)
      '2026-09-25', '2026-09-26', '2026-09-27',
      // 国庆节: 1–7 Oct (Thu–Wed)
      '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
    ],
    makeUpWorkdays: [
      '2026-01-04', // Sun, New Year
      '2026-02-14', // Sat, Spring Festival
      '2026-02-28', // Sat, Spring Festival
      '2026-05-09', // Sat, Labour Day
      '2026-09-20', // Sun, National Day
      '2026-10-10', // Sat, National Day
    ],
  },
];
