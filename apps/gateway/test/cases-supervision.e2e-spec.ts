import { DataSource } from 'typeorm';
import { TestIsolation } from '@lianban/testing';
import { CaseClockService } from '../../cases/src/clocks/case-clock.service';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * The money ledger of a case, and supervision orders of the leading-group office (督办,
 * 挂牌督办): issued on a case, seen by the supervised bureau, which files the progress reports;
 * a late report shows as overdue and is escalated. Through the gateway, with refusals.
 */
describe('case money and supervision, end to end', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];
  let casesDb: DataSource;

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, ids, as } = platform);
    casesDb = platform.services.get('cases')!.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  async function fileCase(major = false) {
    const res = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '张掖康泰医院涉嫌虚构医药服务项目案',
      partyName: '张掖康泰医院（示例民营）',
      facts: '该院虚构康复理疗项目结算医保基金。',
      documentNumber: '甘医保立〔2026〕30号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
      major,
    });
    expect(res.status).toBe(201);
    return res.body as Json;
  }
  const money = async (user: string, caseId: string, body: Record<string, unknown>) => api.call('POST', `/cases/${caseId}/money`, await as(user), body);

  it('keeps the money of a case in fen, per fund and kind, with totals', async () => {
    const c = await fileCase();
    const entries = [
      { kind: 'violating_employees', amountFen: 25_000_000 },
      { kind: 'violating_residents', amountFen: 13_000_050 },
      { kind: 'refunded', amountFen: 20_000_000, documentNumber: '甘医保退〔2026〕3号' },
      { kind: 'refunded', amountFen: 5_000_000 },
      { kind: 'recovered_after_judgment', amountFen: 700_000 },
      { kind: 'violating_employees', amountFen: -1_000_000, note: '更正：重复计入' },
    ];
    let last: Json;
    for (const e of entries) {
      last = await money('ganzhou-mi-officer', c.id, e);
      expect(last.status).toBe(201);
    }
    const sum = (k: string) => entries.filter((e) => e.kind === k).reduce((a, e) => a + e.amountFen, 0);
    expect(last.body.money).toEqual({
      violatingEmployeesFen: sum('violating_employees'),
      violatingResidentsFen: sum('violating_residents'),
      violatingTotalFen: sum('violating_employees') + sum('violating_residents'),
      refundedFen: sum('refunded'),
      finePaidFen: sum('fine_paid'),
      recoveredAfterJudgmentFen: sum('recovered_after_judgment'),
      recoveredTotalFen: sum('refunded') + sum('fine_paid') + sum('recovered_after_judgment'),
      fineDecidedFen: 0,
      refundOrderedFen: 0,
    });
    // Each entry as recorded, oldest first: kind, fen, document, note, who and which agency; the office reads them too.
    const entriesSeen = (await api.call('GET', `/cases/${c.id}`, await as('ganzhou-lgo-officer'))).body.moneyEntries as Json[];
    expect(entriesSeen).toEqual(
      entries.map((e) => ({
        id: expect.any(String),
        kind: e.kind,
        amountFen: e.amountFen,
        documentNumber: e.documentNumber ?? null,
        note: e.note ?? null,
        actorId: ids['ganzhou-mi-officer'],
        agencyId: ids['甘州区医疗保障局'],
        at: expect.any(String),
      })),
    );
    expect(last.body.moneyEntries).toEqual(entriesSeen);
    expect((await money('ganzhou-mi-officer', c.id, { kind: 'refunded', amountFen: 1, documentNumber: 'x'.repeat(101) })).body).toMatchObject({ status: 400, errors: [{ field: 'documentNumber' }] });
    // No fractions, no totals below zero, only the handling bureau writes.
    expect((await money('ganzhou-mi-officer', c.id, { kind: 'refunded', amountFen: 10.5 })).status).toBe(400);
    expect((await money('ganzhou-mi-officer', c.id, { kind: 'fine_paid', amountFen: -2_000 })).body).toMatchObject({ status: 400, errors: [{ field: 'amountFen', codes: ['totalBelowZero'], params: { totalBelowZero: { kind: 'fine_paid' } } }] });
    expect((await money('zhangye-mi-officer', c.id, { kind: 'refunded', amountFen: 1 })).status).toBe(403);
    expect((await money('ganzhou-lgo-officer', c.id, { kind: 'refunded', amountFen: 1 })).status).toBe(403);
    expect((await money('linze-mi-officer', c.id, { kind: 'refunded', amountFen: 1 })).status).toBe(404);
    expect((await money('ganzhou-finance-officer', c.id, { kind: 'refunded', amountFen: 1 })).status).toBe(404);
    expect((await api.call('GET', `/cases/${c.id}`, await as('ganzhou-mi-officer'))).body.money.refundedFen).toBe(25_000_000);
  });

  it('refuses entries that record nothing, a document twice, or a fine nobody decided or beyond the one decided; corrections still work', async () => {
    const c = await fileCase();
    const officer = 'ganzhou-mi-officer';
    // Nothing to record.
    expect((await money(officer, c.id, { kind: 'refunded', amountFen: 0 })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'amountFen', codes: ['notEquals'] }] });
    // One document, recorded once per kind; another kind may cite it; undone by a correction, it may be recorded again.
    expect((await money(officer, c.id, { kind: 'refunded', amountFen: 500_000, documentNumber: '退款凭证001' })).status).toBe(201);
    const twice = await money(officer, c.id, { kind: 'refunded', amountFen: 500_000, documentNumber: ' 退款凭证001' });
    expect(twice.body).toMatchObject({ status: 409, code: 'MONEY_DOCUMENT_RECORDED', kind: 'refunded', recordedFen: 500_000 });
    expect(twice.body.detail).toContain('退款凭证001');
    expect((await money(officer, c.id, { kind: 'recovered_after_judgment', amountFen: 1, documentNumber: '退款凭证001' })).status).toBe(201);
    expect((await money(officer, c.id, { kind: 'refunded', amountFen: -500_000, documentNumber: '退款凭证001', note: '更正：金额有误' })).status).toBe(201);
    const again = await money(officer, c.id, { kind: 'refunded', amountFen: 450_000, documentNumber: '退款凭证001', note: '更正后重录' });
    expect(again.status).toBe(201);
    expect(again.body.money.refundedFen).toBe(450_000);

    // A fine paid before any decision imposes one.
    expect((await money(officer, c.id, { kind: 'fine_paid', amountFen: 100_000, documentNumber: '缴款书001' })).body).toMatchObject({ status: 409, code: 'NO_FINE_DECIDED' });
    const penalty = { violationKind: 'violation', lossFen: 100_000, refundFen: 100_000, fineFen: 150_000, agreement: 'none', creditRecord: false };
    for (const [user, body] of [
      [officer, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕5号', penalty }],
      [officer, { action: 'submit_for_review', note: '放弃陈述申辩' }],
      ['ganzhou-mi-legal-reviewer', { action: 'pass_review', note: '同意' }],
      ['ganzhou-mi-head', { action: 'decide', documentNumber: '甘医保罚〔2026〕5号', penalty }],
    ] as const) {
      expect((await api.call('POST', `/cases/${c.id}/steps`, await as(user), body)).status).toBe(201);
    }
    // Paid in two parts up to the fine decided, not a fen beyond.
    expect((await money(officer, c.id, { kind: 'fine_paid', amountFen: 100_000, documentNumber: '缴款书001' })).status).toBe(201);
    const beyond = await money(officer, c.id, { kind: 'fine_paid', amountFen: 9_999_999, documentNumber: '缴款书002' });
    expect(beyond.body).toMatchObject({ status: 409, code: 'FINE_PAID_ABOVE_DECIDED', fineDecidedFen: 150_000, finePaidFen: 100_000, amountFen: 9_999_999 });
    expect((await money(officer, c.id, { kind: 'fine_paid', amountFen: 50_001, documentNumber: '缴款书002' })).body.code).toBe('FINE_PAID_ABOVE_DECIDED');
    const paid = await money(officer, c.id, { kind: 'fine_paid', amountFen: 50_000, documentNumber: '缴款书002' });
    expect(paid.body.money).toMatchObject({ fineDecidedFen: 150_000, finePaidFen: 150_000 });
    // A correction of a fine paid is taken.
    expect((await money(officer, c.id, { kind: 'fine_paid', amountFen: -50_000, documentNumber: '缴款书002', note: '更正：重复录入' })).body.money.finePaidFen).toBe(100_000);

    // Nothing of the refusals was written.
    const entries = (await api.call('GET', `/cases/${c.id}`, await as(officer))).body.moneyEntries as Json[];
    expect(entries.map((e) => [e.kind, e.amountFen])).toEqual([
      ['refunded', 500_000],
      ['recovered_after_judgment', 1],
      ['refunded', -500_000],
      ['refunded', 450_000],
      ['fine_paid', 100_000],
      ['fine_paid', 50_000],
      ['fine_paid', -50_000],
    ]);
  });

  it('lets the office supervise a case, the bureau report progress, and shows a late report as overdue', async () => {
    const c = await fileCase(true);
    const lgo = await as('zhangye-lgo-officer');
    const deadline = new Date(Date.now() + 60 * 86_400_000).toISOString();
    const order = { caseId: c.id, kind: 'listed', documentNumber: '张打骗办督〔2026〕1号', requirements: '限期查清违法事实，每5个工作日报告进展', deadline, reportEveryWorkingDays: 5 };

    // Only the leading-group office issues orders, and only in its region.
    expect((await api.call('POST', '/supervisions', await as('ganzhou-mi-head'), order)).status).toBe(403);
    expect((await api.call('POST', '/supervisions', await as('linze-lgo-officer'), order)).status).toBe(404);
    expect((await api.call('POST', '/supervisions', lgo, { ...order, deadline: '2020-01-01T00:00:00Z' })).body).toMatchObject({ status: 400, errors: [{ field: 'deadline', codes: ['deadlineNotFuture'] }] });
    const issued = await api.call('POST', '/supervisions', lgo, order);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ caseId: c.id, caseNumber: c.number, kind: 'listed', status: 'open', supervisedAgencyId: ids['甘州区医疗保障局'], reportOverdue: false, deadlineOverdue: false, reports: [] });
    expect(issued.body.issuingAgencyId).toBe(ids['张掖市打击欺诈骗保专项整治行动领导小组办公室']);
    expect(new Date(issued.body.nextReportDueAt).getTime()).toBeGreaterThan(Date.now());
    // One open order per case.
    expect((await api.call('POST', '/supervisions', lgo, { ...order, kind: 'supervision' })).body.code).toBe('SUPERVISION_ALREADY_OPEN');

    // The supervised bureau sees it in its list; other bureaus do not.
    const mine = await api.call('GET', '/supervisions?status=open', await as('ganzhou-mi-officer'));
    expect(mine.body).toMatchObject({ total: 1, items: [{ id: issued.body.id }] });
    expect((await api.call('GET', '/supervisions', await as('linze-mi-officer'))).body).toEqual({ items: [], total: 0 });
    expect((await api.call('GET', `/supervisions/${issued.body.id}`, await as('linze-mi-officer'))).status).toBe(404);
    expect((await api.call('GET', `/supervisions/${issued.body.id}`, await as('ganzhou-police-officer'))).status).toBe(404);
    expect((await api.call('GET', `/supervisions/${issued.body.id}`, await as('ganzhou-lgo-officer'))).status).toBe(200);

    // A report in time.
    const first = await api.call('POST', `/supervisions/${issued.body.id}/reports`, await as('ganzhou-mi-officer'), { progress: '已调取住院病历312份，正在比对' });
    expect(first.body.reports).toEqual([expect.objectContaining({ seq: 1, late: false, actorId: ids['ganzhou-mi-officer'], agencyId: ids['甘州区医疗保障局'] })]);
    expect((await api.call('POST', `/supervisions/${issued.body.id}/reports`, lgo, { progress: '由办公室代为报告进展' })).status).toBe(403);

    // Time passes: the next report's due time goes by (moved into the past), and the order shows it.
    await casesDb.query(`UPDATE clock SET due_at = now() - interval '1 hour', due_soon_at = now() - interval '2 hours' WHERE subject_id = $1 AND step = 'supervision_report' AND stopped_at IS NULL`, [issued.body.id]);
    const late = await api.call('GET', `/supervisions/${issued.body.id}`, await as('ganzhou-mi-officer'));
    expect(late.body).toMatchObject({ reportOverdue: true, deadlineOverdue: false });
    // The scan escalates it once, to the bureau and the region's leading-group office.
    await platform.services.get('cases')!.get(CaseClockService).fireDue();
    const [escalated] = await casesDb.query(`SELECT envelope FROM outbox_event WHERE type = 'clock.overdue' AND envelope->'payload'->>'subjectId' = $1`, [issued.body.id]);
    expect(escalated.envelope.payload).toMatchObject({ subjectType: 'supervision', step: 'supervision_report', dutyAgencyId: ids['甘州区医疗保障局'], escalateTo: ['LEADING_GROUP_OFFICE'] });

    // The late report is marked late, and the next one is due again.
    const second = await api.call('POST', `/supervisions/${issued.body.id}/reports`, await as('ganzhou-mi-officer2'), { progress: '违法事实已查清，拟作出处罚', documentNumber: '甘医保报〔2026〕2号' });
    expect(second.body.reports.map((r: Json) => r.late)).toEqual([false, true]);
    expect(second.body.reportOverdue).toBe(false);

    // The district's office reads the city office's order, but only the city office ends it.
    expect((await api.call('POST', `/supervisions/${issued.body.id}/close`, await as('ganzhou-lgo-officer'), { note: '区办认为可以结束' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const closed = await api.call('POST', `/supervisions/${issued.body.id}/close`, lgo, { note: '案件已依法处理完毕' });
    expect(closed.body).toMatchObject({ status: 'closed', reportOverdue: false, nextReportDueAt: null });
    expect((await api.call('POST', `/supervisions/${issued.body.id}/reports`, await as('ganzhou-mi-officer'), { progress: '补充报告' })).body.code).toBe('SUPERVISION_CLOSED');
  }, 30_000);

  it('keeps listed supervision for major cases', async () => {
    const c = await fileCase(false);
    const order = { caseId: c.id, kind: 'listed', documentNumber: '张打骗办督〔2026〕2号', requirements: '挂牌督办', deadline: new Date(Date.now() + 86_400_000 * 30).toISOString(), reportEveryWorkingDays: 10 };
    expect((await api.call('POST', '/supervisions', await as('zhangye-lgo-officer'), order)).body.code).toBe('LISTED_SUPERVISION_NEEDS_MAJOR_CASE');
    expect((await api.call('POST', '/supervisions', await as('zhangye-lgo-officer'), { ...order, kind: 'supervision' })).status).toBe(201);

    // The case page asks for the open order of its case alone (the console offers 下达督办 without one).
    const lgo = await as('zhangye-lgo-officer');
    expect((await api.call('GET', `/supervisions?status=open&caseId=${c.id}`, lgo)).body).toMatchObject({ total: 1, items: [{ caseId: c.id, kind: 'supervision' }] });
    const unsupervised = await fileCase(false);
    expect((await api.call('GET', `/supervisions?status=open&caseId=${unsupervised.id}`, lgo)).body).toEqual({ items: [], total: 0 });
    expect((await api.call('GET', `/supervisions?caseId=${c.id}`, await as('linze-lgo-officer'))).body).toEqual({ items: [], total: 0 });
    expect((await api.call('GET', '/supervisions?caseId=42', lgo)).body).toMatchObject({ status: 400, errors: [{ field: 'caseId' }] });
  });
});
