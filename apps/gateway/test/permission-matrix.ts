/**
 * The permission matrix: each row an officer (or an institution account) of the Zhangye demo,
 * each column something that officer asks for. docs/permissions.md prints this table and
 * permissions.e2e-spec.ts checks every cell through the running services.
 *
 * Fixtures: transfer T goes from 甘州区医疗保障局 to 张掖市公安局甘州分局 (sent, not yet
 * receipted), transfer D the same way but still awaiting the head's approval (not sent); clue C is a real-name tip-off taken in by 甘州区医疗保障局; agency A is
 * 临泽县人民法院 (in the other district).
 */
export const COLUMNS = {
  readTransfer: 'read T',
  readUnsentTransfer: 'read D (not sent)',
  receiptTransfer: 'receipt T',
  readClue: 'read C',
  revealReporter: "C's reporter",
  createClue: 'take in a clue',
  draftToPolice: 'draft a transfer to police',
  institutions: 'institution register',
  readOtherDistrictAgency: 'read A',
} as const;

export type Column = keyof typeof COLUMNS;
/** Expected HTTP status, or for the register whether the list has rows. */
export type Cell = number | 'rows' | 'none';

export const MATRIX: { user: string; who: string; cells: Record<Column, Cell> }[] = [
  { user: 'ganzhou-mi-officer', who: 'district medical insurance, officer', cells: { readTransfer: 200, readUnsentTransfer: 200, receiptTransfer: 403, readClue: 200, revealReporter: 403, createClue: 201, draftToPolice: 201, institutions: 'rows', readOtherDistrictAgency: 404 } },
  { user: 'ganzhou-mi-complaint-handler', who: 'district medical insurance, tip-off desk', cells: { readTransfer: 200, readUnsentTransfer: 200, receiptTransfer: 403, readClue: 200, revealReporter: 200, createClue: 201, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 404 } },
  { user: 'zhangye-mi-complaint-handler', who: 'city medical insurance, tip-off desk', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 200, revealReporter: 403, createClue: 201, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 200 } },
  { user: 'linze-mi-officer', who: 'other district medical insurance', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 201, draftToPolice: 201, institutions: 'rows', readOtherDistrictAgency: 200 } },
  { user: 'ganzhou-police-officer', who: 'police the transfer is addressed to', cells: { readTransfer: 200, readUnsentTransfer: 404, receiptTransfer: 200, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 404 } },
  { user: 'zhangye-police-head', who: 'city police, not addressed', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 200 } },
  { user: 'linze-police-officer', who: 'other district police', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 200 } },
  { user: 'ganzhou-procuratorate-officer', who: 'district procuratorate (statutory copy)', cells: { readTransfer: 200, readUnsentTransfer: 404, receiptTransfer: 403, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 404 } },
  { user: 'linze-procuratorate-officer', who: 'other district procuratorate', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 200 } },
  { user: 'ganzhou-court-officer', who: 'district court (no case sent for trial)', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'none', readOtherDistrictAgency: 404 } },
  { user: 'ganzhou-finance-officer', who: 'district finance', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'none', readOtherDistrictAgency: 404 } },
  { user: 'ganzhou-health-officer', who: 'district health commission', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 404 } },
  { user: 'ganzhou-market-officer', who: 'district market regulation', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 404 } },
  { user: 'zhangye-discipline-officer', who: 'city discipline inspection', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'none', readOtherDistrictAgency: 200 } },
  { user: 'zhangye-lgo-officer', who: 'city leading-group office', cells: { readTransfer: 200, readUnsentTransfer: 404, receiptTransfer: 403, readClue: 200, revealReporter: 403, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 200 } },
  { user: 'linze-lgo-officer', who: 'other district leading-group office', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 200 } },
  { user: 'h62070200004', who: 'an institution account', cells: { readTransfer: 404, readUnsentTransfer: 404, receiptTransfer: 404, readClue: 404, revealReporter: 404, createClue: 403, draftToPolice: 403, institutions: 'rows', readOtherDistrictAgency: 404 } },
];

/** The matrix as the markdown table docs/permissions.md carries. */
export function renderMatrix(): string {
  const cols = Object.keys(COLUMNS) as Column[];
  const mark = (c: Cell) => (c === 'rows' ? 'its own' : c === 'none' ? '—' : c < 300 ? `✓ ${c}` : `✗ ${c}`);
  return [
    `| who | ${cols.map((c) => COLUMNS[c]).join(' | ')} |`,
    `|---|${cols.map(() => '---').join('|')}|`,
    ...MATRIX.map((r) => `| ${r.who} (\`${r.user}\`) | ${cols.map((c) => mark(r.cells[c])).join(' | ')} |`),
  ].join('\n');
}
