import { AgencyKind, AgreementMeasure, CaseAction, CaseState, FieldError, PenaltyDto, ruleError, ViolationKind } from '@lianban/contracts';
import type { Limit } from '@lianban/clocks';

/**
 * The administrative penalty procedure of medical insurance (国家医保局令第4号, 2021; 行政处罚法
 * 2021; 医疗保障基金使用监督管理条例, 国务院令第735号) as one table. Code enforces it, docs/cases.md
 * prints it (tools/print-cases.ts), and the console offers exactly the actions it allows.
 */

/** Who acts on a case: one of its officers, the bureau's head, or a legal reviewer who is not one of its officers. */
export type CaseParty = 'case_officer' | 'head' | 'legal_reviewer';

export interface CaseClockRule {
  step: string;
  label: string;
  limit: Limit;
  escalateTo: AgencyKind[];
  source: string;
}

export const CASE_CLOCK_RULES = {
  conclusion: {
    step: 'conclusion',
    label: '立案之日起90日内作出处理决定 / decide within 90 days of filing',
    limit: { amount: 90, unit: 'calendar_days' },
    escalateTo: [AgencyKind.LEADING_GROUP_OFFICE],
    source: '国家医保局令第4号: 90 days; the head may extend by 30, longer (≤ 60 more) after collective discussion; tests, appraisal, hearing, public notice and expert review not counted',
  },
  legal_review: {
    step: 'legal_review',
    label: '法制审核 / legal review',
    limit: { amount: 10, unit: 'working_days' },
    escalateTo: [AgencyKind.LEADING_GROUP_OFFICE],
    source: '国家医保局令第4号: 10 working days',
  },
  service: {
    step: 'service',
    label: '送达处罚决定书 / serve the decision',
    limit: { amount: 7, unit: 'working_days' },
    escalateTo: [AgencyKind.LEADING_GROUP_OFFICE],
    source: '行政处罚法 art. 61; 国家医保局令第4号: 7 working days',
  },
  supervision_report: {
    step: 'supervision_report',
    label: '督办进展报告 / progress report on a supervision order',
    limit: { amount: 10, unit: 'working_days' },
    escalateTo: [AgencyKind.LEADING_GROUP_OFFICE],
    source: 'the supervision order: its own interval (this limit is only the default)',
  },
  supervision_deadline: {
    step: 'supervision_deadline',
    label: '督办办结期限 / deadline of a supervision order',
    limit: { amount: 0, unit: 'hours' },
    escalateTo: [AgencyKind.LEADING_GROUP_OFFICE],
    source: 'the supervision order: its own deadline',
  },
} satisfies Record<string, CaseClockRule>;

export type CaseClockStep = keyof typeof CASE_CLOCK_RULES;

/** The 90 days, and what the two extensions make of them. */
export const CONCLUSION_DAYS = 90;
export const HEAD_EXTENSION_DAYS = 30;
export const MAX_COLLECTIVE_EXTENSION_DAYS = 60;

/** Facts a transition may depend on besides the stage. */
export interface CaseFacts {
  major: boolean;
  extension: 'none' | 'head' | 'collective';
  /** A pause taken with pause_clock is running (a hearing pauses through its own stage). */
  paused: boolean;
}

export interface CaseTransition {
  from: CaseState;
  action: CaseAction;
  to: CaseState;
  by: CaseParty;
  /** Only when this holds of the case (e.g. collective discussion for major cases). */
  when?: { major?: boolean; extension?: CaseFacts['extension']; paused?: boolean };
  starts?: CaseClockStep;
  stops?: CaseClockStep[];
  /** Pauses or resumes the conclusion clock (time not counted). */
  pauses?: boolean;
  resumes?: boolean;
  needsNote?: boolean;
  needsDocument?: boolean;
  needsPenalty?: boolean;
  label: string;
}

/** The stages a case is still open in: extensions and pauses may be taken there. */
export const OPEN_STATES: CaseState[] = ['investigating', 'notified', 'hearing', 'legal_review', 'reviewed', 'collective_discussion'];

