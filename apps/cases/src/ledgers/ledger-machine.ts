import { DomainError, ErrorCode, FieldError, InsuranceType, LedgerAction, LedgerProblemDto, LedgerProblemView, LedgerStatus, ProblemProgressDto, ruleError, RuleParams } from '@lianban/contracts';

export type LedgerParty = 'institution' | 'bureau';
/** When, in the campaign's calendar, a step may be taken. */
export type LedgerWindow = 'self_inspection' | 'campaign' | 'any';

export interface LedgerTransition {
  action: LedgerAction | 'update' | 'progress';
  from: LedgerStatus[];
  to: LedgerStatus | 'same';
  by: LedgerParty;
  window: LedgerWindow;
  event: string | null;
}

/**
 * The ledger's workflow as one table, read by the service and by docs/self-inspection.md:
 * an institution drafts and submits during the self-inspection phase (自查自纠); the bureau over
 * its region returns it for correction with reasons or accepts it; a returned ledger is corrected
 * and resubmitted while the campaign runs; after acceptance the institution records refunds and
 * rectification as they happen (kept as history, never overwriting what was accepted).
 */
export const LEDGER_TRANSITIONS: LedgerTransition[] = [
  { action: 'update', from: ['draft', 'returned'], to: 'same', by: 'institution', window: 'campaign', event: null },
  { action: 'submit', from: ['draft'], to: 'submitted', by: 'institution', window: 'self_inspection', event: 'ledger.submitted' },
  { action: 'return', from: ['submitted', 'resubmitted'], to: 'returned', by: 'bureau', window: 'any', event: 'ledger.returned' },
  { action: 'resubmit', from: ['returned'], to: 'resubmitted', by: 'institution', window: 'campaign', event: 'ledger.resubmitted' },
  { action: 'accept', from: ['submitted', 'resubmitted'], to: 'accepted', by: 'bureau', window: 'any', event: 'ledger.accepted' },
  { action: 'progress', from: ['accepted'], to: 'same', by: 'institution', window: 'any', event: 'ledger.progress_recorded' },
];

export function transition(action: LedgerTransition['action']): LedgerTransition {
  return LEDGER_TRANSITIONS.find((t) => t.action === action)!;
}

/** The steps `party` may take on a ledger that is `status`, ignoring the calendar. */
export function allowedFor(status: LedgerStatus, party: LedgerParty): LedgerTransition['action'][] {
  return LEDGER_TRANSITIONS.filter((t) => t.by === party && t.from.includes(status)).map((t) => t.action);
}

/** The transition, or a 409 naming what is allowed; 403 when the step belongs to another party (a reader takes none). */
export function checkTransition(action: LedgerTransition['action'], status: LedgerStatus, party: LedgerParty | 'reader'): LedgerTransition {
  const t = transition(action);
  if (t.by !== party) {
    throw new DomainError(403, ErrorCode.FORBIDDEN, t.by === 'bureau' ? 'Only the medical insurance bureau over the institution’s region reviews its ledger.' : 'Only the institution itself fills in and submits its ledger.');
  }
  if (!t.from.includes(status)) {
    throw new DomainError(409, ErrorCode.ILLEGAL_TRANSITION, `A ledger that is ${status} cannot take the step "${action}".`, { current: status, allowed: allowedFor(status, party) });
  }
  return t;
}

const COLUMNS = [
  ['violatingEmployeesFen', 'refundedEmployeesFen', 'employees'],
  ['violatingResidentsFen', 'refundedResidentsFen', 'residents'],
] as const;

/** Broken rules gathered per field of a row (`problems.<i>.<column>`), in the order first met, each with its code. */
function rowErrors(): { add: (field: string, code: string, message: string, params?: RuleParams) => void; errors: FieldError[] } {
  const errors: FieldError[] = [];
  return {
    errors,
    add(field, code, message, params) {
      const e = errors.find((x) => x.field === field);
      if (!e) return void errors.push(ruleError(field, code, message, params));
      e.messages.push(message);
      e.codes!.push(code);
      if (params) e.params = { ...e.params, [code]: params };
    },
  };
}

/**
 * The rows' own rules: refunds never exceed the violating funds of the same insurance; funds
 * only under an insurance type the institution declared; a row not rectified says why. Each
 * error names the column it is about (`problems.2.refundedEmployeesFen`), so a form puts it there.
 */
export function validateProblems(insuranceTypes: InsuranceType[], problems: LedgerProblemDto[]): FieldError[] {
  const { add, errors } = rowErrors();
  problems.forEach((p, i) => {
    const field = `problems.${i}`;
    for (const [violating, refunded, type] of COLUMNS) {
      if (p[refunded] > p[violating]) add(`${field}.${refunded}`, 'refundAboveViolating', `${refunded} (${p[refunded]}) is more than ${violating} (${p[violating]})`, { refundedFen: p[refunded], violatingFen: p[violating] });
      if (p[violating] > 0 && !insuranceTypes.includes(type)) add(`${field}.${violating}`, 'insuranceNotDeclared', `funds of ${type}' insurance, which the institution did not declare in insuranceTypes`, { insuranceType: type });
    }
    if (!p.rectified && !p.reason) add(`${field}.reason`, 'reasonNeeded', 'a problem not (yet) rectified needs the reason (整改中或未整改请备注原因)');
  });
  return errors;
}

/**
 * Progress after acceptance moves forward only: refunds never shrink and never pass the
 * violating funds, a rectified row stays rectified, a row not rectified keeps a reason. Errors
 * name the column, as for the rows themselves.
 */
export function validateProgress(current: LedgerProblemView[], updates: ProblemProgressDto[]): FieldError[] {
  const { add, errors } = rowErrors();
  const seen = new Set<number>();
  updates.forEach((u, i) => {
    const field = `problems.${i}`;
    const row = current.find((r) => r.seq === u.seq);
    if (!row) return add(`${field}.seq`, 'noSuchRow', `the ledger has no problem row ${u.seq}`, { seq: u.seq });
    if (seen.has(u.seq)) return add(`${field}.seq`, 'rowRepeated', `row ${u.seq} is listed twice`, { seq: u.seq });
    seen.add(u.seq);
    for (const [violating, refunded] of COLUMNS) {
      if (u[refunded] < row[refunded]) add(`${field}.${refunded}`, 'refundDecreased', `${refunded} cannot go down from ${row[refunded]} to ${u[refunded]}: refunds already recorded stay recorded`, { recordedFen: row[refunded], refundedFen: u[refunded] });
      if (u[refunded] > row[violating]) add(`${field}.${refunded}`, 'refundAboveViolating', `${refunded} (${u[refunded]}) is more than ${violating} (${row[violating]})`, { refundedFen: u[refunded], violatingFen: row[violating] });
    }
    if (row.rectified && !u.rectified) add(`${field}.rectified`, 'rectifiedStays', 'a rectified problem cannot become unrectified');
    if (!u.rectified && !u.reason && !row.reason) add(`${field}.reason`, 'reasonNeeded', 'a problem not (yet) rectified needs the reason');
  });
  return errors;
}
