import { shanghaiMinute } from '@lianban/clocks';
import { AgencyKind, EventEnvelope, OfficerRole } from '@lianban/contracts';

/** Who an event concerns, and what the inbox says about it. */
export interface Delivery {
  agencyIds: string[];
  /** Agencies to find by kind in a region (escalations): resolved through the agencies service. */
  byKind?: { kinds: AgencyKind[]; regionCode: string };
  /**
   * Officers of one agency, each getting an item of their own: those named, or those holding a
   * role (resolved through the agencies service when the event is delivered), never the actor.
   */
  officers?: { agencyId: string; ids?: string[]; role?: OfficerRole };
  /**
   * A designated institution, for news of its own ledgers: one item read by its portal accounts,
   * kept out of the agencies' inboxes, email and webhooks.
   */
  institutionId?: string;
  /**
   * The designated institutions of these kinds in a region (a city's districts included), each
   * getting an item of its own like `institutionId`'s: resolved through the agencies service.
   * Those in `except` are left out.
   */
  institutionsIn?: { regionCode: string; kinds: string[]; except?: string[] };
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
  /** The procuratorate reviewing for prosecution, once referred (events written before it was carried lack it). */
  prosecutorAgencyId?: string | null;
  /** The court a prosecution went to (events written before it was carried lack it). */
  courtAgencyId?: string | null;
  copyTo?: string[];
};

type SupervisionPayload = { supervisionId: string; caseId: string; kind?: 'supervision' | 'listed'; supervisedAgencyId?: string; issuingAgencyId?: string; regionCode: string; deadline?: string; late?: boolean };
type LedgerPayload = { ledgerId: string; campaignId: string; institutionId?: string; institutionCode: string; regionCode: string; status: string; note?: string | null };
/** campaign.created carries the campaign's dates; campaign.self_inspection_closing the institutions that have submitted. */
type CampaignPayload = { campaignId: string; name?: string; regionCode: string; agencyId?: string; targets?: string[]; startsOn?: string; endsOn?: string; selfInspection?: { startsOn: string; endsOn: string } | null; submitted?: string[] };
type ImportPayload = { importId: string; agencyId: string; officerId: string; imported: number; errorCount: number; failureCode: string | null };
type IntegrityPayload = { caseId: string; evidenceId: string; agencyId?: string | null };
type CaseStepPayload = { caseId: string; number: string; agencyId: string; officerIds?: string[] };
/** Clue events: the handling bureau, and the bureau that assigned the clue down (events written before assignment was carried lack it). */
type CluePayload = { clueId: string; number: string; agencyId: string; assignedByAgencyId?: string | null; reportBackBy?: string | null; outcome?: string | null };

/** `alsoTell`: agencies told besides the duty agency (the bureau awaiting a report it assigned down); events written before it lack it. */
type ClockPayload = { subjectType: 'transfer' | 'clue' | 'case' | 'supervision'; subjectId: string; step: string; label: string; dutyAgencyId: string; alsoTell?: string[]; regionCode: string; dueAt: string; escalateTo?: AgencyKind[]; takenAt?: string };

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
export function route(e: EventEnvelope): Delivery[] {
  const d = routeEvent(e);
  return d === null ? [] : Array.isArray(d) ? d : [d];
}

