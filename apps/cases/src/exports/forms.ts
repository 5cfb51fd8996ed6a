import { Borders, Workbook, Worksheet } from 'exceljs';
import { CampaignSummary, LedgerProblemView, LedgerView, SummaryRow } from '@lianban/contracts';

/**
 * The printed forms of seed 002 (张医保发〔2023〕21号): Annex 3, the institution's ledger
 * (定点医药机构自查自纠问题台账), and Annex 4, the regional summary (定点医药机构自查自纠汇总情况表,
 * -1 医疗机构 and -2 零售药店), to .xlsx laid out as printed (title, header rows with the
 * annex's merged cells, amounts in 元 with two decimals, borders, A4 landscape) and to CSV
 * (UTF-8 with a BOM so Excel reads the Chinese, CRLF lines, the same rows and columns).
 * Headers are the annexes' own words; blanks (____) are filled from the register.
 */

/** Whole fen as yuan with two decimals, in integer arithmetic: 1234567 → "12345.67". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const KIND_CHOICE = { hospital: '①', pharmacy: '②' } as const;
const OWNERSHIP_CHOICE = { public: '①', private: '②' } as const;
const LEVEL_CHOICE = { '3': '①', '2': '②', '1_or_below': '③' } as const;
const INSURANCE_CHOICE = { employees: '①', residents: '②' } as const;

// ---- Annex 3 ----

export const ANNEX3_HEADER_1 = ['序号', '问题类别', '问题内容', '涉及违规资金（元）', '', '退回资金（元）', '', '整改情况 ①已完成整改 ②未完成整改', '整改中或未整改请备注原因'];
export const ANNEX3_HEADER_2 = ['', '', '', '城镇职工医保', '城乡居民医保', '城镇职工医保', '城乡居民医保', '', ''];
const ANNEX3_NOTES = [
  '注：1. 本表由定点医药机构填写，报送各级医保部门汇总。',
  '2. 机构信息中，定点零售药店不填写机构性质与级别。',
  '3. 问题类别按照本方案中“整治重点”内容及附件 1、2 有关表述进行填报。',
];

function annex3Lines(ledger: LedgerView, cityName: string): { title: string; info: [string, string] } {
  const i = ledger.institution;
  const pharmacy = i.kind === 'pharmacy';
  // Note 2 of the annex: a pharmacy leaves ownership and level blank.
  const ownership = pharmacy ? '____' : OWNERSHIP_CHOICE[i.ownership];
  const level = pharmacy ? '____' : LEVEL_CHOICE[i.level];
  const insurance = ledger.insuranceTypes.map((t) => INSURANCE_CHOICE[t]).sort().join('');
  return {
    title: `${cityName}定点医药机构自查自纠问题台账`,
    info: [
      `机构信息：名称${i.name}；类别${KIND_CHOICE[i.kind]}（①定点医疗机构；②定点零售药店）`,
      `性质${ownership}（①公立；②民营）；级别${level}（①三级；②二级；③一级及以下）；医保类型${insurance}（①城镇职工 ②城乡居民）`,
    ],
  };
}

function annex3Row(p: LedgerProblemView): (string | number)[] {
  return [p.seq, p.category, p.content, p.violatingEmployeesFen, p.violatingResidentsFen, p.refundedEmployeesFen, p.refundedResidentsFen, p.rectified ? '①已完成整改' : '②未完成整改', p.reason ?? ''];
}

const THIN: Partial<Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

function sheet(wb: Workbook, name: string, widths: number[], headerRows: string): Worksheet {
  const ws = wb.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true, printTitlesRow: headerRows, margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } },
    views: [{ state: 'frozen', ySplit: Number(headerRows.split(':')[1]) }],
  });
  ws.columns = widths.map((width) => ({ width }));
  return ws;
}

function title(ws: Worksheet, row: number, text: string, lastCol: string, size = 16): void {
  ws.mergeCells(`A${row}:${lastCol}${row}`);
  const c = ws.getCell(`A${row}`);
  c.value = text;
  c.font = { name: '宋体', size, bold: size >= 14 };
  c.alignment = { horizontal: size >= 14 ? 'center' : 'left', vertical: 'middle', wrapText: true };
  ws.getRow(row).height = size >= 14 ? 30 : 20;
}

/** Writes the two header rows and the merges: single headers span both rows, money and status groups span two columns. */
function headers(ws: Worksheet, first: number, h1: string[], h2: string[]): void {
  ws.getRow(first).values = h1;
  ws.getRow(first + 1).values = h2;
  const col = (i: number) => String.fromCharCode(65 + i);
  for (let i = 0; i < h1.length; i++) {
    if (h1[i] && !h2[i]) ws.mergeCells(`${col(i)}${first}:${col(i)}${first + 1}`);
    else if (h1[i] && h1[i + 1] === '') ws.mergeCells(`${col(i)}${first}:${col(i + 1)}${first}`);
  }
  for (const r of [first, first + 1]) {
    const row = ws.getRow(r);
    row.height = 30;
    for (let i = 1; i <= h1.length; i++) {
      const c = row.getCell(i);
      c.font = { name: '宋体', size: 10, bold: true };
      c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      c.border = THIN;
    }
  }
}

