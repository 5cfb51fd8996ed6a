import { parse } from 'csv-parse/sync';
import { Workbook, Worksheet } from 'exceljs';
import { DataSource } from 'typeorm';
import { AgencyKind } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { shanghaiDay, TestIsolation } from '@lianban/testing';
import { seedDemoCampaign } from '../../cases/src/demo/demo-campaign';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

/** A Shanghai calendar day `days` from today, so the campaign's phases always surround the test run. */

interface Problem {
  category: string;
  content: string;
  violatingEmployeesFen: number;
  violatingResidentsFen: number;
  refundedEmployeesFen: number;
  refundedResidentsFen: number;
  rectified: boolean;
  reason?: string;
}
const problem = (p: Partial<Problem>): Problem => ({
  category: '串换药品、医用耗材、诊疗项目和服务设施',
  content: '将甲类耗材串换为乙类项目收费',
  violatingEmployeesFen: 0,
  violatingResidentsFen: 0,
  refundedEmployeesFen: 0,
  refundedResidentsFen: 0,
  rectified: true,
  ...p,
});

describe('self-inspection campaigns and ledgers, Annexes 3 and 4 (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let as: DemoPlatform['as'];
  let agencies: DataSource;
  let cases: DataSource;
  let campaignId: string;
  const ledgerIds: Record<string, string> = {};

  /**
   * What the institutions file, in their final state (after the bureau's correction and the
   * progress recorded after acceptance); the test keeps it up to date and sums it itself.
   */
  const filings: Record<string, { kind: 'hospital' | 'pharmacy'; region: string; insuranceTypes: string[]; problems: Problem[]; accepted: boolean }> = {
    h62070200001: {
      kind: 'hospital',
      region: '620702',
      insuranceTypes: ['employees', 'residents'],
      accepted: true,
      problems: [
        problem({ violatingEmployeesFen: 1_234_567, violatingResidentsFen: 234_500, refundedEmployeesFen: 1_234_567, refundedResidentsFen: 100_000 }),
        problem({ category: '分解住院、挂床住院', content: '同一患者15日内因同一疾病再次入院', violatingResidentsFen: 880_050, rectified: false, reason: '涉及科室整改，预计下月完成' }),
      ],
    },
    h62070200004: {
      kind: 'hospital',
      region: '620702',
      insuranceTypes: ['employees'],
      accepted: true,
      problems: [problem({ category: '重复收费、超标准收费、分解项目收费', content: '护理费与床位费重复收取, "含引号,逗号"', violatingEmployeesFen: 45_678, rectified: false, reason: '正在核对退款明细' })],
    },
    h62070200006: {
      kind: 'pharmacy',
      region: '620702',
      insuranceTypes: ['employees', 'residents'],
      accepted: true,
      problems: [problem({ category: '串换药品、医用耗材、医疗器械或以日用品、保健品串换进行医保结算', content: '以保健品串换药品结算', violatingEmployeesFen: 12_300, violatingResidentsFen: 4_500, refundedEmployeesFen: 12_300, refundedResidentsFen: 4_500 })],
    },
    h62072300001: {
      kind: 'hospital',
      region: '620723',
      insuranceTypes: ['residents'],
      accepted: true,
      problems: [
        problem({ category: '将不属于医疗保障基金支付范围的医药费用纳入医疗保障基金结算', content: '体检费用纳入医保结算', violatingResidentsFen: 3_000_001, refundedResidentsFen: 1_500_000 }),
        problem({ category: '重复收费、超标准收费、分解项目收费', content: '检验项目分解收费', violatingResidentsFen: 99, refundedResidentsFen: 99 }),
      ],
    },
    h62072300004: { kind: 'pharmacy', region: '620723', insuranceTypes: ['employees', 'residents'], accepted: true, problems: [] },
    // Submitted, never accepted: must not count in Annex 4.
    h62070200003: { kind: 'hospital', region: '620702', insuranceTypes: ['employees'], accepted: false, problems: [problem({ violatingEmployeesFen: 777_777 })] },
  };
  const body = (who: string) => ({ insuranceTypes: filings[who].insuranceTypes, problems: filings[who].problems });

  const campaign = {
    name: '张掖市打击欺诈骗保专项整治行动（测试）',
    documentNumber: '张医保发〔2026〕21号',
    regionCode: '620700',
    targets: ['hospital', 'pharmacy'],
    auditPeriodFrom: '2025-01-01',
    auditPeriodTo: shanghaiDay(-11),
    startsOn: shanghaiDay(-10),
    endsOn: shanghaiDay(60),
    phases: [
      { kind: 'mobilisation', startsOn: shanghaiDay(-10), endsOn: shanghaiDay(-1) },
      { kind: 'self_inspection', startsOn: shanghaiDay(0), endsOn: shanghaiDay(10) },
      { kind: 'inspection', startsOn: shanghaiDay(11), endsOn: shanghaiDay(40) },
      { kind: 'consolidation', startsOn: shanghaiDay(41), endsOn: shanghaiDay(60) },
    ],
  };

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, as, agencies } = platform);
    cases = platform.services.get('cases')!.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  async function download(path: string, user: string): Promise<{ status: number; headers: Headers; data: Buffer }> {
    const res = await fetch(`${platform.url}/api/v1${path}`, { headers: { authorization: `Bearer ${await as(user)}` } });
    return { status: res.status, headers: res.headers, data: Buffer.from(await res.arrayBuffer()) };
  }

  it('lets the city bureau set up a campaign whose phase is derived from today', async () => {
    const res = await api.call('POST', '/campaigns', await as('zhangye-mi-officer'), campaign);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ regionCode: '620700', stage: 'in_phase', today: shanghaiDay(0), filingOpen: true, currentPhase: { kind: 'self_inspection', name: '自查自纠', startsOn: shanghaiDay(0) } });
    expect(res.body.phases.map((p: Json) => p.name)).toEqual(['动员部署', '自查自纠', '督导检查（集中整治）', '巩固提升']);
    campaignId = res.body.id;
    expect(await cases.query(`SELECT type FROM outbox_event WHERE type = 'campaign.created'`)).toHaveLength(1);
  });

  it('refuses overlapping phases, agencies other than medical insurance and regions outside the caller’s reach', async () => {
    const overlapping = { ...campaign, phases: [campaign.phases[0], { ...campaign.phases[1], startsOn: shanghaiDay(-1) }, ...campaign.phases.slice(2)] };
    const bad = await api.call('POST', '/campaigns', await as('zhangye-mi-officer'), overlapping);
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'phases.1.startsOn', codes: ['phasesOverlap'] }] });
    expect((await api.call('POST', '/campaigns', await as('zhangye-police-officer'), campaign)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await api.call('POST', '/campaigns', await as('ganzhou-mi-officer'), campaign)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await api.call('POST', '/campaigns', await as('h62070200001'), campaign)).status).toBe(403);
    const [{ n }] = await cases.query(`SELECT count(*)::int AS n FROM campaign`);
    expect(n).toBe(1);
  });

  it('shows the campaign to the bureaus, offices and institutions it covers, and to nobody else', async () => {
    for (const user of ['zhangye-lgo-officer', 'ganzhou-mi-officer', 'linze-lgo-officer', 'h62070200001', 'h62072300004']) {
      const list = await api.call('GET', '/campaigns', await as(user));
      expect({ user, total: list.body.total, ids: list.body.items.map((c: Json) => c.id) }).toEqual({ user, total: 1, ids: [campaignId] });
      expect((await api.call('GET', `/campaigns/${campaignId}`, await as(user))).status).toBe(200);
    }
    for (const user of ['zhangye-police-officer', 'ganzhou-finance-officer', 'zhangye-procuratorate-officer']) {
      expect((await api.call('GET', '/campaigns', await as(user))).body).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
      expect((await api.call('GET', `/campaigns/${campaignId}`, await as(user))).status).toBe(404);
    }
  });

  it('refuses to open a ledger outside the self-inspection phase, and says when it runs', async () => {
    const later = { ...campaign, name: '下一轮专项整治', startsOn: shanghaiDay(20), endsOn: shanghaiDay(90), auditPeriodTo: shanghaiDay(19), phases: [{ kind: 'self_inspection', startsOn: shanghaiDay(20), endsOn: shanghaiDay(30) }] };
    const created = await api.call('POST', '/campaigns', await as('ganzhou-mi-head'), { ...later, regionCode: undefined });
    expect(created.body).toMatchObject({ regionCode: '620702', stage: 'not_started', filingOpen: false });
    const res = await api.call('POST', `/campaigns/${created.body.id}/ledgers`, await as('h62070200001'), body('h62070200001'));
    expect(res.body).toMatchObject({ status: 409, code: 'FILING_CLOSED', selfInspection: { startsOn: shanghaiDay(20), endsOn: shanghaiDay(30) } });
    // A Linze institution is not in Ganzhou's campaign at all.
    expect((await api.call('POST', `/campaigns/${created.body.id}/ledgers`, await as('h62072300001'), body('h62072300001'))).status).toBe(404);
  });

  it('lets institutions file with the institution block taken from the register, not from themselves', async () => {
    for (const who of Object.keys(filings)) {
      const res = await api.call('POST', `/campaigns/${campaignId}/ledgers`, await as(who), body(who));
      expect({ who, status: res.status }).toEqual({ who, status: 201 });
      expect(res.body).toMatchObject({ status: 'draft', institution: { code: who.toUpperCase(), kind: filings[who].kind, regionCode: filings[who].region }, allowedActions: ['update', 'submit'] });
      ledgerIds[who] = res.body.id;
    }
    const own = await api.call('GET', `/ledgers/${ledgerIds.h62070200004}`, await as('h62070200004'));
    expect(own.body.institution).toMatchObject({ name: '张掖康泰医院（示例民营）', ownership: 'private', level: '2' });
    // The institution cannot claim another name or kind: unknown fields are refused.
    const forged = await api.call('PUT', `/ledgers/${ledgerIds.h62070200004}`, await as('h62070200004'), { ...body('h62070200004'), institution: { name: '某三级公立医院', ownership: 'public' } });
    expect(forged.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const twice = await api.call('POST', `/campaigns/${campaignId}/ledgers`, await as('h62070200001'), body('h62070200001'));
    expect(twice.body).toMatchObject({ status: 409, code: 'LEDGER_EXISTS', ledgerId: ledgerIds.h62070200001 });
  });

  it('refuses inconsistent rows: refunds above the violating funds, money in float, an unrectified row without a reason', async () => {
    const token = await as('h62070200006');
    const over = await api.call('PUT', `/ledgers/${ledgerIds.h62070200006}`, token, { insuranceTypes: ['employees'], problems: [problem({ violatingEmployeesFen: 100, refundedEmployeesFen: 101 })] });
    // Each refusal of the service's own rules names the rule and its amounts, for clients that say it in their words.
    expect(over.body).toMatchObject({
      status: 400,
      errors: [{ field: 'problems.0.refundedEmployeesFen', codes: ['refundAboveViolating'], params: { refundAboveViolating: { refundedFen: 101, violatingFen: 100 } } }],
    });
    const float = await api.call('PUT', `/ledgers/${ledgerIds.h62070200006}`, token, { insuranceTypes: ['employees'], problems: [problem({ violatingEmployeesFen: 12.5 })] });
    expect(float.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const noReason = await api.call('PUT', `/ledgers/${ledgerIds.h62070200006}`, token, { insuranceTypes: ['employees'], problems: [problem({ violatingEmployeesFen: 100, rectified: false })] });
    expect(noReason.body.errors[0].messages.join(' ')).toMatch(/needs the reason/);
    expect(noReason.body.errors[0]).toMatchObject({ field: 'problems.0.reason', codes: ['reasonNeeded'] });
    // Nothing of the refused writes stuck.
    const still = await api.call('GET', `/ledgers/${ledgerIds.h62070200006}`, token);
    expect(still.body.problems).toHaveLength(1);
    expect(still.body.problems[0].violatingEmployeesFen).toBe(12_300);
  });

  it('an institution cannot read, list, change or export another institution’s ledger', async () => {
    const other = await as('h62070200002');
    expect((await api.call('GET', `/ledgers/${ledgerIds.h62070200001}`, other)).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await api.call('PUT', `/ledgers/${ledgerIds.h62070200001}`, other, body('h62070200001'))).status).toBe(404);
    expect((await api.call('POST', `/ledgers/${ledgerIds.h62070200001}/steps`, other, { action: 'submit' })).status).toBe(404);
    expect((await download(`/ledgers/${ledgerIds.h62070200001}/annex3.xlsx`, 'h62070200002')).status).toBe(404);
    expect((await api.call('GET', `/campaigns/${campaignId}/ledgers`, await as('h62070200001'))).body.items.map((l: Json) => l.id)).toEqual([ledgerIds.h62070200001]);
    expect((await api.call('GET', `/campaigns/${campaignId}/ledgers`, other)).body).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    expect((await api.call('GET', `/campaigns/${campaignId}/summary`, other)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('takes submissions, a return for correction with reasons, the corrected resubmission and acceptance', async () => {
    for (const who of Object.keys(filings)) {
      const res = await api.call('POST', `/ledgers/${ledgerIds[who]}/steps`, await as(who), { action: 'submit' });
      expect({ who, status: res.body.status }).toEqual({ who, status: 'submitted' });
    }
    const b = ledgerIds.h62070200004;
    for (const note of [undefined, '   ']) {
      expect((await api.call('POST', `/ledgers/${b}/steps`, await as('ganzhou-mi-officer'), { action: 'return', note })).body).toMatchObject({ status: 400, errors: [{ field: 'note', codes: ['returnNeedsReasons'] }] });
    }
    const returned = await api.call('POST', `/ledgers/${b}/steps`, await as('ganzhou-mi-officer'), { action: 'return', note: '违规金额与结算数据不符，请核实后重新报送' });
    expect(returned.body).toMatchObject({ status: 'returned', returnReasons: '违规金额与结算数据不符，请核实后重新报送', allowedActions: [] });
    const seen = await api.call('GET', `/ledgers/${b}`, await as('h62070200004'));
    expect(seen.body).toMatchObject({ status: 'returned', returnReasons: '违规金额与结算数据不符，请核实后重新报送', allowedActions: ['update', 'resubmit'] });
    // The correction: the amount was 45,678 fen, it is 56,789.
    filings.h62070200004.problems[0].violatingEmployeesFen = 56_789;
    // Meanwhile the register re-grades the hospital: the corrected ledger carries the register's level, not the draft's.
    await agencies.query(`UPDATE institution SET level = '3' WHERE code = 'H62070200004'`);
    const corrected = await api.call('PUT', `/ledgers/${b}`, await as('h62070200004'), { ...body('h62070200004'), updatedAt: seen.body.updatedAt });
    expect(corrected.body).toMatchObject({ totals: { violatingEmployeesFen: 56_789 }, institution: { level: '3', ownership: 'private' } });
    // A second editor who loaded the ledger before that save does not overwrite it.
    const stale = await api.call('PUT', `/ledgers/${b}`, await as('h62070200004'), { insuranceTypes: ['employees'], problems: [], updatedAt: seen.body.updatedAt });
    expect(stale.body).toMatchObject({ status: 409, code: 'LEDGER_CHANGED', updatedAt: corrected.body.updatedAt });
    expect((await api.call('GET', `/ledgers/${b}`, await as('h62070200004'))).body.totals).toMatchObject({ problems: 1, violatingEmployeesFen: 56_789 });
    expect((await api.call('POST', `/ledgers/${b}/steps`, await as('h62070200004'), { action: 'resubmit' })).body.status).toBe('resubmitted');
    // The city bureau reviews the ledgers of its districts too.
    expect((await api.call('POST', `/ledgers/${b}/steps`, await as('zhangye-mi-officer'), { action: 'accept' })).body).toMatchObject({ status: 'accepted', returnReasons: null });

    for (const [who, user] of [
      ['h62070200001', 'ganzhou-mi-officer'],
      ['h62070200006', 'ganzhou-mi-head'],
      ['h62072300001', 'linze-mi-officer'],
      ['h62072300004', 'linze-mi-head'],
    ]) {
      expect((await api.call('POST', `/ledgers/${ledgerIds[who]}/steps`, await as(user), { action: 'accept' })).body.status).toBe('accepted');
    }
    const history = (await api.call('GET', `/ledgers/${b}`, await as('ganzhou-mi-officer'))).body.history.map((s: Json) => `${s.action}:${s.toStatus}`);
    expect(history).toEqual(['create:draft', 'submit:submitted', 'return:returned', 'update:returned', 'resubmit:resubmitted', 'accept:accepted']);
    const events = (await cases.query(`SELECT type FROM outbox_event WHERE envelope->'payload'->>'ledgerId' = $1 ORDER BY seq`, [b])).map((r: Json) => r.type);
    expect(events).toEqual(['ledger.created', 'ledger.submitted', 'ledger.returned', 'ledger.resubmitted', 'ledger.accepted']);
    const audited = (await cases.query(`SELECT action, actor_kind FROM audit_log WHERE target = $1 ORDER BY id`, [b])).map((r: Json) => `${r.actor_kind}:${r.action}`);
    expect(audited).toEqual(['institution:ledger.create', 'institution:ledger.submit', 'officer:ledger.return', 'institution:ledger.update', 'institution:ledger.resubmit', 'officer:ledger.accept']);
  });

  it('refuses review by anyone but the bureau over the institution’s region, and steps out of order', async () => {
    const pending = ledgerIds.h62070200003;
    expect((await api.call('POST', `/ledgers/${pending}/steps`, await as('linze-mi-officer'), { action: 'accept' })).status).toBe(404);
    expect((await api.call('POST', `/ledgers/${pending}/steps`, await as('zhangye-lgo-officer'), { action: 'accept' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await api.call('POST', `/ledgers/${pending}/steps`, await as('h62070200003'), { action: 'accept' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await api.call('GET', `/ledgers/${pending}`, await as('ganzhou-police-officer'))).status).toBe(404);
    expect((await api.call('GET', `/ledgers/${pending}`, await as('ganzhou-health-officer'))).status).toBe(404);
    expect((await api.call('GET', `/campaigns/${campaignId}/ledgers`, await as('ganzhou-police-officer'))).status).toBe(404);
    const again = await api.call('POST', `/ledgers/${ledgerIds.h62070200001}/steps`, await as('ganzhou-mi-officer'), { action: 'accept' });
    expect(again.body).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', current: 'accepted' });
    expect((await api.call('PUT', `/ledgers/${ledgerIds.h62070200001}`, await as('h62070200001'), body('h62070200001'))).body).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION' });
    // The leading-group office reads all of its region.
    const lgo = await api.call('GET', `/campaigns/${campaignId}/ledgers?pageSize=200`, await as('zhangye-lgo-officer'));
    expect(lgo.body.total).toBe(Object.keys(filings).length);
  });

  it('records refunds and rectification after acceptance as history, forward only', async () => {
    const b = ledgerIds.h62070200004;
    const token = await as('h62070200004');
    const backwards = await api.call('POST', `/ledgers/${b}/progress`, token, { problems: [{ seq: 1, refundedEmployeesFen: 56_790, refundedResidentsFen: 0, rectified: true }] });
    expect(backwards.body).toMatchObject({
      status: 400,
      errors: [{ field: 'problems.0.refundedEmployeesFen', codes: ['refundAboveViolating'], params: { refundAboveViolating: { refundedFen: 56_790, violatingFen: 56_789 } } }],
    });
    const res = await api.call('POST', `/ledgers/${b}/progress`, token, { problems: [{ seq: 1, refundedEmployeesFen: 56_789, refundedResidentsFen: 0, rectified: true }], note: '已全额退回并完成整改' });
    expect(res.status).toBe(200);
    Object.assign(filings.h62070200004.problems[0], { refundedEmployeesFen: 56_789, rectified: true, reason: undefined });
    expect(res.body).toMatchObject({ status: 'accepted', totals: { refundedEmployeesFen: 56_789, rectified: 1, notRectified: 0 } });
    // Rectified, the row no longer gives a reason why it is not (Annex 3's 整改中或未整改请备注原因).
    expect(res.body.problems[0]).toMatchObject({ rectified: true, reason: null });
    const last = res.body.history.at(-1);
    expect(last).toMatchObject({ action: 'progress', note: '已全额退回并完成整改', changes: [{ seq: 1, before: { refundedEmployeesFen: 0, rectified: false }, after: { refundedEmployeesFen: 56_789, rectified: true } }] });
    const undo = await api.call('POST', `/ledgers/${b}/progress`, token, { problems: [{ seq: 1, refundedEmployeesFen: 56_789, refundedResidentsFen: 0, rectified: false, reason: '撤回' }] });
    expect(undo.body).toMatchObject({ status: 400, errors: [{ field: 'problems.0.rectified', codes: ['rectifiedStays'] }] });
    const types = async () => (await cases.query(`SELECT type FROM outbox_event WHERE envelope->'payload'->>'ledgerId' = $1 ORDER BY seq`, [b])).map((r: Json) => r.type);
    expect((await types()).slice(-2)).toEqual(['ledger.progress_recorded', 'ledger.rectification_completed']);
    // Done once: a later progress (here, one that repeats it) announces no second completion.
    expect((await api.call('POST', `/ledgers/${b}/progress`, token, { problems: [{ seq: 1, refundedEmployeesFen: 56_789, refundedResidentsFen: 0, rectified: true, reason: '补充说明' }] })).body).toMatchObject({ status: 409, code: 'NOTHING_CHANGED' });
    expect((await types()).filter((t: string) => t === 'ledger.rectification_completed')).toHaveLength(1);
  });

  it('lists ledgers with filters, sorting and paging', async () => {
    const token = await as('zhangye-mi-officer');
    const page = await api.call('GET', `/campaigns/${campaignId}/ledgers?page=1&pageSize=2&sort=-violatingFen`, token);
    expect(page.body).toMatchObject({ total: 6, page: 1, pageSize: 2 });
    expect(page.body.items.map((l: Json) => l.institution.code)).toEqual(['H62072300001', 'H62070200001']);
    const second = await api.call('GET', `/campaigns/${campaignId}/ledgers?page=2&pageSize=2&sort=-violatingFen`, token);
    expect(second.body).toMatchObject({ total: 6, page: 2, pageSize: 2 });
    expect(second.body.items.map((l: Json) => l.institution.code)).toEqual(['H62070200003', 'H62070200004']);
    // Without a sort: by institution code, the first page of 20.
    const byCode = await api.call('GET', `/campaigns/${campaignId}/ledgers`, token);
    expect(byCode.body).toMatchObject({ total: 6, page: 1, pageSize: 20 });
    expect(byCode.body.items.map((l: Json) => l.institution.code)).toEqual([...byCode.body.items.map((l: Json) => l.institution.code)].sort());
    const pharmacies = await api.call('GET', `/campaigns/${campaignId}/ledgers?kind=pharmacy&regionCode=620723`, token);
    expect(pharmacies.body.items.map((l: Json) => l.institution.code)).toEqual(['H62072300004']);
    const submitted = await api.call('GET', `/campaigns/${campaignId}/ledgers?status=submitted`, token);
    expect(submitted.body).toMatchObject({ total: 1, items: [{ institution: { code: 'H62070200003' }, totals: { violatingEmployeesFen: 777_777 } }] });
    const ganzhou = await api.call('GET', `/campaigns/${campaignId}/ledgers?pageSize=200`, await as('ganzhou-mi-officer'));
    expect(new Set(ganzhou.body.items.map((l: Json) => l.institution.regionCode))).toEqual(new Set(['620702']));
  });

  it.each([
    ['campaigns', () => '/campaigns'],
    ['ledgers', () => `/campaigns/${campaignId}/ledgers`],
  ])('refuses a bad page, page size or sort key of the %s list as every list does, with the field named', async (_list, path) => {
    const token = await as('zhangye-mi-officer');
    const refused = async (query: string) => (await api.call('GET', `${path()}?${query}`, token)).body;
    expect(await refused('page=0')).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'page' }] });
    expect(await refused('pageSize=500')).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'pageSize' }] });
    expect(await refused('sort=summary')).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'sort', messages: [expect.stringContaining('with - in front for descending')] }] });
    expect(await refused(`sort=${encodeURIComponent('name; drop table campaign')}`)).toMatchObject({ status: 400, errors: [{ field: 'sort' }] });
    // The old offset/limit/order style is gone, and said so rather than ignored.
    expect(await refused('offset=0&limit=10')).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'offset' }, { field: 'limit' }] });
    // The same mistakes on the transfer list answer the same way.
    expect((await api.call('GET', '/transfers?sort=summary', token)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'sort', messages: [expect.stringContaining('with - in front for descending')] }] });
  });

  it('pages, sorts and searches the campaigns like every list', async () => {
    const token = await as('ganzhou-mi-officer');
    const all = await api.call('GET', '/campaigns?page=1&pageSize=200&sort=name', token);
    expect(all.body).toMatchObject({ page: 1, pageSize: 200 });
    const names = all.body.items.map((c: Json) => c.name);
    expect(names).toEqual([...names].sort());
    expect(all.body.total).toBeGreaterThan(1);
    const first = await api.call('GET', '/campaigns?page=1&pageSize=1&sort=-startsOn', token);
    expect(first.body).toMatchObject({ total: all.body.total, page: 1, pageSize: 1, items: [expect.any(Object)] });
    const latest = [...all.body.items].sort((a: Json, b: Json) => b.startsOn.localeCompare(a.startsOn))[0];
    expect(first.body.items[0].startsOn).toBe(latest.startsOn);
    const found = await api.call('GET', `/campaigns?q=${encodeURIComponent('下一轮')}`, token);
    expect(found.body.items.map((c: Json) => c.name)).toEqual(['下一轮专项整治']);
    expect((await api.call('GET', '/campaigns?q=%25', token)).body.total).toBe(0);
  });

  /** Annex 4 computed here from what the test filed and from the register, not by the service's code. */
  async function expectedSummary(scope: string[]) {
    const designated: { kind: string; region_code: string }[] = await agencies.query(`SELECT kind, region_code FROM institution WHERE agreement_status IN ('active', 'suspended')`);
    const rows = [
      { label: '合计', regions: scope },
      ...(scope.length > 1 ? [{ label: '市本级', regions: ['620700'] }] : []),
      ...[
        ['620702', '甘州区'],
        ['620721', '肃南裕固族自治县'],
        ['620722', '民乐县'],
        ['620723', '临泽县'],
        ['620724', '高台县'],
        ['620725', '山丹县'],
      ]
        .filter(([code]) => scope.includes(code))
        .map(([code, label]) => ({ label, regions: [code] })),
    ];
    const table = (kind: 'hospital' | 'pharmacy') =>
      rows.map((r) => {
        const accepted = Object.values(filings).filter((f) => f.accepted && f.kind === kind && r.regions.includes(f.region));
        const ps = accepted.flatMap((f) => f.problems);
        const sum = (k: keyof Problem) => ps.reduce((s, p) => s + (p[k] as number), 0);
        return [
          r.label,
          designated.filter((d) => d.kind === kind && r.regions.includes(d.region_code)).length,
          accepted.filter((f) => f.problems.length > 0).length,
          ps.length,
          sum('violatingEmployeesFen'),
          sum('violatingResidentsFen'),
          sum('refundedEmployeesFen'),
          sum('refundedResidentsFen'),
          ps.filter((p) => p.rectified).length,
          ps.filter((p) => !p.rectified).length,
        ] as [string, ...number[]];
      });
    return { hospitals: table('hospital'), pharmacies: table('pharmacy') };
  }
  const CITY = ['620700', '620702', '620721', '620722', '620723', '620724', '620725'];

  it('sums the accepted ledgers into Annex 4, with designated institutions counted from the register', async () => {
    // The register changes: a city-level hospital is designated, a Linze pharmacy's agreement is terminated.
    const mi = await as('zhangye-mi-officer');
    expect((await api.call('POST', '/institutions', mi, { code: 'H62070000001', name: '张掖市第二人民医院（示例）', kind: 'hospital', ownership: 'public', level: '3' })).status).toBe(201);
    const [{ id }] = await agencies.query(`SELECT id FROM institution WHERE code = 'H62072300005'`);
    expect((await api.call('POST', `/institutions/${id}/agreement`, mi, { status: 'terminated', effectiveDate: shanghaiDay(0), reason: '协议到期不再续签' })).status).toBe(201);
    // No longer designated, it files no ledger (and is not counted in 定点机构数 below).
    expect((await api.call('POST', `/campaigns/${campaignId}/ledgers`, await as('h62072300005'), { insuranceTypes: ['residents'], problems: [] })).body).toMatchObject({ status: 409, code: 'NOT_DESIGNATED' });

    const res = await api.call('GET', `/campaigns/${campaignId}/summary`, mi);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ regionCode: '620700', reportingAgency: '张掖市医疗保障局', cityName: '张掖市', counts: 'accepted', pending: 1 });
    const asArrays = (rows: Json[]) => rows.map((r) => [r.label, r.designated, r.institutionsWithProblems, r.problems, r.violatingEmployeesFen, r.violatingResidentsFen, r.refundedEmployeesFen, r.refundedResidentsFen, r.rectified, r.notRectified]);
    const expected = await expectedSummary(CITY);
    expect(asArrays(res.body.hospitals)).toEqual(expected.hospitals);
    expect(asArrays(res.body.pharmacies)).toEqual(expected.pharmacies);
    // Spot checks of the independent sums, in case both sides were wrong the same way.
    expect(expected.hospitals[0]).toEqual(['合计', 9, 3, 5, 1_291_356, 4_114_650, 1_291_356, 1_600_099, 4, 1]);
    expect(expected.hospitals[1]).toEqual(['市本级', 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(expected.pharmacies.find((r) => r[0] === '临泽县')).toEqual(['临泽县', 1, 0, 0, 0, 0, 0, 0, 0, 0]);

    // A district bureau summarises its own district (seed 002: 各县医保部门汇总本辖区).
    const district = await api.call('GET', `/campaigns/${campaignId}/summary`, await as('ganzhou-mi-officer'));
    expect(district.body).toMatchObject({ regionCode: '620702', reportingAgency: '甘州区医疗保障局' });
    expect(asArrays(district.body.hospitals)).toEqual((await expectedSummary(['620702'])).hospitals);
    expect((await api.call('GET', `/campaigns/${campaignId}/summary`, await as('zhangye-police-officer'))).status).toBe(404);
  });

  it('lists the designated institutions still to file (none opened, or a draft) for the bureaus and offices of the region, and for nobody else', async () => {
    // One more pharmacy opens its ledger but does not submit it.
    const draft = await api.call('POST', `/campaigns/${campaignId}/ledgers`, await as('h62070200007'), { insuranceTypes: ['residents'], problems: [] });
    expect(draft.status).toBe(201);
    // Expected from the register itself: designated now, not among those that submitted (the filings above).
    const register: { id: string; code: string; region_code: string }[] = await agencies.query(
      `SELECT id, code, region_code FROM institution WHERE agreement_status IN ('active', 'suspended') ORDER BY code`,
    );
    const submitted = Object.keys(filings).map((k) => k.toUpperCase());
    const stillToFile = (regions: string[]) => register.filter((i) => regions.includes(i.region_code) && !submitted.includes(i.code)).map((i) => i.code);

    for (const user of ['zhangye-mi-officer', 'zhangye-lgo-officer']) {
      const res = await api.call('GET', `/campaigns/${campaignId}/unfiled`, await as(user));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ campaignId, regionCode: '620700', designated: register.filter((i) => CITY.includes(i.region_code)).length, submitted: submitted.length });
      expect(res.body.items.map((i: Json) => i.code)).toEqual(stillToFile(CITY));
    }
    const city = (await api.call('GET', `/campaigns/${campaignId}/unfiled`, await as('zhangye-mi-officer'))).body.items as Json[];
    // The hospital designated during the campaign is listed; the pharmacy whose agreement ended is not.
    expect(city.find((i) => i.code === 'H62070000001')).toMatchObject({ kind: 'hospital', regionCode: '620700', ledgerId: null });
    expect(city.some((i) => i.code === 'H62072300005')).toBe(false);
    // The one with a draft, with the draft.
    expect(city.find((i) => i.code === 'H62070200007')).toMatchObject({ name: '甘州区惠民药店（示例）', kind: 'pharmacy', ledgerId: draft.body.id });

    // A district bureau: its own district only.
    const district = await api.call('GET', `/campaigns/${campaignId}/unfiled`, await as('ganzhou-mi-officer'));
    expect(district.body).toMatchObject({ regionCode: '620702' });
    expect(district.body.items.map((i: Json) => i.code)).toEqual(stillToFile(['620702']));
    // Not an institution (it would learn of the others), not the police (the campaign is not theirs to see).
    expect((await api.call('GET', `/campaigns/${campaignId}/unfiled`, await as('h62070200007'))).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await api.call('GET', `/campaigns/${campaignId}/unfiled`, await as('zhangye-police-officer'))).status).toBe(404);
  });

  const cell = (ws: Worksheet, address: string) => ws.getCell(address).value;
  const fen = (v: unknown) => Math.round((v as number) * 100);

  it('exports Annex 4 to xlsx laid out like the printed form, checked cell by cell', async () => {
    const res = await download(`/campaigns/${campaignId}/summary.xlsx`, 'zhangye-lgo-officer');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const name = '附件4_定点医药机构自查自纠汇总情况表_张掖市.xlsx';
    // RFC 5987: an ASCII fallback, then the exact UTF-8 name percent-encoded.
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''(.+)$/);
    expect(decodeURIComponent(res.headers.get('content-disposition')!.split("UTF-8''")[1])).toBe(name);
    const wb = new Workbook();
    await wb.xlsx.load(res.data as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['医疗机构', '零售药店']);
    const expected = await expectedSummary(CITY);
    for (const [ws, suffix, problemsHeader, rows] of [
      [wb.worksheets[0], '-1 医疗机构', '机构自查自纠问题数', expected.hospitals],
      [wb.worksheets[1], '-2 零售药店', '机构自查问题数', expected.pharmacies],
    ] as const) {
      expect(cell(ws, 'A1')).toBe(`张掖市定点医药机构自查自纠汇总情况表${suffix}`);
      expect(ws.getCell('J1').master.address).toBe('A1');
      expect(cell(ws, 'A2')).toBe('填报单位: 张掖市打击欺诈骗保专项整治行动领导小组办公室');
      expect(['A3', 'B3', 'C3', 'D3', 'E3', 'G3', 'I3'].map((a) => cell(ws, a))).toEqual(['地区', '定点机构数', '自查发现问题机构数', problemsHeader, '涉及违规资金(元)', '退回资金(元)', '问题整改情况']);
      expect(['E4', 'F4', 'G4', 'H4', 'I4', 'J4'].map((a) => cell(ws, a))).toEqual(['城镇职工医保', '城乡居民医保', '城镇职工医保', '城乡居民医保', '①已完成整改数', '②未完成整改数']);
      // Merged as in the annex: single headers over two rows, each money or status group over two columns.
      expect(['A4', 'B4', 'C4', 'D4'].map((a) => ws.getCell(a).master.address)).toEqual(['A3', 'B3', 'C3', 'D3']);
      expect(['F3', 'H3', 'J3'].map((a) => ws.getCell(a).master.address)).toEqual(['E3', 'G3', 'I3']);
      expect(ws.getCell('E5').numFmt).toBe('#,##0.00');
      expect(ws.getCell('A5').border.top?.style).toBe('thin');
      expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true });
      expect(rows).toHaveLength(8);
      rows.forEach((r, n) => {
        const row = ws.getRow(5 + n);
        const got = [row.getCell(1).value, ...[2, 3, 4].map((c) => row.getCell(c).value), ...[5, 6, 7, 8].map((c) => fen(row.getCell(c).value)), row.getCell(9).value, row.getCell(10).value];
        expect(got).toEqual(r);
      });
      expect(ws.getRow(13).getCell(1).value).toBeNull();
    }
  });

  it('exports Annex 4 to CSV with a BOM, the same headers and figures in yuan', async () => {
    const res = await download(`/campaigns/${campaignId}/summary.csv`, 'zhangye-mi-officer');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('附件4_定点医药机构自查自纠汇总情况表_张掖市.csv')}`);
    expect([...res.data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines: string[][] = parse(res.data.toString('utf8').slice(1), { relax_column_count: true, skip_empty_lines: false });
    const expected = await expectedSummary(CITY);
    const yuan = (f: number) => (f / 100).toFixed(2);
    const asCsv = (r: (string | number)[]) => r.map((v, i) => (i >= 4 && i <= 7 ? yuan(v as number) : String(v)));
    expect(lines[0]).toEqual(['张掖市定点医药机构自查自纠汇总情况表-1 医疗机构']);
    expect(lines[1]).toEqual(['填报单位: 张掖市医疗保障局']);
    expect(lines[2]).toEqual(['地区', '定点机构数', '自查发现问题机构数', '机构自查自纠问题数', '涉及违规资金(元)', '', '退回资金(元)', '', '问题整改情况', '']);
    expect(lines[3]).toEqual(['', '', '', '', '城镇职工医保', '城乡居民医保', '城镇职工医保', '城乡居民医保', '①已完成整改数', '②未完成整改数']);
    expect(lines.slice(4, 12)).toEqual(expected.hospitals.map(asCsv));
    expect(lines[12]).toEqual(['']);
    expect(lines[13]).toEqual(['张掖市定点医药机构自查自纠汇总情况表-2 零售药店']);
    expect(lines[15][3]).toBe('机构自查问题数');
    expect(lines.slice(17, 25)).toEqual(expected.pharmacies.map(asCsv));
    expect(lines[4].slice(0, 5)).toEqual(['合计', '9', '3', '5', '12913.56']);
  });

  it('exports an institution’s Annex 3 ledger to xlsx and CSV, checked cell by cell', async () => {
    const id = ledgerIds.h62070200001;
    const res = await download(`/ledgers/${id}/annex3.xlsx`, 'h62070200001');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('附件3_定点医药机构自查自纠问题台账_H62070200001_张掖市人民医院.xlsx')}`);
    const wb = new Workbook();
    await wb.xlsx.load(res.data as never);
    const ws = wb.worksheets[0];
    expect(cell(ws, 'A1')).toBe('张掖市定点医药机构自查自纠问题台账');
    expect(cell(ws, 'A2')).toBe('机构信息：名称张掖市人民医院；类别①（①定点医疗机构；②定点零售药店）');
    expect(cell(ws, 'A3')).toBe('性质①（①公立；②民营）；级别①（①三级；②二级；③一级及以下）；医保类型①②（①城镇职工 ②城乡居民）');
    expect(['A4', 'B4', 'C4', 'D4', 'F4', 'H4', 'I4'].map((a) => cell(ws, a))).toEqual(['序号', '问题类别', '问题内容', '涉及违规资金（元）', '退回资金（元）', '整改情况 ①已完成整改 ②未完成整改', '整改中或未整改请备注原因']);
    expect(['D5', 'E5', 'F5', 'G5'].map((a) => cell(ws, a))).toEqual(['城镇职工医保', '城乡居民医保', '城镇职工医保', '城乡居民医保']);
    expect(['A5', 'B5', 'C5', 'H5', 'I5', 'E4', 'G4'].map((a) => ws.getCell(a).master.address)).toEqual(['A4', 'B4', 'C4', 'H4', 'I4', 'D4', 'F4']);
    filings.h62070200001.problems.forEach((p, n) => {
      const row = ws.getRow(6 + n);
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, ...[4, 5, 6, 7].map((c) => fen(row.getCell(c).value)), row.getCell(8).value, row.getCell(9).value]).toEqual([
        n + 1,
        p.category,
        p.content,
        p.violatingEmployeesFen,
        p.violatingResidentsFen,
        p.refundedEmployeesFen,
        p.refundedResidentsFen,
        p.rectified ? '①已完成整改' : '②未完成整改',
        p.reason ?? '',
      ]);
    });
    expect(cell(ws, 'A8')).toBe('注：1. 本表由定点医药机构填写，报送各级医保部门汇总。');

    // A pharmacy leaves ownership and level blank (note 2 of the annex); the bureau may export it.
    const pharmacy = await download(`/ledgers/${ledgerIds.h62070200006}/annex3.csv`, 'ganzhou-mi-officer');
    expect(pharmacy.status).toBe(200);
    expect([...pharmacy.data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines: string[][] = parse(pharmacy.data.toString('utf8').slice(1), { relax_column_count: true });
    expect(lines[1]).toEqual(['机构信息：名称甘州区百姓大药房（示例）；类别②（①定点医疗机构；②定点零售药店）']);
    expect(lines[2]).toEqual(['性质____（①公立；②民营）；级别____（①三级；②二级；③一级及以下）；医保类型①②（①城镇职工 ②城乡居民）']);
    expect(lines[3]).toEqual(['序号', '问题类别', '问题内容', '涉及违规资金（元）', '', '退回资金（元）', '', '整改情况 ①已完成整改 ②未完成整改', '整改中或未整改请备注原因']);
    expect(lines[5]).toEqual(['1', filings.h62070200006.problems[0].category, '以保健品串换药品结算', '123.00', '45.00', '123.00', '45.00', '①已完成整改', '']);

    // Quotes and commas in a cell survive the CSV.
    const kt = parse((await download(`/ledgers/${ledgerIds.h62070200004}/annex3.csv`, 'h62070200004')).data.toString('utf8').slice(1), { relax_column_count: true }) as string[][];
    expect(kt[5].slice(2, 4)).toEqual(['护理费与床位费重复收取, "含引号,逗号"', '567.89']);
    const [{ n }] = await cases.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ledger.export'`);
    expect(n).toBe(3);
  });

  it('seeds the demo campaign through the cases service once, open for filing on the day it is loaded', async () => {
    const [o] = await agencies.query(`SELECT a.id, a.agency_id, a.roles FROM account a WHERE a.username = 'zhangye-mi-officer'`);
    const actor = { kind: 'officer' as const, id: o.id, agencyId: o.agency_id, agencyKind: AgencyKind.MEDICAL_INSURANCE, regionCode: '620700', roles: o.roles };
    const rpc = platform.gateway.get(RpcClient);
    const first = await seedDemoCampaign(rpc, actor);
    expect(first).toMatchObject({ created: true, campaign: { regionCode: '620700', filingOpen: true, currentPhase: { kind: 'self_inspection' } } });
    expect((await seedDemoCampaign(rpc, actor)).created).toBe(false);
    const seen = await api.call('GET', `/campaigns/${first.campaign.id}`, await as('h62072300005'));
    expect(seen.body).toMatchObject({ id: first.campaign.id, filingOpen: true });
  });

  it('lets a returned ledger be corrected only while the campaign runs, and records progress after it', async () => {
    const own = { ...campaign, name: '甘州区医保基金自查自纠（测试）', regionCode: '620702' };
    const c = (await api.call('POST', '/campaigns', await as('ganzhou-mi-officer'), own)).body;
    const bureau = await as('ganzhou-mi-officer');
    const hospital = await as('h62070200005');
    const pharmacy = await as('h62070200007');
    const filing = { insuranceTypes: ['employees'], problems: [problem({ violatingEmployeesFen: 5_000, rectified: false, reason: '整改中' })] };
    const returned = (await api.call('POST', `/campaigns/${c.id}/ledgers`, hospital, filing)).body;
    await api.call('POST', `/ledgers/${returned.id}/steps`, hospital, { action: 'submit' });
    await api.call('POST', `/ledgers/${returned.id}/steps`, bureau, { action: 'return', note: '请补充整改措施' });
    const accepted = (await api.call('POST', `/campaigns/${c.id}/ledgers`, pharmacy, filing)).body;
    await api.call('POST', `/ledgers/${accepted.id}/steps`, pharmacy, { action: 'submit' });
    expect((await api.call('POST', `/ledgers/${accepted.id}/steps`, bureau, { action: 'accept' })).body.status).toBe('accepted');

    // Time passes: the whole campaign now lies 100 days in the past.
    await cases.query(`UPDATE campaign SET starts_on = starts_on - 100, ends_on = ends_on - 100, audit_period_to = audit_period_to - 100 WHERE id = $1`, [c.id]);
    await cases.query(`UPDATE campaign_phase SET starts_on = starts_on - 100, ends_on = ends_on - 100 WHERE campaign_id = $1`, [c.id]);
    expect((await api.call('GET', `/campaigns/${c.id}`, hospital)).body).toMatchObject({ stage: 'ended', currentPhase: null, filingOpen: false });
    expect((await api.call('POST', `/ledgers/${returned.id}/steps`, hospital, { action: 'resubmit' })).body).toMatchObject({ status: 409, code: 'CAMPAIGN_CLOSED' });
    expect((await api.call('PUT', `/ledgers/${returned.id}`, hospital, filing)).body).toMatchObject({ status: 409, code: 'CAMPAIGN_CLOSED' });
    expect((await api.call('GET', `/ledgers/${returned.id}`, hospital)).body).toMatchObject({ status: 'returned', allowedActions: [] });
    expect((await api.call('GET', `/ledgers/${accepted.id}`, pharmacy)).body).toMatchObject({ status: 'accepted', allowedActions: ['progress'] });
    // A new ledger: the self-inspection phase is over.
    expect((await api.call('POST', `/campaigns/${c.id}/ledgers`, await as('h62070200002'), { insuranceTypes: ['employees'], problems: [] })).body).toMatchObject({ status: 409, code: 'FILING_CLOSED' });

    // Refunds and rectification are tracked until done, after the campaign too.
    const progress = await api.call('POST', `/ledgers/${accepted.id}/progress`, pharmacy, { problems: [{ seq: 1, refundedEmployeesFen: 2_000, refundedResidentsFen: 0, rectified: false, reason: '已退回部分资金' }] });
    expect(progress.body).toMatchObject({ status: 'accepted', totals: { refundedEmployeesFen: 2_000, notRectified: 1 } });
    expect(progress.body.problems[0].reason).toBe('已退回部分资金');
    const again = await api.call('POST', `/ledgers/${accepted.id}/progress`, pharmacy, { problems: [{ seq: 1, refundedEmployeesFen: 2_000, refundedResidentsFen: 0, rectified: false }] });
    expect(again.body).toMatchObject({ status: 409, code: 'NOTHING_CHANGED' });
  });

  it('documents the routes in OpenAPI, with the list filters and the file types of the downloads', async () => {
    const doc: Json = await (await fetch(`${platform.url}/api/docs-json`)).json();
    for (const path of ['/api/v1/campaigns', '/api/v1/campaigns/{id}', '/api/v1/campaigns/{id}/ledgers', '/api/v1/campaigns/{id}/unfiled', '/api/v1/campaigns/{id}/summary', '/api/v1/campaigns/{id}/summary.xlsx', '/api/v1/campaigns/{id}/summary.csv', '/api/v1/ledgers/{id}', '/api/v1/ledgers/{id}/steps', '/api/v1/ledgers/{id}/progress', '/api/v1/ledgers/{id}/annex3.xlsx', '/api/v1/ledgers/{id}/annex3.csv']) {
      expect({ path, documented: path in doc.paths }).toEqual({ path, documented: true });
    }
    const params = doc.paths['/api/v1/campaigns/{id}/ledgers'].get.parameters.map((p: Json) => p.name);
    expect(params).toEqual(expect.arrayContaining(['id', 'status', 'kind', 'regionCode', 'q', 'sort', 'page', 'pageSize']));
    expect(params).not.toEqual(expect.arrayContaining(['offset']));
    expect(Object.keys(doc.paths['/api/v1/campaigns/{id}/summary.xlsx'].get.responses['200'].content)).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(doc.components.schemas.LedgerProblemDto.required).toEqual(expect.arrayContaining(['category', 'content', 'violatingEmployeesFen', 'rectified']));
  });
  it('takes nothing more from an institution whose agreement ended after it opened its ledger', async () => {
    const own = { ...campaign, name: '甘州区医保基金自查自纠（协议解除测试）', regionCode: '620702' };
    const c = (await api.call('POST', '/campaigns', await as('ganzhou-mi-officer'), own)).body;
    const hospital = await as('h62070200002');
    const filing = { insuranceTypes: ['employees'], problems: [problem({ violatingEmployeesFen: 8_000 })] };
    const draft = (await api.call('POST', `/campaigns/${c.id}/ledgers`, hospital, filing)).body;
    expect(draft.status).toBe('draft');
    const [{ id }] = await agencies.query(`SELECT id FROM institution WHERE code = 'H62070200002'`);
    expect((await api.call('POST', `/institutions/${id}/agreement`, await as('ganzhou-mi-officer'), { status: 'terminated', effectiveDate: shanghaiDay(0), reason: '欺诈骗保，解除服务协议' })).status).toBe(201);
    expect((await api.call('PUT', `/ledgers/${draft.id}`, hospital, { ...filing, problems: [problem({ violatingEmployeesFen: 9_000 })] })).body).toMatchObject({ status: 409, code: 'NOT_DESIGNATED' });
    expect((await api.call('POST', `/ledgers/${draft.id}/steps`, hospital, { action: 'submit' })).body).toMatchObject({ status: 409, code: 'NOT_DESIGNATED' });
    expect((await api.call('GET', `/ledgers/${draft.id}`, hospital)).body).toMatchObject({ status: 'draft', totals: { violatingEmployeesFen: 8_000 } });
  });
  it('counts in Annex 4 only the designated institutions of the kinds a campaign targets', async () => {
    const hospitalsOnly = { ...campaign, name: '甘州区医院自查自纠（仅医院）', regionCode: '620702', targets: ['hospital'] };
    const c = (await api.call('POST', '/campaigns', await as('ganzhou-mi-officer'), hospitalsOnly)).body;
    const summary = (await api.call('GET', `/campaigns/${c.id}/summary`, await as('ganzhou-mi-officer'))).body;
    expect(summary.pharmacies.map((r: Json) => r.designated)).toEqual(summary.pharmacies.map(() => 0));
    expect(summary.hospitals[0].designated).toBe((await api.call('GET', `/campaigns/${c.id}/unfiled`, await as('ganzhou-mi-officer'))).body.designated);
    expect(summary.hospitals[0].designated).toBeGreaterThan(0);
  });
});