/** An event's deliveries: most reach one group of recipients, with one text for all of them. */
function routeEvent(e: EventEnvelope): Delivery | Delivery[] | null {
  if (e.type.startsWith('transfer.')) {
    const p = e.payload as unknown as TransferPayload;
    const link = `/transfers/${p.transferId}`;
    const title = `移送 ${p.number}：${STATE_NAMES[p.to] ?? p.to}`;
    if (e.type === 'transfer.drafted') return null;
    // Before it is sent a transfer is the sending agency's internal business: the receiver hears nothing yet.
    if (e.type === 'transfer.submitted') return { agencyIds: [p.senderAgencyId], priority: 'normal', title, body: '待负责人审批移送。', link };
    if (e.type === 'transfer.approved') return { agencyIds: [p.senderAgencyId], priority: 'normal', title, body: '已批准，请在24小时内移送。', link };
    if (e.type === 'transfer.rejected') return { agencyIds: [p.senderAgencyId], priority: 'normal', title, body: '负责人不予批准移送。', link };
    if (e.type === 'transfer.sent') {
      return { agencyIds: unique([p.receiverAgencyId, ...(p.copyTo ?? [])]), priority: 'normal', title, body: '收到移送，请及时签收。', link };
    }
    // Forwarded to the competent police: they sign for it, and medical insurance is told in writing (R7), as is the procuratorate holding the copy.
    if (e.type === 'transfer.forwarded') {
      const told = unique([p.senderAgencyId, p.procuratorateAgencyId].filter((a): a is string => !!a && a !== e.actor.agencyId));
      return [
        { agencyIds: [p.receiverAgencyId], priority: 'normal', title, body: '收到转送的移送，请及时签收。', link },
        ...(told.length ? [{ agencyIds: told, priority: 'normal' as const, title, body: '公安机关已将移送转送有管辖权的公安机关。', link }] : []),
      ];
    }
    if (['transfer.supervision_requested'].includes(e.type) && p.procuratorateAgencyId) {
      return { agencyIds: [p.procuratorateAgencyId], priority: 'normal', title, body: '医保部门建议开展立案监督。', link };
    }
    const actedBy = e.actor.agencyId;
    const other = actedBy === p.receiverAgencyId ? p.senderAgencyId : p.receiverAgencyId;
    // A referral for prosecution reaches medical insurance and the procuratorate that reviews it;
    // outcomes of the procuratorate's supervision or review reach both sides; a prosecution the
    // court too, which records the judgment; a judgment the two sides and the procuratorates.
    const parties =
      e.type === 'transfer.referred_for_prosecution'
        ? [p.senderAgencyId, p.prosecutorAgencyId]
        : e.type === 'transfer.prosecuted'
          ? [p.senderAgencyId, p.receiverAgencyId, p.courtAgencyId]
          : actedBy === p.procuratorateAgencyId || actedBy === p.prosecutorAgencyId
            ? [p.senderAgencyId, p.receiverAgencyId]
            : actedBy && actedBy === p.courtAgencyId
              ? [p.senderAgencyId, p.receiverAgencyId, p.procuratorateAgencyId, p.prosecutorAgencyId]
              : [other];
    return { agencyIds: unique(parties.filter((a): a is string => !!a && a !== actedBy)), priority: 'normal', title, body: `移送状态变为「${STATE_NAMES[p.to] ?? p.to}」。`, link };
  }
  if (e.type.startsWith('clue.')) return routeClue(e);
  if (e.type.startsWith('supervision.')) return routeSupervision(e);
  if (e.type.startsWith('ledger.')) return routeLedger(e);
  if (e.type.startsWith('campaign.')) return routeCampaign(e);
  if (e.type.startsWith('invoice.import_')) return routeImport(e);
  if (Object.hasOwn(CASE_HANDOFFS, e.type)) return routeCaseHandoff(e);
  if (e.type === 'case.evidence_integrity_failed') {
    const p = e.payload as unknown as IntegrityPayload;
    // Events written before the payload carried the case's agency cannot be routed.
    if (!p.agencyId) return null;
    return { agencyIds: [p.agencyId], priority: 'high', title: '证据完整性校验失败', body: '案件证据的存储文件与登记的摘要不符，已拒绝提供；请核查保管链。', link: `/cases/${p.caseId}` };
  }
  if (e.type === 'clock.due_soon' || e.type === 'clock.overdue') {
    const p = e.payload as unknown as ClockPayload;
    const links: Record<string, string> = { transfer: `/transfers/${p.subjectId}`, case: `/cases/${p.subjectId}`, supervision: `/supervisions/${p.subjectId}` };
    const link = links[p.subjectType] ?? `/clues/${p.subjectId}`;
    const overdue = e.type === 'clock.overdue';
    return {
      agencyIds: unique([p.dutyAgencyId, ...(p.alsoTell ?? [])]),
      byKind: overdue && p.escalateTo?.length ? { kinds: p.escalateTo, regionCode: p.regionCode } : undefined,
      priority: overdue ? 'high' : 'normal',
      // A deadline known only once its step was taken (forwarding, R7) is escalated as taken late.
      title: p.takenAt ? `逾期办理：${p.label}` : overdue ? `已超期：${p.label}` : `即将到期：${p.label}`,
      body: p.takenAt ? `期限 ${beijingTime(p.dueAt)}，实际办理 ${beijingTime(p.takenAt)}` : `期限 ${beijingTime(p.dueAt)}`,
      link,
    };
  }
  return null;
}

