import { AgencyKind, OfficerRole, TransferAction, TransferParty, TransferRoute, TransferState } from '@lianban/contracts';

/**
 * The statutory procedure of every transfer route as one table (国务院令第310号 "R",
 * 高检发释字〔2001〕4号 "S"; see ../shared/domain.md). Code enforces it, docs/procedures.md
 * prints it, and the console offers exactly the actions it allows.
 */

/** A statutory clock: which step it times, its limit, who must act, who hears when it is missed. */
export interface ClockRule {
  step: string;
  label: string;
  limit: { amount: number; unit: 'hours' | 'calendar_days' | 'working_days' };
  /** The party whose duty the step is. */
  duty: TransferParty;
  /** Agency kinds told when it runs over (the region's leading-group office always is). */
  escalateTo: AgencyKind[];
  source: string;
}

export const CLOCK_RULES = {
  approval: { step: 'approval', label: '负责人审批移送 / head decides on the transfer', limit: { amount: 3, unit: 'calendar_days' }, duty: 'sender', escalateTo: [AgencyKind.LEADING_GROUP_OFFICE], source: 'R5' },
  sending: { step: 'sending', label: '批准后移送公安 / send after approval', limit: { amount: 24, unit: 'hours' }, duty: 'sender', escalateTo: [AgencyKind.LEADING_GROUP_OFFICE], source: 'R5, R6' },
  receipt: { step: 'receipt', label: '接受移送并回执 / sign the receipt (platform default: 24 h)', limit: { amount: 24, unit: 'hours' }, duty: 'receiver', escalateTo: [AgencyKind.LEADING_GROUP_OFFICE], source: 'R7 ("at once")' },
  forwarding: { step: 'forwarding', label: '不属本机关管辖的，24小时内转送 / forward within 24 h of signing for it (recorded when forwarded)', limit: { amount: 24, unit: 'hours' }, duty: 'receiver', escalateTo: [AgencyKind.PROCURATORATE, AgencyKind.LEADING_GROUP_OFFICE], source: 'R7' },
  filing_decision: { step: 'filing_decision', label: '公安决定是否立案 / police decide on filing', limit: { amount: 3, unit: 'calendar_days' }, duty: 'receiver', escalateTo: [AgencyKind.PROCURATORATE, AgencyKind.LEADING_GROUP_OFFICE], source: 'R8' },
  reconsideration_request: { step: 'reconsideration_request', label: '医保提请复议 / ask for reconsideration', limit: { amount: 3, unit: 'calendar_days' }, duty: 'sender', escalateTo: [AgencyKind.LEADING_GROUP_OFFICE], source: 'R9' },
  reconsideration_answer: { step: 'reconsideration_answer', label: '公安复议决定 / police answer the reconsideration', limit: { amount: 3, unit: 'calendar_days' }, duty: 'receiver', escalateTo: [AgencyKind.PROCURATORATE, AgencyKind.LEADING_GROUP_OFFICE], source: 'R9' },
  supervision_request: { step: 'supervision_request', label: '建议检察院立案监督 / suggest filing supervision', limit: { amount: 3, unit: 'calendar_days' }, duty: 'sender', escalateTo: [AgencyKind.LEADING_GROUP_OFFICE], source: 'R9' },
  explanation: { step: 'explanation', label: '公安说明不立案理由 / police explain the non-filing', limit: { amount: 7, unit: 'calendar_days' }, duty: 'receiver', escalateTo: [AgencyKind.PROCURATORATE, AgencyKind.LEADING_GROUP_OFFICE], source: 'S9–11' },
  ordered_filing: { step: 'ordered_filing', label: '通知立案后公安立案 / police file after the order', limit: { amount: 15, unit: 'calendar_days' }, duty: 'receiver', escalateTo: [AgencyKind.PROCURATORATE, AgencyKind.LEADING_GROUP_OFFICE], source: 'S9–11' },
  handover: { step: 'handover', label: '移交涉案物品和材料 / hand over items and materials', limit: { amount: 3, unit: 'calendar_days' }, duty: 'sender', escalateTo: [AgencyKind.LEADING_GROUP_OFFICE], source: 'R12' },
  feedback: { step: 'feedback', label: '办理并反馈结果 / handle and feed back the result (platform default: 30 days)', limit: { amount: 30, unit: 'calendar_days' }, duty: 'receiver', escalateTo: [AgencyKind.LEADING_GROUP_OFFICE], source: 'seeds: two-way linkage with feedback' },
} satisfies Record<string, ClockRule>;

export type ClockStep = keyof typeof CLOCK_RULES;

export interface Transition {
  from: TransferState;
  action: TransferAction;
  to: TransferState;
  by: TransferParty;
  /** Roles of which the acting officer needs one; any officer of the party when absent. */
  roles?: OfficerRole[];
  /** Clocks this step stops, and the one it starts. */
  stops?: ClockStep[];
  starts?: ClockStep;
  /** The step needs written reasons or a result (`note`). */
  needsNote?: boolean;
  /** The step names a document (`documentNumber`). */
  needsDocument?: boolean;
  /** Taken only once this clock (another side's time) has run out. */
  whenLate?: ClockStep;
  label: string;
}

