import { AgencyKind, EventEnvelope } from '@lianban/contracts';

/** Who an event concerns, and what the inbox says about it. */
export interface Delivery {
  agencyIds: string[];
  /** Agencies to find by kind in a region (escalations): resolved through the agencies service. */
  byKind?: { kinds: AgencyKind[]; regionCode: string };
  priority: 'normal' | 'high';
  title: string;
  body: string;
  link: string;
}

type TransferPayload = {
  transferId: string;
  number: string;
  route: string;
  from: string;
  to: string;
  senderAgencyId: string;
  receiverAgencyId: string;
  procuratorateAgencyId: string | null;
  copyTo?: string[];
};

type ClockPayload = { subjectType: 'transfer' | 'clue' | 'case' | 'supervision'; subjectId: string; step: string; label: string; dutyAgencyId: string; regionCode: string; dueAt: string; escalateTo?: AgencyKind[] };

const STATE_NAMES: Record<string, string> = {
  awaiting_approval: '待审批',
  approved: '已批准',
  rejected: '不予批准',
  sent: '已移送',
  received: '已签收',
  filed: '已立案',
  declined: '不予立案',
  reconsideration_requested: '提请复议',
  reconsideration_upheld: '复议维持',
  supervision_requested: '建议立案监督',
  under_supervision: '立案监督中',
  explanation_given: '已说明理由',
  filing_ordered: '通知立案',
  not_filed_final: '不立案终结',
  handed_over: '已移交',
  prosecution_review: '审查起诉',
  investigation_closed: '撤案',
  prosecuted: '提起公诉',
  not_prosecuted: '不起诉',
  judged: '已判决',
  concluded: '已反馈',
};

/**
 * The routing rules: which agencies an event goes to. A transfer's step is told to the other side
 * (the receiving agency when the sender acted, the sender when the receiver acted), a transfer sent
 * to police also to the procuratorate holding the statutory copy; a clock to the agency whose duty
 * it is, and when overdue to the agencies it escalates to in that region.
 */
export function route(e: EventEnvelope): Delivery | null {
  if (e.type.startsWith('transfer.')) {
    const p = e.payload as unknown as TransferPayload;
    const link = `/transfers/${p.transferId}`;
    const title = `移送 ${p.number}：${STATE_NAMES[p.to] ?? p.to}`;
    if (e.type === 'transfer.drafted') return null;
    // Before it is sent a transfer is the sending agency's internal business: the receiver hears nothing yet.
    if (e.type === 'transfer.submitted') return { agencyIds: [p.senderAgencyId], priority: 'normal', title, body: '待负责人审批移送。', link };
    if (e.type === 'transfer.approved') return { agencyIds: [p.senderAgencyId], priority: 'normal', title, body: '已批准，请在24小时内移送。', link };
    if (e.type === 'transfer.rejected') return { agencyIds: [p.senderAgencyId], priority: 'normal', title, body: '负责人不予批准移送。', link };
    if (e.type === 'transfer.sent' || e.type === 'transfer.forwarded') {
      return { agencyIds: unique([p.receiverAgencyId, ...(p.copyTo ?? [])]), priority: 'normal', title, body: '收到移送，请及时签收。', link };
    }
    if (['transfer.supervision_requested'].includes(e.type) && p.procuratorateAgencyId) {
      return { agencyIds: [p.procuratorateAgencyId], priority: 'normal', title, body: '医保部门建议开展立案监督。', link };
    }
    const actedBy = e.actor.agencyId;
    const other = actedBy === p.receiverAgencyId ? p.senderAgencyId : p.receiverAgencyId;
    // Outcomes of the procuratorate's supervision reach both sides.
    const parties = actedBy === p.procuratorateAgencyId ? [p.senderAgencyId, p.receiverAgencyId] : [other];
    return { agencyIds: unique(parties.filter((a) => a && a !== actedBy)), priority: 'normal', title, body: `移送状态变为「${STATE_NAMES[p.to] ?? p.to}」。`, link };
  }
  if (e.type === 'clock.due_soon' || e.type === 'clock.overdue') {
    const p = e.payload as unknown as ClockPayload;
    const links: Record<string, string> = { transfer: `/transfers/${p.subjectId}`, case: `/cases/${p.subjectId}`, supervision: `/supervisions/${p.subjectId}` };
    const link = links[p.subjectType] ?? `/clues/${p.subjectId}`;
    const overdue = e.type === 'clock.overdue';
    return {
      agencyIds: [p.dutyAgencyId],
      byKind: overdue && p.escalateTo?.length ? { kinds: p.escalateTo, regionCode: p.regionCode } : undefined,
      priority: overdue ? 'high' : 'normal',
      title: overdue ? `已超期：${p.label}` : `即将到期：${p.label}`,
      body: `期限 ${p.dueAt}`,
      link,
    };
  }
  return null;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids.filter(Boolean))];
}