const CLUE_OUTCOME_NAMES: Record<string, string> = { unfounded: '查无实据', case_opened: '已立案', transferred: '已移送' };

/**
 * A clue assigned down on the platform (交办) is a conversation between two bureaus: the assigned
 * bureau hears of the assignment and of what the assigning bureau decides on its report (销号 or
 * 退回, with a new date), the assigning bureau of the report. A bureau's own clue tells nobody.
 */
function routeClue(e: EventEnvelope): Delivery | null {
  const p = e.payload as unknown as CluePayload;
  if (!p.assignedByAgencyId) return null;
  const link = `/clues/${p.clueId}`;
  const by = p.reportBackBy ? beijingTime(p.reportBackBy) : '';
  switch (e.type) {
    case 'clue.received':
      return { agencyIds: [p.agencyId], priority: 'normal', title: `上级交办线索 ${p.number}`, body: `请核查并于 ${by} 前上报核查结果。`, link };
    case 'clue.reported':
      return { agencyIds: [p.assignedByAgencyId], priority: 'normal', title: `交办线索上报 ${p.number}`, body: `下级医保部门上报核查结果（${CLUE_OUTCOME_NAMES[p.outcome ?? ''] ?? p.outcome}），请审核销号或退回。`, link };
    case 'clue.report_accepted':
      return { agencyIds: [p.agencyId], priority: 'normal', title: `交办线索已销号 ${p.number}`, body: '上级医保部门已审核通过核查结果。', link };
    case 'clue.report_returned':
      return { agencyIds: [p.agencyId], priority: 'high', title: `交办线索被退回 ${p.number}`, body: `上级医保部门退回核查结果，请重新核查并于 ${by} 前上报。`, link };
    default:
      return null;
  }
}

/**
 * A supervision order (督办 / 挂牌督办) is told to the supervised bureau, its progress reports to the
 * issuing leading-group office, its closing to the supervised bureau again. The issuing office
 * itself is not told what it just did (as with transfers: the acting side hears nothing).
 */
function routeSupervision(e: EventEnvelope): Delivery | null {
  const p = e.payload as unknown as SupervisionPayload;
  const link = `/supervisions/${p.supervisionId}`;
  if (e.type === 'supervision.issued' && p.supervisedAgencyId) {
    const listed = p.kind === 'listed';
    return { agencyIds: [p.supervisedAgencyId], priority: listed ? 'high' : 'normal', title: listed ? '挂牌督办' : '督办', body: `领导小组办公室对本局案件下达${listed ? '挂牌督办' : '督办'}，办结期限 ${p.deadline ? beijingTime(p.deadline) : ''}，请按期报告进展。`, link };
  }
  if (e.type === 'supervision.progress_reported' && p.issuingAgencyId) {
    return { agencyIds: [p.issuingAgencyId], priority: 'normal', title: '督办进展报告', body: p.late ? '被督办单位报告了进展（逾期报告）。' : '被督办单位报告了进展。', link };
  }
  if (e.type === 'supervision.closed' && p.supervisedAgencyId) {
    return { agencyIds: [p.supervisedAgencyId], priority: 'normal', title: '督办已结束', body: '领导小组办公室已结束对本局案件的督办。', link };
  }
  return null;
}