const HEADS = [OfficerRole.HEAD];

/** 医保 → 公安, step by step. */
const MI_TO_POLICE: Transition[] = [
  { from: 'drafted', action: 'submit', to: 'awaiting_approval', by: 'sender', starts: 'approval', label: '提交负责人审批' },
  { from: 'awaiting_approval', action: 'approve', to: 'approved', by: 'sender', roles: HEADS, stops: ['approval'], starts: 'sending', label: '批准移送' },
  { from: 'awaiting_approval', action: 'reject', to: 'rejected', by: 'sender', roles: HEADS, stops: ['approval'], needsNote: true, label: '不予批准（理由存档）' },
  { from: 'approved', action: 'send', to: 'sent', by: 'sender', stops: ['sending'], starts: 'receipt', needsDocument: true, label: '移送公安并抄送检察院（移送书、调查报告、涉案物品清单、检验鉴定结论）' },
  { from: 'sent', action: 'receipt', to: 'received', by: 'receiver', stops: ['receipt'], starts: 'filing_decision', label: '签收回执' },
  { from: 'received', action: 'forward', to: 'sent', by: 'receiver', stops: ['filing_decision'], starts: 'receipt', needsNote: true, label: '不属本机关管辖，24小时内转送有管辖权的机关并书面告知' },
  { from: 'received', action: 'file', to: 'filed', by: 'receiver', stops: ['filing_decision'], starts: 'handover', needsDocument: true, label: '立案（立案通知书）' },
  { from: 'received', action: 'decline', to: 'declined', by: 'receiver', stops: ['filing_decision'], starts: 'reconsideration_request', needsDocument: true, needsNote: true, label: '不予立案（不予立案通知书，说明理由，退回案卷）' },
  { from: 'declined', action: 'request_reconsideration', to: 'reconsideration_requested', by: 'sender', stops: ['reconsideration_request'], starts: 'reconsideration_answer', needsNote: true, label: '提请复议' },
  { from: 'declined', action: 'request_supervision', to: 'supervision_requested', by: 'sender', stops: ['reconsideration_request'], needsNote: true, label: '建议检察院立案监督' },
  { from: 'declined', action: 'accept_decline', to: 'not_filed_final', by: 'sender', stops: ['reconsideration_request'], label: '接受不立案决定，依法作行政处理' },
  { from: 'declined', action: 'open_supervision', to: 'under_supervision', by: 'procuratorate', stops: ['reconsideration_request'], starts: 'explanation', needsDocument: true, label: '立案监督：要求公安说明不立案理由' },
  { from: 'reconsideration_requested', action: 'file', to: 'filed', by: 'receiver', stops: ['reconsideration_answer'], starts: 'handover', needsDocument: true, label: '复议后立案' },
  { from: 'reconsideration_requested', action: 'uphold_decline', to: 'reconsideration_upheld', by: 'receiver', stops: ['reconsideration_answer'], starts: 'supervision_request', needsNote: true, label: '复议维持不立案' },
  { from: 'reconsideration_upheld', action: 'request_supervision', to: 'supervision_requested', by: 'sender', stops: ['supervision_request'], needsNote: true, label: '建议检察院立案监督' },
  { from: 'reconsideration_upheld', action: 'accept_decline', to: 'not_filed_final', by: 'sender', stops: ['supervision_request'], label: '接受不立案决定，依法作行政处理' },
  { from: 'reconsideration_upheld', action: 'open_supervision', to: 'under_supervision', by: 'procuratorate', stops: ['supervision_request'], starts: 'explanation', needsDocument: true, label: '立案监督：要求公安说明不立案理由' },
  { from: 'supervision_requested', action: 'open_supervision', to: 'under_supervision', by: 'procuratorate', starts: 'explanation', needsDocument: true, label: '立案监督：要求公安说明不立案理由' },
  { from: 'under_supervision', action: 'explain', to: 'explanation_given', by: 'receiver', stops: ['explanation'], needsNote: true, label: '说明不立案理由' },
  { from: 'under_supervision', action: 'order_filing', to: 'filing_ordered', by: 'procuratorate', stops: ['explanation'], starts: 'ordered_filing', needsDocument: true, whenLate: 'explanation', label: '通知立案（未按期说明理由）' },
  { from: 'explanation_given', action: 'accept_explanation', to: 'not_filed_final', by: 'procuratorate', needsNote: true, label: '不立案理由成立，通知医保' },
  { from: 'explanation_given', action: 'order_filing', to: 'filing_ordered', by: 'procuratorate', starts: 'ordered_filing', needsDocument: true, label: '理由不成立，通知立案' },
  { from: 'filing_ordered', action: 'file', to: 'filed', by: 'receiver', stops: ['ordered_filing'], starts: 'handover', needsDocument: true, label: '按通知立案' },
  { from: 'filed', action: 'hand_over', to: 'handed_over', by: 'sender', stops: ['handover'], needsDocument: true, label: '移交涉案物品和有关材料' },
  { from: 'handed_over', action: 'refer_for_prosecution', to: 'prosecution_review', by: 'receiver', needsDocument: true, label: '侦查终结，移送审查起诉' },
  { from: 'handed_over', action: 'close_investigation', to: 'investigation_closed', by: 'receiver', needsNote: true, label: '撤销案件' },
  { from: 'prosecution_review', action: 'prosecute', to: 'prosecuted', by: 'prosecutor', needsDocument: true, label: '提起公诉' },
  { from: 'prosecution_review', action: 'not_prosecute', to: 'not_prosecuted', by: 'prosecutor', needsNote: true, label: '不起诉' },
  { from: 'prosecuted', action: 'record_judgment', to: 'judged', by: 'court', needsDocument: true, needsNote: true, label: '判决' },
];

