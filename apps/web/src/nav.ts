import type { AgencyKind, Principal } from './api/types';
import type { MessageKey } from './i18n/messages';

/**
 * The console's sections and which agencies see them. A new section is added here with its page.
 */
export interface Section {
  key: string;
  path: string;
  label: MessageKey;
  kinds: readonly (AgencyKind | `${AgencyKind}`)[] | 'all';
  /** Shown to institution portal accounts too (they have no agency kind). */
  institutions?: boolean;
  /** Shown only to officers holding one of these roles. */
  roles?: readonly string[];
}

export const SECTIONS: readonly Section[] = [
  { key: 'workbench', path: '/', label: 'workbench', kinds: 'all' },
  { key: 'clues', path: '/clues', label: 'clues', kinds: ['MEDICAL_INSURANCE', 'LEADING_GROUP_OFFICE'] },
  { key: 'transfers', path: '/transfers', label: 'transfers', kinds: ['MEDICAL_INSURANCE', 'POLICE', 'PROCURATORATE', 'COURT', 'HEALTH', 'MARKET', 'DISCIPLINE', 'LEADING_GROUP_OFFICE'] },
  { key: 'cases', path: '/cases', label: 'cases', kinds: ['MEDICAL_INSURANCE', 'LEADING_GROUP_OFFICE'] },
  { key: 'ledgers', path: '/ledgers', label: 'ledgers', kinds: ['MEDICAL_INSURANCE', 'LEADING_GROUP_OFFICE'], institutions: true },
  { key: 'supervisions', path: '/supervisions', label: 'supervisions', kinds: ['MEDICAL_INSURANCE', 'LEADING_GROUP_OFFICE'] },
  // Any agency's officer verifies invoices (finance keeps the register); investigators file the receipts with their cases.
  { key: 'invoices', path: '/invoices', label: 'invoices', kinds: 'all' },
  // The register of designated institutions: kept by medical insurance, read by the agencies that act on institutions.
  { key: 'institutions', path: '/institutions', label: 'institutions', kinds: ['MEDICAL_INSURANCE', 'POLICE', 'PROCURATORATE', 'HEALTH', 'MARKET', 'LEADING_GROUP_OFFICE'] },
  // Whom to work with: the leading groups and the agencies of the jurisdiction, with their officers' names.
  { key: 'directory', path: '/directory', label: 'directory', kinds: 'all' },
  // The agency's administrator gives its officers their roles and disables accounts.
  { key: 'officers', path: '/officers', label: 'officers', kinds: 'all', roles: ['admin'] },
  // What the agency's officers did on the platform, refusals too: its administrator reviews it.
  { key: 'audit', path: '/audit', label: 'auditTrail', kinds: 'all', roles: ['admin'] },
];

export function sectionsFor(p: Principal | null): Section[] {
  if (p?.kind === 'institution') return SECTIONS.filter((s) => s.key === 'workbench' || s.institutions);
  if (!p?.agencyKind) return [];
  return SECTIONS.filter((s) => (s.kinds === 'all' || s.kinds.includes(p.agencyKind!)) && (!s.roles || s.roles.some((r) => holdsRole(p, r))));
}

/** Whether the signed-in officer holds a role (its name as the API spells it). */
export function holdsRole(p: Principal | null, role: string): boolean {
  return (p?.roles as readonly string[] | undefined)?.includes(role) ?? false;
}

/** The routes an agency may draft a transfer on (the service checks again). */
export function draftRoutesFor(kind: string | undefined): string[] {
  switch (kind) {
    case 'MEDICAL_INSURANCE':
      return ['mi_to_police', 'mi_to_health', 'mi_to_market', 'mi_to_discipline'];
    case 'POLICE':
      return ['police_to_mi', 'agency_to_mi', 'agency_to_discipline'];
    case 'DISCIPLINE':
      return ['agency_to_mi'];
    case 'LEADING_GROUP_OFFICE':
    case undefined:
      return [];
    default:
      return ['agency_to_mi', 'agency_to_discipline'];
  }
}

/** Which agency kind receives on a route. */
export const ROUTE_RECEIVER: Record<string, string> = {
  mi_to_police: 'POLICE',
  police_to_mi: 'MEDICAL_INSURANCE',
  mi_to_health: 'HEALTH',
  mi_to_market: 'MARKET',
  mi_to_discipline: 'DISCIPLINE',
  agency_to_mi: 'MEDICAL_INSURANCE',
  agency_to_discipline: 'DISCIPLINE',
};