/**
 * A self-inspection ledger submitted or resubmitted by an institution waits for the medical
 * insurance bureau of the institution's region (the bureau that reviews it). Its return (with the
 * bureau's reasons, which the institution is to act on) and its acceptance go to the institution
 * itself. The institution's own steps (opening, progress) tell nobody.
 */
function routeLedger(e: EventEnvelope): Delivery | null {
  const p = e.payload as unknown as LedgerPayload;
  const link = `/ledgers/${p.ledgerId}`;
  if (e.type === 'ledger.submitted' || e.type === 'ledger.resubmitted') {
    const again = e.type === 'ledger.resubmitted';
    return {
      agencyIds: [],
      byKind: { kinds: [AgencyKind.MEDICAL_INSURANCE], regionCode: p.regionCode },
      priority: 'normal',
      title: `自查台账${again ? '重新提交' : '提交'}：${p.institutionCode}`,
      body: again ? '退回修改的自查自纠台账已重新提交，请审核。' : '定点医药机构提交了自查自纠台账，请审核。',
      link,
    };
  }
  // Events written without the institution's id cannot be routed to it.
  if (!p.institutionId) return null;
  if (e.type === 'ledger.returned') {
    // The reasons are the bureau's words to this institution, which sees them on the ledger too; the item goes nowhere else.
    const reasons = p.note ? `退回理由：${p.note}` : '';
    return { agencyIds: [], institutionId: p.institutionId, priority: 'normal', title: '自查台账被退回修改', body: `医保部门退回了本机构的自查自纠台账，请修改后重新提交。${reasons}`, link };
  }
  if (e.type === 'ledger.accepted') {
    return { agencyIds: [], institutionId: p.institutionId, priority: 'normal', title: '自查台账已审核通过', body: '医保部门已审核通过本机构的自查自纠台账，请按台账整改并报告整改进展。', link };
  }
  return null;
}

/**
 * A campaign's news goes to the designated institutions it targets in its region, each in its own
 * inbox, linked to their ledger page for the campaign: when it is created, when their
 * self-inspection runs (the window in which they file their ledger on the platform); when that
 * window is about to close, to those that have not submitted (the event lists those that have),
 * and then also to the bureau that runs the campaign, to follow them up. The bureaus see campaigns
 * in their list. Events written before the payload named the targets cannot be routed.
 */
function routeCampaign(e: EventEnvelope): Delivery | Delivery[] | null {
  const p = e.payload as unknown as CampaignPayload;
  if (!p.targets?.length || !p.name) return null;
  const link = `/ledgers?campaign=${p.campaignId}`;
  if (e.type === 'campaign.created') {
    const window = p.selfInspection
      ? `自查自纠阶段为 ${p.selfInspection.startsOn} 至 ${p.selfInspection.endsOn}，请在此期间对照问题清单开展自查，并在本平台填报、提交自查自纠问题台账。`
      : `专项整治期间为 ${p.startsOn} 至 ${p.endsOn}，请关注自查自纠安排。`;
    return { agencyIds: [], institutionsIn: { regionCode: p.regionCode, kinds: p.targets }, priority: 'normal', title: `专项整治：${p.name}`, body: `医保部门部署了本机构须参加的专项整治。${window}`, link };
  }
  if (e.type === 'campaign.self_inspection_closing' && p.selfInspection) {
    const title = `自查台账即将截止：${p.name}`;
    const institutions: Delivery = {
      agencyIds: [],
      institutionsIn: { regionCode: p.regionCode, kinds: p.targets, except: p.submitted },
      priority: 'high',
      title,
      body: `自查自纠阶段将于 ${p.selfInspection.endsOn} 结束，本机构尚未提交自查自纠问题台账。请在截止前在本平台填报并提交；截止后不能再首次提交。`,
      link,
    };
    // The bureau that runs the campaign follows up those that have not filed (the ledger page lists them).
    // Events written before the payload named the campaign's agency reach the institutions only.
    if (!p.agencyId) return institutions;
    const bureau: Delivery = {
      agencyIds: [p.agencyId],
      priority: 'normal',
      title,
      body: `自查自纠阶段将于 ${p.selfInspection.endsOn} 结束，已提交台账的机构 ${p.submitted?.length ?? 0} 家；尚未提交的机构已收到截止提醒，名单见本专项整治台账页的催报清单。`,
      link,
    };
    return [institutions, bureau];
  }
  return null;
}