function body(ws: Worksheet, rowNo: number, values: (string | number)[], moneyCols: number[], textCols: number[] = []): void {
  const row = ws.getRow(rowNo);
  values.forEach((v, i) => {
    const c = row.getCell(i + 1);
    // Money is whole fen in the platform; the form shows yuan. fen / 100 is the nearest double to the exact amount, shown with 2 decimals.
    c.value = moneyCols.includes(i) ? (v as number) / 100 : v;
    if (moneyCols.includes(i)) c.numFmt = '#,##0.00';
    c.border = THIN;
    c.font = { name: '宋体', size: 10 };
    c.alignment = { vertical: 'middle', horizontal: textCols.includes(i) ? 'left' : 'center', wrapText: true };
  });
}

export async function annex3Xlsx(ledger: LedgerView, cityName: string): Promise<Buffer> {
  const { title: t, info } = annex3Lines(ledger, cityName);
  const wb = new Workbook();
  wb.creator = 'Lianban';
  const ws = sheet(wb, '自查自纠问题台账', [6, 22, 40, 14, 14, 14, 14, 16, 28], '4:5');
  title(ws, 1, t, 'I');
  title(ws, 2, info[0], 'I', 11);
  title(ws, 3, info[1], 'I', 11);
  headers(ws, 4, ANNEX3_HEADER_1, ANNEX3_HEADER_2);
  ledger.problems.forEach((p, n) => body(ws, 6 + n, annex3Row(p), [3, 4, 5, 6], [1, 2, 8]));
  const after = 6 + ledger.problems.length;
  ANNEX3_NOTES.forEach((note, n) => title(ws, after + n, note, 'I', 10));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- CSV ----

/** An amount in yuan, written as it is: a number, never text to neutralise. */
interface CsvAmount {
  yuan: string;
}
type CsvValue = string | number | CsvAmount;

const amount = (fen: number): CsvAmount => ({ yuan: yuan(fen) });

/**
 * Text that Excel or WPS would read as a formula (= + - @, or a tab or carriage return first:
 * OWASP "CSV Injection"), e.g. a problem's category `=HYPERLINK(...)` typed by an institution, is
 * kept as text by a leading single quote. Numbers and amounts are not text and keep their sign.
 */
export function csvText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvCell(v: CsvValue): string {
  const s = typeof v === 'object' ? v.yuan : typeof v === 'number' ? String(v) : csvText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(lines: CsvValue[][]): Buffer {
  return Buffer.from(`\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
}

export function annex3Csv(ledger: LedgerView, cityName: string): Buffer {
  const { title: t, info } = annex3Lines(ledger, cityName);
  const money = (p: LedgerProblemView) => annex3Row(p).map((v, i) => ([3, 4, 5, 6].includes(i) ? amount(v as number) : v));
  return csv([[t], [info[0]], [info[1]], ANNEX3_HEADER_1, ANNEX3_HEADER_2, ...ledger.problems.map(money), ...ANNEX3_NOTES.map((n) => [n])]);
}

// ---- Annex 4 ----

export const ANNEX4_TABLES = [
  { key: 'hospitals', suffix: '-1 医疗机构', sheet: '医疗机构', problemsHeader: '机构自查自纠问题数' },
  { key: 'pharmacies', suffix: '-2 零售药店', sheet: '零售药店', problemsHeader: '机构自查问题数' },
] as const;

export function annex4Headers(problemsHeader: string): [string[], string[]] {
  return [
    ['地区', '定点机构数', '自查发现问题机构数', problemsHeader, '涉及违规资金(元)', '', '退回资金(元)', '', '问题整改情况', ''],
    ['', '', '', '', '城镇职工医保', '城乡居民医保', '城镇职工医保', '城乡居民医保', '①已完成整改数', '②未完成整改数'],
  ];
}

function annex4Row(r: SummaryRow): (string | number)[] {
  return [r.label, r.designated, r.institutionsWithProblems, r.problems, r.violatingEmployeesFen, r.violatingResidentsFen, r.refundedEmployeesFen, r.refundedResidentsFen, r.rectified, r.notRectified];
}

export async function annex4Xlsx(s: CampaignSummary): Promise<Buffer> {
  const wb = new Workbook();
  wb.creator = 'Lianban';
  for (const t of ANNEX4_TABLES) {
    const ws = sheet(wb, t.sheet, [14, 10, 12, 12, 14, 14, 14, 14, 12, 12], '3:4');
    title(ws, 1, `${s.cityName}定点医药机构自查自纠汇总情况表${t.suffix}`, 'J');
    title(ws, 2, `填报单位: ${s.reportingAgency}`, 'J', 11);
    const [h1, h2] = annex4Headers(t.problemsHeader);
    headers(ws, 3, h1, h2);
    s[t.key].forEach((r, n) => body(ws, 5 + n, annex4Row(r), [4, 5, 6, 7]));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Both tables one after the other, each with its title, reporting unit and two header lines, a blank line between. */
export function annex4Csv(s: CampaignSummary): Buffer {
  const lines: CsvValue[][] = [];
  for (const [n, t] of ANNEX4_TABLES.entries()) {
    if (n > 0) lines.push([]);
    lines.push([`${s.cityName}定点医药机构自查自纠汇总情况表${t.suffix}`], [`填报单位: ${s.reportingAgency}`], ...annex4Headers(t.problemsHeader));
    for (const r of s[t.key]) lines.push(annex4Row(r).map((v, i) => (i >= 4 && i <= 7 ? amount(v as number) : v)));
  }
  return csv(lines);
}
