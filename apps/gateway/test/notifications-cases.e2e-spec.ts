import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AgenciesSubjects, AgencyKind, EventEnvelope, InstitutionSubjects, OfficerRole, systemActor } from '@lianban/contracts';
import { NatsBus, RpcClient } from '@lianban/messaging';
import { ClosingReminderService } from '../../cases/src/campaigns/closing-reminder.service';
import { eventually, shanghaiDay, TestIsolation } from '@lianban/testing';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';
import { readEvents } from './sse';

/** A Shanghai calendar day `days` from today, so the campaign's self-inspection phase is open now. */

/**
 * The events of cases reach the right inboxes: a supervision order the supervised bureau, its
 * progress reports the issuing office, a submitted self-inspection ledger the bureau that reviews it,
 * its return or acceptance the institution that filed it; a redelivered event adds nothing. Through the gateway, with the whole platform in-process.
 */
describe('notifications of cases, supervision orders and ledgers (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];
  let bus: NatsBus;
  let casesDb: DataSource;
  const storeDir = mkdtempSync(join(tmpdir(), 'lianban-notify-evidence-'));

  beforeAll(async () => {
    platform = await startDemoPlatform(iso, { maxDeliver: 3, ackWaitMs: 2000, channelTickMs: 100, channelBackoffMs: 200, config: { evidenceStoreDir: storeDir } });
    ({ api, ids, as } = platform);
    bus = platform.gateway.get(NatsBus);
    casesDb = platform.services.get('cases')!.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
    rmSync(storeDir, { recursive: true, force: true });
  });

  const inbox = async (user: string, query = '') => {
    const res = await api.call('GET', `/inbox${query}`, await as(user));
    expect(res.status).toBe(200);
    return res.body as Json[];
  };
  const settle = () => new Promise((r) => setTimeout(r, 1000));

  it('hands a case to whoever acts next, each officer in their own inbox: the legal reviewers, the head, then the case officers', async () => {
    const penalty = { violationKind: 'violation', lossFen: 38_000_000, refundFen: 38_000_000, fineFen: 57_000_000, agreement: 'suspend', creditRecord: true };
    const filed = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '甘州区某药店串换药品案',
      partyName: '甘州区某药店（示例）',
      facts: '该店将非医保药品串换为医保药品结算。',
      documentNumber: '甘医保立〔2026〕41号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(filed.status).toBe(201);
    const link = `/cases/${filed.body.id}`;
    const step = async (user: string, body: Record<string, unknown>) => {
      const res = await api.call('POST', `/cases/${filed.body.id}/steps`, await as(user), body);
      expect(res.status).toBe(201);
    };
    const items = async (user: string, kind: string) => (await inbox(user)).filter((n) => n.link === link && n.kind === kind);
    const only = async (kind: string, told: string[], notTold: string[]) => {
      for (const user of told) await eventually(async () => (await items(user, kind)).length === 1);
      await settle();
      for (const user of told) expect(await items(user, kind)).toHaveLength(1);
      for (const user of notTold) expect(await items(user, kind)).toEqual([]);
    };

    await step('ganzhou-mi-officer', { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕41号', penalty });
    await step('ganzhou-mi-officer', { action: 'submit_for_review', note: '当事人放弃陈述申辩' });
    await only('case.submitted_for_review', ['ganzhou-mi-legal-reviewer'], ['ganzhou-mi-officer', 'ganzhou-mi-officer2', 'ganzhou-mi-head', 'linze-mi-officer']);
    expect((await items('ganzhou-mi-legal-reviewer', 'case.submitted_for_review'))[0]).toMatchObject({ title: expect.stringContaining('待法制审核'), read: false });

    await step('ganzhou-mi-legal-reviewer', { action: 'pass_review', note: '事实清楚，证据确凿' });
    await only('case.review_passed', ['ganzhou-mi-head'], ['ganzhou-mi-officer', 'ganzhou-mi-officer2', 'ganzhou-mi-legal-reviewer']);

    await step('ganzhou-mi-head', { action: 'decide', documentNumber: '甘医保罚〔2026〕41号', penalty });
    await only('case.decided', ['ganzhou-mi-officer', 'ganzhou-mi-officer2'], ['ganzhou-mi-head', 'ganzhou-mi-legal-reviewer']);

    // One officer reading it leaves the other's unread; a redelivered event adds nothing.
    const [mine] = await items('ganzhou-mi-officer', 'case.decided');
    expect((await api.call('POST', `/inbox/${mine.id}/read`, await as('ganzhou-mi-officer'))).status).toBeLessThan(300);
    expect((await items('ganzhou-mi-officer2', 'case.decided'))[0].read).toBe(false);
    const [{ envelope }] = (await casesDb.query(`SELECT envelope FROM outbox_event WHERE type = 'case.decided' AND envelope->'payload'->>'caseId' = $1`, [filed.body.id])) as { envelope: EventEnvelope }[];
    await bus.js.publish(bus.subject('lianban.events.case.decided'), new TextEncoder().encode(JSON.stringify(envelope)), { msgID: `${envelope.id}-again` });
    await settle();
    for (const user of ['ganzhou-mi-officer', 'ganzhou-mi-officer2']) expect(await items(user, 'case.decided')).toHaveLength(1);

    // Who holds a role is looked up by the platform's services only, never on an officer's behalf.
    const rpc = platform.gateway.get(RpcClient);
    const query = { agencyId: ids['甘州区医疗保障局'], role: 'legal_reviewer' };
    expect(await rpc.request(AgenciesSubjects.findOfficers, query, { actor: systemActor('notifications'), correlationId: 'find-officers' })).toEqual([ids['ganzhou-mi-legal-reviewer']]);
    const officer = { kind: 'officer' as const, id: ids['ganzhou-mi-officer'], agencyId: ids['甘州区医疗保障局'], agencyKind: AgencyKind.MEDICAL_INSURANCE, regionCode: '620702', roles: [OfficerRole.OFFICER] };
    await expect(rpc.request(AgenciesSubjects.findOfficers, query, { actor: officer, correlationId: 'find-officers' })).rejects.toMatchObject({ status: 403 });
  });

  it('tells the supervised bureau of a supervision order, the office of the progress reports, and the bureau of the closing, once each', async () => {
    const filed = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '张掖康泰医院涉嫌虚构医药服务项目案',
      partyName: '张掖康泰医院（示例民营）',
      facts: '该院虚构康复理疗项目结算医保基金。',
      documentNumber: '甘医保立〔2026〕31号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
      major: true,
    });
    expect(filed.status).toBe(201);
    const order = { caseId: filed.body.id, kind: 'listed', documentNumber: '张打骗办督〔2026〕9号', requirements: '限期查清违法事实，每5个工作日报告进展', deadline: new Date(Date.now() + 60 * 86_400_000).toISOString(), reportEveryWorkingDays: 5 };
    const issued = await api.call('POST', '/supervisions', await as('zhangye-lgo-officer'), order);
    expect(issued.status).toBe(201);
    const link = `/supervisions/${issued.body.id}`;

    const item = await eventually(async () => (await inbox('ganzhou-mi-officer')).find((n) => n.link === link && n.kind === 'supervision.issued'));
    expect(item).toMatchObject({ priority: 'high', title: '挂牌督办', read: false });
    // Every officer of the supervised bureau sees it; other bureaus and the police do not.
    await eventually(async () => (await inbox('ganzhou-mi-head')).some((n) => n.link === link));
    await settle();
    for (const user of ['linze-mi-officer', 'ganzhou-police-officer']) expect((await inbox(user)).some((n) => n.link === link)).toBe(false);
    // The office that issued it is not told what it just did.
    expect((await inbox('zhangye-lgo-officer')).some((n) => n.link === link && n.kind === 'supervision.issued')).toBe(false);

    // Redelivered (a second copy past the broker's duplicate window): no second item.
    const [{ envelope }] = (await casesDb.query(`SELECT envelope FROM outbox_event WHERE type = 'supervision.issued' AND envelope->'payload'->>'supervisionId' = $1`, [issued.body.id])) as { envelope: EventEnvelope }[];
    await bus.js.publish(bus.subject('lianban.events.supervision.issued'), new TextEncoder().encode(JSON.stringify(envelope)), { msgID: `${envelope.id}-again` });
    await settle();
    expect((await inbox('ganzhou-mi-officer')).filter((n) => n.link === link && n.kind === 'supervision.issued')).toHaveLength(1);

    // The bureau reports progress: the issuing office hears of it.
    expect((await api.call('POST', `/supervisions/${issued.body.id}/reports`, await as('ganzhou-mi-officer'), { progress: '已调取住院病历312份，正在比对' })).status).toBe(201);
    const report = await eventually(async () => (await inbox('zhangye-lgo-officer')).find((n) => n.link === link && n.kind === 'supervision.progress_reported'));
    expect(report).toMatchObject({ title: '督办进展报告', priority: 'normal' });
    // No progress text (case facts) is copied into the inbox.
    expect(JSON.stringify(report)).not.toContain('住院病历');

    // The office closes the order: the supervised bureau hears of it.
    expect((await api.call('POST', `/supervisions/${issued.body.id}/close`, await as('zhangye-lgo-officer'), { note: '案件已依法处理完毕' })).body.status).toBe('closed');
    await eventually(async () => (await inbox('ganzhou-mi-officer')).some((n) => n.link === link && n.kind === 'supervision.closed'));
  });

  /** A campaign of the city whose self-inspection phase is open now. */
  const openCampaign = async (name: string, documentNumber: string): Promise<string> => {
    const phases = [
      { kind: 'mobilisation', startsOn: shanghaiDay(-10), endsOn: shanghaiDay(-1) },
      { kind: 'self_inspection', startsOn: shanghaiDay(0), endsOn: shanghaiDay(10) },
      { kind: 'inspection', startsOn: shanghaiDay(11), endsOn: shanghaiDay(40) },
      { kind: 'consolidation', startsOn: shanghaiDay(41), endsOn: shanghaiDay(60) },
    ];
    const campaign = await api.call('POST', '/campaigns', await as('zhangye-mi-officer'), {
      name, documentNumber, regionCode: '620700', targets: ['hospital', 'pharmacy'],
      auditPeriodFrom: '2025-01-01', auditPeriodTo: shanghaiDay(-11), startsOn: shanghaiDay(-10), endsOn: shanghaiDay(60), phases,
    });
    expect(campaign.status).toBe(201);
    // Its institutions are told (see the campaign test below): wait for that, so no such item arrives during a later check.
    await eventually(async () => (await inbox('h62070200005')).some((n) => n.link === `/ledgers?campaign=${campaign.body.id}`));
    return campaign.body.id;
  };
  /** An inbox's items about ledgers (the campaigns the institution takes part in reach it too). */
  const ledgerNews = async (user: string, query = '') => (await inbox(user, query)).filter((n) => String(n.kind).startsWith('ledger.'));
  /** The institution opens its ledger in the campaign and submits it; its id. */
  const fileLedger = async (campaignId: string, institution: string): Promise<string> => {
    const problem = { category: '重复收费、超标准收费、分解项目收费', content: '护理费与床位费重复收取', violatingEmployeesFen: 45_678, violatingResidentsFen: 0, refundedEmployeesFen: 45_678, refundedResidentsFen: 0, rectified: true };
    const ledger = await api.call('POST', `/campaigns/${campaignId}/ledgers`, await as(institution), { insuranceTypes: ['employees'], problems: [problem] });
    expect(ledger.status).toBe(201);
    expect((await api.call('POST', `/ledgers/${ledger.body.id}/steps`, await as(institution), { action: 'submit' })).body.status).toBe('submitted');
    return ledger.body.id;
  };
  const ledgerStep = async (user: string, ledgerId: string, action: string, note?: string) => {
    const res = await api.call('POST', `/ledgers/${ledgerId}/steps`, await as(user), { action, note });
    expect(res.status).toBe(200);
    return res.body.status;
  };

  it('puts a submitted self-inspection ledger in the inbox of the district bureau that reviews it, and nowhere else', async () => {
    const ledgerId = await fileLedger(await openCampaign('通知测试专项整治', '张医保发〔2026〕99号'), 'h62070200004');
    const link = `/ledgers/${ledgerId}`;

    const item = await eventually(async () => (await inbox('ganzhou-mi-officer')).find((n) => n.link === link));
    expect(item).toMatchObject({ kind: 'ledger.submitted', title: '自查台账提交：H62070200004', priority: 'normal' });
    await settle();
    // Not the bureau of another district, not the police, not the city bureau (it does not review district ledgers).
    for (const user of ['linze-mi-officer', 'ganzhou-police-officer', 'zhangye-mi-officer']) expect((await inbox(user)).some((n) => n.link === link)).toBe(false);
    // The institution is not told of its own submission.
    expect(await ledgerNews('h62070200004')).toEqual([]);

    // Returned and resubmitted: the bureau hears of the resubmission, not of its own return.
    expect(await ledgerStep('ganzhou-mi-officer', ledgerId, 'return', '违规金额与结算数据不符，请核实后重新报送')).toBe('returned');
    expect(await ledgerStep('h62070200004', ledgerId, 'resubmit')).toBe('resubmitted');
    await eventually(async () => (await inbox('ganzhou-mi-officer')).some((n) => n.link === link && n.kind === 'ledger.resubmitted'));
    expect((await inbox('ganzhou-mi-officer')).filter((n) => n.link === link).map((n) => n.kind)).toEqual(['ledger.resubmitted', 'ledger.submitted']);
  });

  it('tells the institution, live and in its own inbox only, that the bureau returned its ledger with the reasons, then that it accepted it', async () => {
    const ledgerId = await fileLedger(await openCampaign('机构收件箱测试专项整治', '张医保发〔2026〕98号'), 'h62070200003');
    const link = `/ledgers/${ledgerId}`;
    const bureauItem = await eventually(async () => (await inbox('ganzhou-mi-officer')).find((n) => n.link === link && n.kind === 'ledger.submitted'));
    // Its own submission tells the institution nothing.
    expect(await ledgerNews('h62070200003')).toEqual([]);

    // The institution's live stream is open (and another institution's) when the bureau returns the ledger.
    const stream = `${platform.url}/api/v1/inbox/stream`;
    // Within 8 s: woken by the signal, not by the stream's 15-second poll.
    const live = readEvents(stream, await as('h62070200003'), 1, undefined, 8000);
    const elsewhere = readEvents(stream, await as('h62070200005'), 1, undefined, 4000);
    await new Promise((r) => setTimeout(r, 300));
    const reasons = '第1行违规金额与医保结算数据不符，请核实后重新报送';
    expect(await ledgerStep('ganzhou-mi-officer', ledgerId, 'return', reasons)).toBe('returned');
    const [event] = await live;
    expect(event?.data).toMatchObject({ kind: 'ledger.returned', link, title: '自查台账被退回修改', priority: 'normal', agencyId: null, institutionId: expect.any(String), read: false });
    expect(event.data.body).toContain(`退回理由：${reasons}`);
    expect(await elsewhere).toEqual([]);

    // In the institution's inbox, once; in nobody else's: not another institution, not the bureau that returned it, not the city bureau or the office.
    expect((await ledgerNews('h62070200003')).map((n) => [n.id, n.kind, n.link])).toEqual([[Number(event.id), 'ledger.returned', link]]);
    await settle();
    for (const user of ['h62070200005', 'h62070200004', 'ganzhou-mi-officer', 'ganzhou-mi-head', 'zhangye-mi-officer', 'zhangye-lgo-officer', 'linze-mi-officer']) {
      expect((await inbox(user)).some((n) => n.kind === 'ledger.returned' && n.link === link)).toBe(false);
      expect((await api.call('POST', `/inbox/${event.id}/read`, await as(user))).status).toBe(404);
    }
    // Nor does an institution reach the agencies' items: the bureau's item about this very ledger is not found for it.
    expect((await api.call('POST', `/inbox/${bureauItem.id}/read`, await as('h62070200003'))).status).toBe(404);
    // Muting, email and digests stay the officers' own.
    expect((await api.call('GET', '/inbox/preferences', await as('h62070200003'))).status).toBe(403);

    // Redelivered (past the broker's duplicate window): still one item.
    const [{ envelope }] = (await casesDb.query(`SELECT envelope FROM outbox_event WHERE type = 'ledger.returned' AND envelope->'payload'->>'ledgerId' = $1`, [ledgerId])) as { envelope: EventEnvelope }[];
    await bus.js.publish(bus.subject('lianban.events.ledger.returned'), new TextEncoder().encode(JSON.stringify(envelope)), { msgID: `${envelope.id}-again` });
    await settle();
    expect((await ledgerNews('h62070200003')).filter((n) => n.kind === 'ledger.returned')).toHaveLength(1);

    // Read marks: the institution reads it.
    expect((await api.call('POST', `/inbox/${event.id}/read`, await as('h62070200003'))).body).toEqual({ read: true });
    expect(await ledgerNews('h62070200003', '?unread=true')).toEqual([]);

    // Corrected and resubmitted, then accepted: the acceptance reaches the institution, unread, and only it.
    expect(await ledgerStep('h62070200003', ledgerId, 'resubmit')).toBe('resubmitted');
    expect(await ledgerStep('ganzhou-mi-officer', ledgerId, 'accept')).toBe('accepted');
    const accepted = await eventually(async () => (await inbox('h62070200003')).find((n) => n.kind === 'ledger.accepted'));
    expect(accepted).toMatchObject({ link, title: '自查台账已审核通过', read: false });
    const unread = await inbox('h62070200003', '?unread=true');
    expect(unread.map((n) => n.kind)).toContain('ledger.accepted');
    expect((await api.call('POST', '/inbox/read-all', await as('h62070200003'))).body).toEqual({ marked: unread.length });
    expect(await inbox('h62070200003', '?unread=true')).toEqual([]);
    expect((await ledgerNews('h62070200003')).map((n) => [n.kind, n.read])).toEqual([
      ['ledger.accepted', true],
      ['ledger.returned', true],
    ]);
    await settle();
    for (const user of ['h62070200005', 'ganzhou-mi-officer', 'zhangye-mi-officer']) expect((await inbox(user)).some((n) => n.kind === 'ledger.accepted')).toBe(false);
  });

  it('tells each designated institution a new campaign targets in its region, in its own inbox, when to file its ledger; no other', async () => {
    // A pharmacy of the district whose service agreement has ended takes no part.
    const institutions = (await api.call('GET', '/institutions', await as('linze-mi-officer'))).body as Json[];
    const ended = institutions.find((i) => i.code === 'H62072300005')!;
    const terminated = await api.call('POST', `/institutions/${ended.id}/agreement`, await as('linze-mi-officer'), { status: 'terminated', effectiveDate: shanghaiDay(0), reason: '服务协议到期不再续签' });
    expect(terminated.status).toBe(201);

    // The district bureau sets up a campaign for the district's pharmacies.
    const phases = [
      { kind: 'mobilisation', startsOn: shanghaiDay(1), endsOn: shanghaiDay(5) },
      { kind: 'self_inspection', startsOn: shanghaiDay(6), endsOn: shanghaiDay(30) },
      { kind: 'inspection', startsOn: shanghaiDay(31), endsOn: shanghaiDay(60) },
    ];
    const created = await api.call('POST', '/campaigns', await as('linze-mi-officer'), {
      name: '临泽县定点零售药店专项整治', documentNumber: '临医保发〔2026〕7号', regionCode: '620723', targets: ['pharmacy'],
      auditPeriodFrom: '2025-01-01', auditPeriodTo: shanghaiDay(-1), startsOn: shanghaiDay(1), endsOn: shanghaiDay(60), phases,
    });
    expect(created.status).toBe(201);
    const link = `/ledgers?campaign=${created.body.id}`;

    const item = await eventually(async () => (await inbox('h62072300004')).find((n) => n.link === link));
    expect(item).toMatchObject({ kind: 'campaign.created', priority: 'normal', title: '专项整治：临泽县定点零售药店专项整治', agencyId: null, institutionId: expect.any(String), read: false });
    expect(item.body).toContain(`自查自纠阶段为 ${shanghaiDay(6)} 至 ${shanghaiDay(30)}`);
    // The institution may read the campaign its link opens (the console's ledger page for it: see web-cases).
    expect((await api.call('GET', `/campaigns/${created.body.id}`, await as('h62072300004'))).status).toBe(200);
    await settle();
    // Not the terminated pharmacy, not the district's hospitals, not a pharmacy of another district, not the bureaus or the office.
    for (const user of ['h62072300005', 'h62072300001', 'h62070200006', 'linze-mi-officer', 'linze-mi-head', 'zhangye-mi-officer', 'zhangye-lgo-officer']) {
      expect((await inbox(user)).some((n) => n.link === link)).toBe(false);
    }

    // Redelivered (past the broker's duplicate window): still one item.
    const [{ envelope }] = (await casesDb.query(`SELECT envelope FROM outbox_event WHERE type = 'campaign.created' AND envelope->'payload'->>'campaignId' = $1`, [created.body.id])) as { envelope: EventEnvelope }[];
    await bus.js.publish(bus.subject('lianban.events.campaign.created'), new TextEncoder().encode(JSON.stringify(envelope)), { msgID: `${envelope.id}-again` });
    await settle();
    expect((await inbox('h62072300004')).filter((n) => n.link === link)).toHaveLength(1);
  });

  it('reminds the institutions that have not submitted their ledger, and the bureau running the campaign, once, when self-inspection is three working days from closing', async () => {
    // The district bureau's campaign for its pharmacies; self-inspection closes in 20 days.
    const created = await api.call('POST', '/campaigns', await as('ganzhou-mi-officer'), {
      name: '甘州区定点零售药店自查自纠', regionCode: '620702', targets: ['pharmacy'],
      auditPeriodFrom: '2025-01-01', auditPeriodTo: shanghaiDay(-1), startsOn: shanghaiDay(0), endsOn: shanghaiDay(40),
      phases: [{ kind: 'self_inspection', startsOn: shanghaiDay(0), endsOn: shanghaiDay(20) }, { kind: 'inspection', startsOn: shanghaiDay(21), endsOn: shanghaiDay(40) }],
    });
    expect(created.status).toBe(201);
    const link = `/ledgers?campaign=${created.body.id}`;
    const reminders = async (user: string) => (await inbox(user)).filter((n) => n.link === link && n.kind === 'campaign.self_inspection_closing');
    for (const user of ['h62070200006', 'h62070200007']) await eventually(async () => (await inbox(user)).some((n) => n.link === link && n.kind === 'campaign.created'));
    // One pharmacy submits its ledger; the other has only a draft.
    await fileLedger(created.body.id, 'h62070200006');
    const draft = await api.call('POST', `/campaigns/${created.body.id}/ledgers`, await as('h62070200007'), { insuranceTypes: ['residents'], problems: [] });
    expect(draft.status).toBe(201);

    const reminder = platform.services.get('cases')!.get(ClosingReminderService);
    // Not yet today: the 20th is more than three working days away.
    expect(await reminder.remindDue()).toBe(0);
    // Eighteen days on (the 20th is at most three working days away, whatever the weekdays): sent, once.
    const later = new Date(Date.now() + 18 * 86_400_000);
    expect(await reminder.remindDue(later)).toBe(1);
    expect(await reminder.remindDue(later)).toBe(0);

    const [item] = await eventually(async () => {
      const found = await reminders('h62070200007');
      return found.length ? found : undefined;
    });
    expect(item).toMatchObject({ priority: 'high', title: '自查台账即将截止：甘州区定点零售药店自查自纠', agencyId: null, institutionId: expect.any(String), read: false });
    expect(item.body).toContain(`自查自纠阶段将于 ${shanghaiDay(20)} 结束`);
    // The district bureau running the campaign, to follow up the pharmacy that has not filed: one item for the whole bureau.
    const [followUp] = await eventually(async () => {
      const found = await reminders('ganzhou-mi-officer');
      return found.length ? found : undefined;
    });
    expect(followUp).toMatchObject({ priority: 'normal', title: '自查台账即将截止：甘州区定点零售药店自查自纠', agencyId: expect.any(String), institutionId: null });
    expect(followUp.body).toContain('已提交台账的机构 1 家');
    await settle();
    // Not the pharmacy that submitted, not the district's hospitals, not another district's pharmacy or bureau, not the city's bureau.
    for (const user of ['h62070200006', 'h62070200001', 'h62072300004', 'linze-mi-officer', 'zhangye-mi-officer']) expect(await reminders(user)).toEqual([]);
    expect(await reminders('ganzhou-mi-head')).toHaveLength(1);

    // Redelivered (past the broker's duplicate window): still one item.
    const [{ envelope }] = (await casesDb.query(`SELECT envelope FROM outbox_event WHERE type = 'campaign.self_inspection_closing' AND envelope->'payload'->>'campaignId' = $1`, [created.body.id])) as { envelope: EventEnvelope }[];
    expect(envelope.payload).toMatchObject({ submitted: [expect.any(String)], selfInspection: { startsOn: shanghaiDay(0), endsOn: shanghaiDay(20) } });
    await bus.js.publish(bus.subject('lianban.events.campaign.self_inspection_closing'), new TextEncoder().encode(JSON.stringify(envelope)), { msgID: `${envelope.id}-again` });
    await settle();
    expect(await reminders('h62070200007')).toHaveLength(1);
    expect(await reminders('ganzhou-mi-officer')).toHaveLength(1);
  });

  it('looks institutions up by region for the platform\'s services only', async () => {
    const rpc = platform.gateway.get(RpcClient);
    const system = { actor: systemActor('notifications'), correlationId: 'find-designated' };
    // A city: its districts' designated institutions of the kinds asked, by code; none whose agreement has ended.
    const register = (await api.call('GET', '/institutions', await as('zhangye-mi-officer'))).body as Json[];
    const expected = register.filter((i) => i.kind === 'hospital' && ['active', 'suspended'].includes(i.agreementStatus)).map((i) => i.id);
    expect(register.filter((i) => i.kind === 'hospital').map((i) => i.regionCode)).toEqual(expect.arrayContaining(['620702', '620723']));
    expect(await rpc.request(InstitutionSubjects.findDesignated, { regionCode: '620700', kinds: ['hospital'] }, system)).toEqual(expected);
    // A district: its own only.
    const linze = register.filter((i) => i.regionCode === '620723' && ['active', 'suspended'].includes(i.agreementStatus)).map((i) => i.id);
    expect(await rpc.request(InstitutionSubjects.findDesignated, { regionCode: '620723', kinds: ['hospital', 'pharmacy'] }, system)).toEqual(linze);
    // Never on an officer's (even the bureau's) or an institution's behalf.
    const officer = { kind: 'officer' as const, id: ids['linze-mi-officer'], agencyId: ids['临泽县医疗保障局'], agencyKind: AgencyKind.MEDICAL_INSURANCE, regionCode: '620723', roles: [OfficerRole.OFFICER] };
    const institution = { kind: 'institution' as const, id: ids['h62072300004'], institutionId: register.find((i) => i.code === 'H62072300004')!.id };
    for (const actor of [officer, institution]) {
      await expect(rpc.request(InstitutionSubjects.findDesignated, { regionCode: '620723', kinds: ['pharmacy'] }, { actor, correlationId: 'find-designated' })).rejects.toMatchObject({ status: 403 });
    }
    // A malformed query gets a 400.
    await expect(rpc.request(InstitutionSubjects.findDesignated, { regionCode: '620723', kinds: ['clinic'] }, system)).rejects.toMatchObject({ status: 400 });
    await expect(rpc.request(InstitutionSubjects.findDesignated, { regionCode: '620723', kinds: [] }, system)).rejects.toMatchObject({ status: 400 });
  });

  it('alerts the case bureau, marked high, when a stored evidence file no longer matches its digests', async () => {
    const filed = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '某药店串换药品案（通知）', partyName: '某药店', facts: '以日用品串换药品结算。', documentNumber: '甘医保立〔2026〕32号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(filed.status).toBe(201);
    const caseId = filed.body.id;
    const bytes = Buffer.from('现场检查笔录：药店以日用品串换药品结算。'.repeat(20));
    const up = await fetch(`${platform.url}/api/v1/cases/${caseId}/evidence?name=${encodeURIComponent('现场检查笔录.txt')}&mediaType=text%2Fplain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await as('ganzhou-mi-officer')}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(up.status).toBe(201);
    const evidenceId = ((await up.json()) as Json).id;
    const altered = Buffer.from(bytes);
    altered[3] ^= 0xff;
    writeFileSync(join(storeDir, 'cases', caseId, evidenceId), altered);
    const down = await fetch(`${platform.url}/api/v1/cases/${caseId}/evidence/${evidenceId}/content`, { headers: { authorization: `Bearer ${await as('ganzhou-mi-officer')}` } });
    expect(down.status).toBe(409);

    const alert = await eventually(async () => (await inbox('ganzhou-mi-head')).find((n) => n.kind === 'case.evidence_integrity_failed' && n.link === `/cases/${caseId}`));
    expect(alert).toMatchObject({ priority: 'high', title: '证据完整性校验失败' });
    expect(JSON.stringify(alert)).not.toContain('现场检查笔录');
    await settle();
    expect((await inbox('linze-mi-officer')).some((n) => n.link === `/cases/${caseId}`)).toBe(false);
  });
});