/** Routes without the criminal procedure: send with approval, receipt, handling and feedback. */
const WITH_FEEDBACK: Transition[] = [
  { from: 'drafted', action: 'submit', to: 'awaiting_approval', by: 'sender', starts: 'approval', label: '提交负责人审批' },
  { from: 'awaiting_approval', action: 'approve', to: 'approved', by: 'sender', roles: HEADS, stops: ['approval'], starts: 'sending', label: '批准移送' },
  { from: 'awaiting_approval', action: 'reject', to: 'rejected', by: 'sender', roles: HEADS, stops: ['approval'], needsNote: true, label: '不予批准' },
  { from: 'approved', action: 'send', to: 'sent', by: 'sender', stops: ['sending'], starts: 'receipt', needsDocument: true, label: '移送' },
  { from: 'sent', action: 'receipt', to: 'received', by: 'receiver', stops: ['receipt'], starts: 'feedback', label: '签收' },
  { from: 'received', action: 'give_feedback', to: 'concluded', by: 'receiver', stops: ['feedback'], needsNote: true, label: '办理结果反馈' },
];

export const TRANSFER_MACHINES: Record<TransferRoute, Transition[]> = {
  mi_to_police: MI_TO_POLICE,
  police_to_mi: WITH_FEEDBACK,
  mi_to_health: WITH_FEEDBACK,
  mi_to_market: WITH_FEEDBACK,
  mi_to_discipline: WITH_FEEDBACK,
  agency_to_mi: WITH_FEEDBACK,
  agency_to_discipline: WITH_FEEDBACK,
};

/** Which kinds of agency may send and receive on each route. */
export const ROUTE_PARTIES: Record<TransferRoute, { sender: AgencyKind[]; receiver: AgencyKind[] }> = {
  mi_to_police: { sender: [AgencyKind.MEDICAL_INSURANCE], receiver: [AgencyKind.POLICE] },
  police_to_mi: { sender: [AgencyKind.POLICE], receiver: [AgencyKind.MEDICAL_INSURANCE] },
  mi_to_health: { sender: [AgencyKind.MEDICAL_INSURANCE], receiver: [AgencyKind.HEALTH] },
  mi_to_market: { sender: [AgencyKind.MEDICAL_INSURANCE], receiver: [AgencyKind.MARKET] },
  mi_to_discipline: { sender: [AgencyKind.MEDICAL_INSURANCE], receiver: [AgencyKind.DISCIPLINE] },
  agency_to_mi: {
    sender: [AgencyKind.POLICE, AgencyKind.PROCURATORATE, AgencyKind.COURT, AgencyKind.FINANCE, AgencyKind.HEALTH, AgencyKind.MARKET, AgencyKind.DISCIPLINE],
    receiver: [AgencyKind.MEDICAL_INSURANCE],
  },
  // Every agency hands clues of corruption to discipline inspection (seeds 001 §(四), 002 §(二)); medical insurance by its own route.
  agency_to_discipline: {
    sender: [AgencyKind.POLICE, AgencyKind.PROCURATORATE, AgencyKind.COURT, AgencyKind.FINANCE, AgencyKind.HEALTH, AgencyKind.MARKET],
    receiver: [AgencyKind.DISCIPLINE],
  },
};

/** States no step leads out of. */
export function isFinal(route: TransferRoute, state: TransferState): boolean {
  return !TRANSFER_MACHINES[route].some((t) => t.from === state);
}

export function transitionsFrom(route: TransferRoute, state: TransferState): Transition[] {
  return TRANSFER_MACHINES[route].filter((t) => t.from === state);
}

export function findTransition(route: TransferRoute, state: TransferState, action: TransferAction): Transition | undefined {
  return TRANSFER_MACHINES[route].find((t) => t.from === state && t.action === action);
}
