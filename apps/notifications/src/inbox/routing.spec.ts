import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@lianban/contracts';
import { beijingTime, Delivery, route as deliveries } from './routing';

/** The delivery of an event that reaches one group of recipients, or null when it reaches nobody. */
function route(e: EventEnvelope): Delivery | null {
  const all = deliveries(e);
  expect(all.length).toBeLessThanOrEqual(1);
  return all[0] ?? null;
}

const sender = 'mi-bureau';
const police = 'police-station';
const procuratorate = 'procuratorate';

function transferEvent(type: string, actingAgency: string, to: string, extra: Record<string, unknown> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    source: 'clue-transfer',
    actor: { kind: 'officer', id: 'o', agencyId: actingAgency },
    correlationId: 'c',
    payload: { transferId: 't', number: 'YS-1', route: 'mi_to_police', from: 'x', to, senderAgencyId: sender, receiverAgencyId: police, procuratorateAgencyId: procuratorate, ...extra },
  };
}

describe('who hears about a transfer step', () => {
  it.each([
    ['transfer.submitted', sender, 'awaiting_approval', [sender]],
    ['transfer.approved', sender, 'approved', [sender]],
    ['transfer.rejected', sender, 'rejected', [sender]],
    ['transfer.receipted', police, 'received', [sender]],
    ['transfer.filing_declined', police, 'declined', [sender]],
    ['transfer.reconsideration_requested', sender, 'reconsideration_requested', [police]],
    ['transfer.supervision_opened', procuratorate, 'under_supervision', [sender, police]],
    ['transfer.supervision_requested', sender, 'supervision_requested', [procuratorate]],
  ])('%s by %s reaches %j', (type, actor, to, expected) => {
    expect(route(transferEvent(type, actor, to))?.agencyIds).toEqual(expected);
  });

  it('sends a transfer to the police with the statutory copy to the procuratorate', () => {
    expect(route(transferEvent('transfer.sent', sender, 'sent', { copyTo: [procuratorate] }))?.agencyIds).toEqual([police, procuratorate]);
  });

  it('tells the police a transfer was forwarded to them, and medical insurance and the procuratorate that it was forwarded', () => {
    const [toPolice, toOthers, ...more] = deliveries(transferEvent('transfer.forwarded', 'first-station', 'sent'));
    expect(more).toEqual([]);
    expect(toPolice).toMatchObject({ agencyIds: [police], body: '收到转送的移送，请及时签收。' });
    expect(toOthers).toMatchObject({ agencyIds: [sender, procuratorate], body: '公安机关已将移送转送有管辖权的公安机关。' });
  });

  it('tells the court of a prosecution before it, and both sides and the procuratorate of its judgment', () => {
    const court = 'court';
    expect(route(transferEvent('transfer.prosecuted', procuratorate, 'prosecuted', { courtAgencyId: court }))?.agencyIds).toEqual([sender, police, court]);
    expect(route(transferEvent('transfer.judgment_recorded', court, 'judged', { courtAgencyId: court }))?.agencyIds).toEqual([sender, police, procuratorate]);
    // Written before the court was carried: the two sides still hear.
    expect(route(transferEvent('transfer.prosecuted', procuratorate, 'prosecuted'))?.agencyIds).toEqual([sender, police]);
  });

  it('tells the procuratorate over the investigating police of a referral for prosecution, and everyone concerned of its outcome', () => {
    const prosecutor = 'procuratorate-where-investigated';
    const court = 'court';
    expect(route(transferEvent('transfer.referred_for_prosecution', police, 'prosecution_review', { prosecutorAgencyId: prosecutor }))?.agencyIds).toEqual([sender, prosecutor]);
    expect(route(transferEvent('transfer.not_prosecuted', prosecutor, 'not_prosecuted', { prosecutorAgencyId: prosecutor }))?.agencyIds).toEqual([sender, police]);
    expect(route(transferEvent('transfer.judgment_recorded', court, 'judged', { prosecutorAgencyId: prosecutor, courtAgencyId: court }))?.agencyIds).toEqual([sender, police, procuratorate, prosecutor]);
  });

  it('says nothing about a draft', () => {
    expect(route(transferEvent('transfer.drafted', sender, 'drafted'))).toBeNull();
  });

  it('escalates an overdue clock to the agencies of its rule in its region, marked high', () => {
    const d = route({
      ...transferEvent('clock.overdue', sender, ''),
      payload: { subjectType: 'transfer', subjectId: 't', step: 'filing_decision', label: '公安决定是否立案', dutyAgencyId: police, regionCode: '620702', dueAt: 'x', escalateTo: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'] },
    });
    expect(d).toMatchObject({ agencyIds: [police], byKind: { kinds: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'], regionCode: '620702' }, priority: 'high' });
  });

  it('tells the bureau awaiting a report it assigned down when the report-back date nears, beside the district whose duty it is', () => {
    const d = route({
      ...transferEvent('clock.due_soon', sender, ''),
      payload: { subjectType: 'clue', subjectId: 'k', step: 'report_back', label: '交办线索核查结果上报', dutyAgencyId: 'district', alsoTell: ['city'], regionCode: '620702', dueAt: 'x' },
    });
    expect(d).toMatchObject({ agencyIds: ['district', 'city'], priority: 'normal', link: '/clues/k' });
  });
});

const lgo = 'lgo';
const bureau = 'district-bureau';
function event(type: string, actingAgency: string, payload: Record<string, unknown>): EventEnvelope {
  return { ...transferEvent(type, actingAgency, ''), source: 'cases', payload };
}

describe('who hears about a clue assigned down (交办)', () => {
  const clueEvent = (type: string, extra: Record<string, unknown>): EventEnvelope => ({
    id: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    source: 'clue-transfer',
    actor: { kind: 'officer', id: 'o', agencyId: 'x' },
    correlationId: 'c',
    payload: { clueId: 'k', number: 'XS620702-2026-000001', agencyId: 'district', ...extra },
  });

  it.each([
    ['clue.received', 'district', 'normal'],
    ['clue.reported', 'city', 'normal'],
    ['clue.report_accepted', 'district', 'normal'],
    ['clue.report_returned', 'district', 'high'],
  ])('%s reaches the %s bureau', (type, to, priority) => {
    const d = route(clueEvent(type, { assignedByAgencyId: 'city', reportBackBy: '2026-12-31T16:00:00.000Z', outcome: 'unfounded' }));
    expect(d).toMatchObject({ agencyIds: [to], priority, link: '/clues/k' });
  });

  it('gives the assigned bureau its report-back date, and the assigning bureau the outcome reported', () => {
    expect(route(clueEvent('clue.received', { assignedByAgencyId: 'city', reportBackBy: '2026-12-31T16:00:00.000Z' }))?.body).toContain('2026-12-31 24:00');
    expect(route(clueEvent('clue.reported', { assignedByAgencyId: 'city', outcome: 'case_opened' }))?.body).toContain('已立案');
  });

  it('says nothing of a bureau’s own clue, nor of steps only the assigned bureau takes', () => {
    expect(route(clueEvent('clue.received', { assignedByAgencyId: null }))).toBeNull();
    expect(route(clueEvent('clue.concluded', {}))).toBeNull();
    expect(route(clueEvent('clue.triaged', { assignedByAgencyId: 'city' }))).toBeNull();
  });
});

describe('who hears about a supervision order', () => {
  const order = { supervisionId: 's', caseId: 'c', regionCode: '620702' };
  it.each([
    ['supervision.issued', lgo, { ...order, kind: 'supervision', supervisedAgencyId: bureau, deadline: 'd' }, [bureau], 'normal'],
    ['supervision.issued', lgo, { ...order, kind: 'listed', supervisedAgencyId: bureau, deadline: 'd' }, [bureau], 'high'],
    ['supervision.progress_reported', bureau, { ...order, issuingAgencyId: lgo, late: false }, [lgo], 'normal'],
    ['supervision.closed', lgo, { ...order, supervisedAgencyId: bureau }, [bureau], 'normal'],
  ])('%s by %s reaches the right side', (type, actor, payload, expected, priority) => {
    expect(route(event(type, actor, payload))).toMatchObject({ agencyIds: expected, priority, link: '/supervisions/s' });
  });

  it('says when a progress report came late', () => {
    expect(route(event('supervision.progress_reported', bureau, { ...order, issuingAgencyId: lgo, late: true }))?.body).toContain('逾期');
  });
});

describe('who hears about a self-inspection ledger', () => {
  const ledger = { ledgerId: 'l', campaignId: 'k', institutionId: 'i', institutionCode: 'H62070200001', regionCode: '620702' };
  it.each(['ledger.submitted', 'ledger.resubmitted'])('%s waits for the medical insurance bureau of the institution region', (type) => {
    expect(route(event(type, 'i', { ...ledger, status: 'submitted' }))).toMatchObject({ agencyIds: [], byKind: { kinds: ['MEDICAL_INSURANCE'], regionCode: '620702' }, link: '/ledgers/l' });
  });

  it('tells the institution, and no agency, that the bureau returned its ledger, with the bureau\'s reasons', () => {
    const d = route(event('ledger.returned', bureau, { ...ledger, status: 'returned', note: '第3行退回资金大于违规资金，请核实' }));
    expect(d).toMatchObject({ agencyIds: [], institutionId: 'i', priority: 'normal', link: '/ledgers/l', title: '自查台账被退回修改' });
    expect(d!.body).toContain('退回理由：第3行退回资金大于违规资金，请核实');
    expect(d!.byKind).toBeUndefined();
    expect(d!.officers).toBeUndefined();
  });

  it('tells the institution, and no agency, that the bureau accepted its ledger', () => {
    const d = route(event('ledger.accepted', bureau, { ...ledger, status: 'accepted', note: null }));
    expect(d).toMatchObject({ agencyIds: [], institutionId: 'i', link: '/ledgers/l', title: '自查台账已审核通过' });
    expect(d!.byKind).toBeUndefined();
  });

  it('addresses a submitted ledger to the bureau only, never to the institution that submitted it', () => {
    expect(route(event('ledger.submitted', 'i', { ...ledger, status: 'submitted' }))?.institutionId).toBeUndefined();
  });

  it.each(['ledger.returned', 'ledger.accepted'])('cannot route %s written without the institution id', (type) => {
    const { institutionId: _, ...old } = ledger;
    expect(route(event(type, bureau, { ...old, status: 'x', note: '请核实' }))).toBeNull();
  });

  it.each(['ledger.created', 'ledger.progress_recorded', 'ledger.rectification_completed'])('keeps the institution\'s own step %s out of every inbox', (type) => {
    expect(route(event(type, 'i', { ...ledger, status: 'x' }))).toBeNull();
  });
});

describe('who hears about a case', () => {
  it('alerts the case bureau, marked high, when evidence fails its integrity check', () => {
    expect(route(event('case.evidence_integrity_failed', bureau, { caseId: 'c', evidenceId: 'e', agencyId: bureau }))).toMatchObject({ agencyIds: [bureau], priority: 'high', link: '/cases/c' });
  });

  it('cannot route an integrity failure written without the case bureau', () => {
    expect(route(event('case.evidence_integrity_failed', bureau, { caseId: 'c', evidenceId: 'e' }))).toBeNull();
  });

  it.each([
    ['case.submitted_for_review', { role: 'legal_reviewer' }],
    ['case.hearing_concluded', { role: 'legal_reviewer' }],
    ['case.review_passed', { role: 'head' }],
    ['case.returned_for_investigation', { ids: ['o1', 'o2'] }],
    ['case.decided', { ids: ['o1', 'o2'] }],
    ['case.closed_without_penalty', { ids: ['o1', 'o2'] }],
  ])('hands %s to the officers who act next, inside the bureau', (type, officers) => {
    const d = route(event(type, bureau, { caseId: 'c', number: 'AJ-1', agencyId: bureau, officerIds: ['o1', 'o2'] }));
    expect(d).toMatchObject({ agencyIds: [], officers: { agencyId: bureau, ...officers }, priority: 'normal', link: '/cases/c' });
    expect(d!.title).toContain('AJ-1');
  });

  it('cannot hand a case to its officers from an event written before it named them', () => {
    expect(route(event('case.decided', bureau, { caseId: 'c', number: 'AJ-1', agencyId: bureau }))).toBeNull();
  });

  it.each(['case.filed', 'case.money_recorded', 'case.evidence_added', 'case.penalty_notified', 'case.served', 'case.referred_to_collective'])('keeps %s inside the bureau (no inbox item)', (type) => {
    expect(route(event(type, bureau, { caseId: 'c', agencyId: bureau }))).toBeNull();
  });
});

describe('who hears about a new campaign', () => {
  const campaign = { campaignId: 'k', name: '张掖市打击欺诈骗保专项整治', regionCode: '620700', agencyId: 'mi', targets: ['pharmacy'], startsOn: '2026-12-01', endsOn: '2027-03-31' };
  it('tells the designated institutions it targets in its region, each in its own inbox, when to file their ledger', () => {
    const d = route(event('campaign.created', 'mi', { ...campaign, selfInspection: { startsOn: '2026-12-10', endsOn: '2027-01-10' } }));
    expect(d).toMatchObject({ agencyIds: [], institutionsIn: { regionCode: '620700', kinds: ['pharmacy'] }, priority: 'normal', title: '专项整治：张掖市打击欺诈骗保专项整治', link: '/ledgers?campaign=k' });
    expect(d?.body).toContain('自查自纠阶段为 2026-12-10 至 2027-01-10');
    expect(d?.byKind).toBeUndefined();
    expect(d?.officers).toBeUndefined();
  });

  it('gives the campaign\'s own dates when it has no self-inspection phase', () => {
    expect(route(event('campaign.created', 'mi', { ...campaign, selfInspection: null }))?.body).toContain('专项整治期间为 2026-12-01 至 2027-03-31');
  });

  it('cannot route a campaign event written before it named its targets', () => {
    const { targets: _, name: __, ...old } = campaign;
    expect(route(event('campaign.created', 'mi', old))).toBeNull();
  });
});

describe('who is reminded that a campaign\'s self-inspection is closing', () => {
  const closing = { campaignId: 'k', name: '张掖市打击欺诈骗保专项整治', regionCode: '620700', agencyId: 'mi', targets: ['hospital', 'pharmacy'], selfInspection: { startsOn: '2026-12-10', endsOn: '2027-01-10' }, submitted: ['i1', 'i2'] };

  it('tells the institutions it targets, all but those that have submitted, marked high, by when; and the bureau running it, once', () => {
    const [d, bureau, ...more] = deliveries(event('campaign.self_inspection_closing', 'campaign-reminder', closing));
    expect(d).toMatchObject({ agencyIds: [], institutionsIn: { regionCode: '620700', kinds: ['hospital', 'pharmacy'], except: ['i1', 'i2'] }, priority: 'high', title: '自查台账即将截止：张掖市打击欺诈骗保专项整治', link: '/ledgers?campaign=k' });
    expect(d.body).toContain('将于 2027-01-10 结束');
    expect(d.byKind).toBeUndefined();
    expect(d.officers).toBeUndefined();
    // The bureau, to follow up those that have not filed: how many have, and where the others are listed.
    expect(bureau).toEqual({ agencyIds: ['mi'], priority: 'normal', title: '自查台账即将截止：张掖市打击欺诈骗保专项整治', body: expect.stringContaining('已提交台账的机构 2 家'), link: '/ledgers?campaign=k' });
    expect(bureau.body).toContain('将于 2027-01-10 结束');
    expect(more).toEqual([]);
  });

  it('reaches the institutions only when the event was written before it named the campaign\'s agency', () => {
    const { agencyId: _, ...old } = closing;
    expect(deliveries(event('campaign.self_inspection_closing', 'campaign-reminder', old))).toEqual([expect.objectContaining({ agencyIds: [], priority: 'high' })]);
  });
});

describe('who is told how an invoice import file ended', () => {
  const ended = { importId: 'imp', agencyId: 'finance', officerId: 'officer-who-sent', imported: 3, errorCount: 0, failureCode: null };

  it('tells the officer who sent the file, and nobody else in finance, with a link to its outcome', () => {
    const d = route(event('invoice.import_succeeded', 'invoices', ended));
    expect(d).toMatchObject({ agencyIds: [], officers: { agencyId: 'finance', ids: ['officer-who-sent'] }, priority: 'normal', title: '票据导入完成', link: '/invoices?import=imp' });
    expect(d?.body).toContain('3 张票据');
  });

  it('says how many rows a refused file had and that none of it was imported', () => {
    const d = route(event('invoice.import_refused', 'invoices', { ...ended, imported: 0, errorCount: 7 }));
    expect(d).toMatchObject({ title: '票据导入未通过', officers: { ids: ['officer-who-sent'] } });
    expect(d?.body).toContain('7 行未通过校验，整个文件未导入');
  });

  it.each([
    ['fileAltered', '摘要不符'],
    ['fileMissing', '已不存在'],
    ['importStopped', '请重新导入，仍不成功请联系运维人员'],
  ])('says why an import stopped (%s)', (failureCode, says) => {
    const d = route(event('invoice.import_failed', 'invoices', { ...ended, imported: 0, failureCode }));
    expect(d).toMatchObject({ title: '票据导入中止', link: '/invoices?import=imp' });
    expect(d?.body).toContain(says);
  });

  it('routes no other invoice event', () => {
    expect(route(event('invoice.import_received', 'invoices', ended))).toBeNull();
  });
});

describe('times in an item’s text', () => {
  it.each([
    ['2026-12-24T15:59:59.000Z', '2026-12-24 23:59'],
    ['2026-12-24T16:00:00.000Z', '2026-12-24 24:00'], // a deadline at the end of the 24th, Beijing time
    ['2026-03-02T01:30:00Z', '2026-03-02 09:30'],
  ])('writes %s as %s, Beijing time', (iso, text) => {
    expect(beijingTime(iso)).toBe(text);
  });
});