const STAGES: CaseTransition[] = [
  { from: 'investigating', action: 'notify_penalty', to: 'notified', by: 'case_officer', needsDocument: true, needsPenalty: true, label: '行政处罚事先告知：拟处罚内容、事实、理由、依据，及陈述、申辩、要求听证的权利' },
  { from: 'investigating', action: 'close_without_penalty', to: 'closed', by: 'head', stops: ['conclusion'], needsNote: true, needsDocument: true, label: '不予行政处罚 / 撤销立案（理由存档）' },
  { from: 'notified', action: 'request_hearing', to: 'hearing', by: 'case_officer', pauses: true, needsNote: true, label: '当事人要求听证（听证期间不计入办案期限）' },
  { from: 'notified', action: 'submit_for_review', to: 'legal_review', by: 'case_officer', starts: 'legal_review', needsNote: true, label: '当事人陈述、申辩（或放弃）记录在案，提交法制审核' },
  { from: 'hearing', action: 'conclude_hearing', to: 'legal_review', by: 'case_officer', resumes: true, starts: 'legal_review', needsDocument: true, needsNote: true, label: '听证结束（听证笔录、听证报告），提交法制审核' },
  { from: 'legal_review', action: 'pass_review', to: 'reviewed', by: 'legal_reviewer', stops: ['legal_review'], needsNote: true, label: '法制审核通过（审核意见）' },
  { from: 'legal_review', action: 'return_for_investigation', to: 'investigating', by: 'legal_reviewer', stops: ['legal_review'], needsNote: true, label: '法制审核退回补充调查（理由）' },
  { from: 'reviewed', action: 'decide', to: 'decided', by: 'head', when: { major: false }, stops: ['conclusion'], starts: 'service', needsDocument: true, needsPenalty: true, label: '负责人作出行政处罚决定（处罚决定书）' },
  { from: 'reviewed', action: 'refer_to_collective', to: 'collective_discussion', by: 'head', label: '重大案件提交集体讨论' },
  { from: 'reviewed', action: 'close_without_penalty', to: 'closed', by: 'head', stops: ['conclusion'], needsNote: true, needsDocument: true, label: '不予行政处罚（理由存档）' },
  { from: 'collective_discussion', action: 'decide', to: 'decided', by: 'head', stops: ['conclusion'], starts: 'service', needsDocument: true, needsNote: true, needsPenalty: true, label: '集体讨论决定（讨论记录），作出行政处罚决定' },
  { from: 'collective_discussion', action: 'close_without_penalty', to: 'closed', by: 'head', stops: ['conclusion'], needsNote: true, needsDocument: true, label: '集体讨论决定不予行政处罚' },
  { from: 'decided', action: 'serve', to: 'served', by: 'case_officer', stops: ['service'], needsDocument: true, label: '送达处罚决定书（送达回证）' },
  { from: 'served', action: 'record_enforcement', to: 'enforced', by: 'case_officer', needsNote: true, label: '执行完毕（退回基金、缴纳罚款、协议处理、信用记录）' },
  { from: 'enforced', action: 'archive', to: 'archived', by: 'head', label: '结案归档' },
  { from: 'closed', action: 'archive', to: 'archived', by: 'head', label: '结案归档' },
];

/** In every open stage: the conclusion clock's extensions and the periods it does not count. */
const CLOCK_STEPS: CaseTransition[] = OPEN_STATES.flatMap((s): CaseTransition[] => [
  { from: s, action: 'extend_by_head', to: s, by: 'head', when: { extension: 'none' }, needsDocument: true, needsNote: true, label: '负责人批准延长办案期限30日' },
  { from: s, action: 'extend_after_collective', to: s, by: 'head', when: { extension: 'head' }, needsDocument: true, needsNote: true, label: '经集体讨论再延长办案期限（不超过60日，讨论记录）' },
  ...(s === 'hearing'
    ? []
    : ([
        { from: s, action: 'pause_clock', to: s, by: 'case_officer', when: { paused: false }, pauses: true, needsNote: true, label: '检验、检测、鉴定、公告、专家评审开始（不计入办案期限）' },
        { from: s, action: 'resume_clock', to: s, by: 'case_officer', when: { paused: true }, resumes: true, needsNote: true, label: '检验、检测、鉴定、公告、专家评审结束' },
      ] satisfies CaseTransition[])),
]);

export const CASE_MACHINE: CaseTransition[] = [...STAGES, ...CLOCK_STEPS];

function holds(t: CaseTransition, f: CaseFacts): boolean {
  if (!t.when) return true;
  if (t.when.major !== undefined && t.when.major !== f.major) return false;
  if (t.when.extension !== undefined && t.when.extension !== f.extension) return false;
  if (t.when.paused !== undefined && t.when.paused !== f.paused) return false;
  return true;
}