/** Why an import file stopped, as its item says it (the codes of InvoiceImportSummary.failureCode). */
const IMPORT_FAILURES: Record<string, string> = {
  fileAltered: '存储的文件与接收时的摘要不符，未导入任何票据；请重新导入原文件，并报告运维人员。',
  fileMissing: '存储的文件已不存在，未导入任何票据；请重新导入。',
};

/**
 * An import file finance sent is imported in the background: the officer who sent it is told how
 * it ended, in an item of their own (the import's outcome lists the refused rows).
 */
function routeImport(e: EventEnvelope): Delivery | null {
  const p = e.payload as unknown as ImportPayload;
  const base = { agencyIds: [], officers: { agencyId: p.agencyId, ids: [p.officerId] }, priority: 'normal' as const, link: `/invoices?import=${p.importId}` };
  if (e.type === 'invoice.import_succeeded') return { ...base, title: '票据导入完成', body: `导入文件的 ${p.imported} 张票据已全部登记。` };
  if (e.type === 'invoice.import_refused') return { ...base, title: '票据导入未通过', body: `导入文件有 ${p.errorCount} 行未通过校验，整个文件未导入；请按逐行错误修正后重新导入。` };
  if (e.type === 'invoice.import_failed') return { ...base, title: '票据导入中止', body: IMPORT_FAILURES[p.failureCode ?? ''] ?? '导入中止，未导入任何票据；请重新导入，仍不成功请联系运维人员。' };
  return null;
}

/**
 * The case steps that hand the case to someone else in the bureau, and whom: the legal reviewers
 * (法制审核), the head (负责人), or the case's enforcement officers. Steps a case officer takes and
 * the case officers go on with (hearing, service, enforcement) tell nobody; the case's deadlines
 * reach the bureau through clock.*.
 */
const CASE_HANDOFFS: Record<string, { to: OfficerRole.LEGAL_REVIEWER | OfficerRole.HEAD | 'case_officers'; title: string; body: string }> = {
  'case.submitted_for_review': { to: OfficerRole.LEGAL_REVIEWER, title: '待法制审核', body: '案件已提交法制审核，请在10个工作日内审核。' },
  'case.hearing_concluded': { to: OfficerRole.LEGAL_REVIEWER, title: '待法制审核', body: '听证结束，案件已提交法制审核，请在10个工作日内审核。' },
  'case.review_passed': { to: OfficerRole.HEAD, title: '待负责人决定', body: '法制审核通过，请作出决定（重大案件提交集体讨论）。' },
  'case.returned_for_investigation': { to: 'case_officers', title: '法制审核退回', body: '法制审核退回补充调查。' },
  'case.decided': { to: 'case_officers', title: '已作出处罚决定', body: '请在7个工作日内送达处罚决定书。' },
  'case.closed_without_penalty': { to: 'case_officers', title: '不予行政处罚', body: '负责人决定不予行政处罚，案件已结案。' },
};

function routeCaseHandoff(e: EventEnvelope): Delivery | null {
  const p = e.payload as unknown as CaseStepPayload;
  const handoff = CASE_HANDOFFS[e.type];
  const officers = handoff.to === 'case_officers' ? { agencyId: p.agencyId, ids: p.officerIds } : { agencyId: p.agencyId, role: handoff.to };
  // Events written before the payload named the case officers cannot be routed to them.
  if (handoff.to === 'case_officers' && !p.officerIds?.length) return null;
  return { agencyIds: [], officers, priority: 'normal', title: `案件 ${p.number}：${handoff.title}`, body: handoff.body, link: `/cases/${p.caseId}` };
}

/** A payload's instant in an item's text, in Beijing time (shanghaiMinute); as written when it is none. */
export function beijingTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : shanghaiMinute(at);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids.filter(Boolean))];
}
