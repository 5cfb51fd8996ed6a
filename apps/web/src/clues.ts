import type { AgencyView, ClueSource, ClueStatus, ClueView, Principal } from './api/types';
import { holdsRole } from './nav';

/**
 * What the console knows of clues (线索) without asking: the API's codes (CLUE_SOURCES and the rest
 * in libs/contracts, whose values the console may not import), and who may take a clue in or
 * assign one down (交办), so that no button leads to a refusal. The service checks again.
 */

/** 线索来源 */
export const CLUE_SOURCES = ['tip_off_hotline', 'tip_off_web', 'tip_off_mail', 'tip_off_app', 'assigned', 'big_data', 'inspection', 'self_inspection', 'agency_transfer'] as const satisfies readonly ClueSource[];

/** Tip-offs (举报) are the only clues with a reporter. */
export const TIP_OFF_SOURCES: readonly ClueSource[] = ['tip_off_hotline', 'tip_off_web', 'tip_off_mail', 'tip_off_app'];

/** 受理 → 初核 → 核查 → (交办的：上报 →) 办结 */
export const CLUE_STATUSES = ['received', 'triaged', 'verifying', 'reported', 'concluded'] as const satisfies readonly ClueStatus[];

/** While these last the clue is being worked on: its clocks run. */
export const OPEN_CLUE_STATUSES: readonly ClueStatus[] = ['received', 'triaged', 'verifying'];

export const CLUE_SUBJECT_KINDS = ['institution', 'insured_person', 'gang', 'staff'] as const satisfies readonly ClueView['subject']['kind'][];

/**
 * The violation categories (VIOLATION_CATEGORIES, seed 002 Annex 2) by group: H designated medical
 * institutions, P designated pharmacies, I insured persons, G fraud gangs. Labels: `category:H01`.
 */
export const VIOLATION_GROUPS: Record<'H' | 'P' | 'I' | 'G', readonly string[]> = {
  H: ['H01', 'H02', 'H03', 'H04', 'H05', 'H06', 'H07', 'H08', 'H09'],
  P: ['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07'],
  I: ['I01', 'I02', 'I03', 'I04'],
  G: ['G01', 'G02', 'G03', 'G04'],
};

/** The groups of categories that fit a kind of subject first, the others after. */
export function categoryGroupsFor(kind: string | undefined): ('H' | 'P' | 'I' | 'G')[] {
  const first: Record<string, ('H' | 'P' | 'I' | 'G')[]> = { institution: ['H', 'P'], insured_person: ['I'], gang: ['G'] };
  const lead = first[kind ?? ''] ?? [];
  return [...lead, ...(['H', 'P', 'I', 'G'] as const).filter((g) => !lead.includes(g))];
}

function isMedicalInsuranceOfficer(p: Principal | null): p is Principal {
  return p?.kind === 'officer' && p.agencyKind === 'MEDICAL_INSURANCE';
}

/** Whether the officer takes clues in (登记线索): a medical insurance bureau's officers, heads and tip-off desk. */
export function mayRecordClues(p: Principal | null): boolean {
  return isMedicalInsuranceOfficer(p) && ['officer', 'head', 'complaint_handler'].some((r) => holdsRole(p, r));
}

/** Whether the officer's bureau is a city's or a province's (its region code ends in 00), which assigns clues down. */
export function isAboveDistrict(p: Principal | null): boolean {
  return isMedicalInsuranceOfficer(p) && /^[1-9]\d{3}00$/.test(p.regionCode ?? '');
}

/** Whether the officer assigns clues down (交办) to the bureaus below: an officer or head of a city or province bureau. */
export function mayAssignClues(p: Principal | null): boolean {
  return isAboveDistrict(p) && (holdsRole(p, 'officer') || holdsRole(p, 'head'));
}

/** The start every region code within reach of `code` has: a province's 2 digits, a city's 4, a district itself. */
function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The bureaus a clue may be assigned down to: the medical insurance bureaus within the officer's region, their own aside. */
export function assigneesFor(p: Principal | null, agencies: Iterable<AgencyView>): AgencyView[] {
  if (!mayAssignClues(p) || !p?.regionCode) return [];
  const prefix = regionPrefix(p.regionCode);
  return [...agencies].filter((a) => a.kind === 'MEDICAL_INSURANCE' && a.id !== p.agencyId && a.regionCode.startsWith(prefix)).sort((a, b) => a.regionCode.localeCompare(b.regionCode));
}