export function caseTransitionsFrom(state: CaseState, facts: CaseFacts): CaseTransition[] {
  return CASE_MACHINE.filter((t) => t.from === state && holds(t, facts));
}

export function findCaseTransition(state: CaseState, action: CaseAction, facts: CaseFacts): CaseTransition | undefined {
  return caseTransitionsFrom(state, facts).find((t) => t.action === action);
}

/** The conclusion limit after the extensions granted so far. */
export function conclusionLimit(extension: CaseFacts['extension'], collectiveDays: number): Limit {
  const days = CONCLUSION_DAYS + (extension === 'none' ? 0 : HEAD_EXTENSION_DAYS) + (extension === 'collective' ? collectiveDays : 0);
  return { amount: days, unit: 'calendar_days' };
}

/** Fine multiples of the loss (条例 国务院令第735号 arts. 38, 40). */
export const FINE_MULTIPLES: Record<ViolationKind, { min: number; max: number }> = {
  violation: { min: 1, max: 2 },
  fraud: { min: 2, max: 5 },
};

/** Field errors of a penalty: a fine, when imposed, is within the multiples of the loss. */
export function penaltyErrors(p: PenaltyDto): FieldError[] {
  if (p.fineFen === 0) return [];
  const { min, max } = FINE_MULTIPLES[p.violationKind];
  if (p.lossFen === 0) return [ruleError('penalty.lossFen', 'fineNeedsLoss', 'a fine is a multiple of the loss: state the loss')];
  // Integers only: fine ≥ min × loss and fine ≤ max × loss, no floating point.
  if (p.fineFen < min * p.lossFen || p.fineFen > max * p.lossFen) {
    const message = `a fine for ${p.violationKind === 'fraud' ? 'fraud (欺诈骗保)' : 'a violation (违法违规)'} is ${min}–${max} times the loss (${min * p.lossFen}–${max * p.lossFen} fen)`;
    return [ruleError('penalty.fineFen', 'fineOutsideMultiples', message, { minTimes: min, maxTimes: max, minFen: min * p.lossFen, maxFen: max * p.lossFen })];
  }
  return [];
}

const AGREEMENT_SEVERITY: Record<AgreementMeasure, number> = { none: 0, suspend: 1, terminate: 2 };

/**
 * Whether `p` is heavier than `than` on any count: a larger fine or refund, a harsher agreement
 * measure, a credit record not announced. Used so that using the rights to state a defence or to
 * be heard never makes the penalty heavier (行政处罚法 art. 45).
 */
export function heavierThan(p: PenaltyDto, than: PenaltyDto): string[] {
  const counts: string[] = [];
  if (p.fineFen > than.fineFen) counts.push('fineFen');
  if (p.refundFen > than.refundFen) counts.push('refundFen');
  if (AGREEMENT_SEVERITY[p.agreement] > AGREEMENT_SEVERITY[than.agreement]) counts.push('agreement');
  if (p.creditRecord && !than.creditRecord) counts.push('creditRecord');
  if (p.violationKind === 'fraud' && than.violationKind === 'violation') counts.push('violationKind');
  return counts;
}

/**
 * States of a transfer to police that leave the way open for a fine (不得以罚代刑): the head never
 * approved it (it was never sent), the police's refusal to file became final, the police closed
 * the investigation (撤销案件), or the procuratorate decided not to prosecute: no criminal penalty
 * follows, and the administrative liability remains (国务院令第310号 art. 10, 13).
 */
export const POLICE_TRANSFER_STATES_ALLOWING_FINE = ['rejected', 'not_filed_final', 'investigation_closed', 'not_prosecuted'];

/** The event each step emits: `case.<what happened>`. */
export const CASE_EVENT_OF: Record<CaseAction, string> = {
  notify_penalty: 'penalty_notified',
  request_hearing: 'hearing_requested',
  submit_for_review: 'submitted_for_review',
  conclude_hearing: 'hearing_concluded',
  pass_review: 'review_passed',
  return_for_investigation: 'returned_for_investigation',
  refer_to_collective: 'referred_to_collective',
  decide: 'decided',
  serve: 'served',
  record_enforcement: 'enforced',
  close_without_penalty: 'closed_without_penalty',
  archive: 'archived',
  extend_by_head: 'extended_by_head',
  extend_after_collective: 'extended_after_collective',
  pause_clock: 'clock_paused',
  resume_clock: 'clock_resumed',
};
