import { DataSource } from 'typeorm';
import { shanghaiDate } from '@lianban/clocks';
import { TestIsolation } from '@lianban/testing';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * The leading-group office's statistics through the gateway: every figure is checked against
 * what this suite itself created (a platform of its own, so nothing else is counted), for the
 * city and for one district, and for a period in which nothing happened.
 */
describe('statistics for the leading-group office, end to end', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];
  const today = shanghaiDate(new Date());

  /** The suite's own tally, per district: what it created, counted as it goes. */
  const made = {
    '620702': { clues: {} as Record<string, number>, cases: 0, closed: 0, transfers: [] as { route: string; state: string }[], money: {} as Record<string, number>, fines: 0 },
    '620723': { clues: {} as Record<string, number>, cases: 0, closed: 0, transfers: [] as { route: string; state: string }[], money: {} as Record<string, number>, fines: 0 },
  };
  type District = keyof typeof made;
  const officerOf: Record<District, string> = { '620702': 'ganzhou', '620723': 'linze' };

  async function clue(d: District, source: string) {
    const res = await api.call('POST', '/clues', await as(`${officerOf[d]}-mi-officer`), {
      source,
      subject: { kind: 'institution', name: '统计用医院', institutionCode: d === '620702' ? 'H62070200001' : 'H62072300001' },
      categories: ['H04'],
      periodFrom: '2025-01-01',
      periodTo: '2025-06-30',
      description: '统计用线索，核查中。',
    });
    expect(res.status).toBe(201);
    made[d].clues[source] = (made[d].clues[source] ?? 0) + 1;
  }

  async function kase(d: District) {
    const p = officerOf[d];
    const res = await api.call('POST', '/cases', await as(`${p}-mi-officer`), {
      title: '统计用案件（分解住院）',
      partyName: '统计用医院',
      facts: '统计用案件，分解住院。',
      documentNumber: '统〔2026〕1号',
      officerIds: [ids[`${p}-mi-officer`], ids[`${p}-mi-officer2`]],
    });
    expect(res.status).toBe(201);
    made[d].cases++;
    return res.body as Json;
  }

  async function money(d: District, caseId: string, kind: string, amountFen: number) {
    expect((await api.call('POST', `/cases/${caseId}/money`, await as(`${officerOf[d]}-mi-officer`), { kind, amountFen })).status).toBe(201);
    made[d].money[kind] = (made[d].money[kind] ?? 0) + amountFen;
  }

  async function transfer(d: District, route: string, receiver: string, send: boolean) {
    const p = officerOf[d];
    const t = await api.call('POST', '/transfers', await as(`${p}-mi-officer`), {
      route,
      receiverAgencyId: ids[receiver],
      title: '统计用移送案件',
      summary: '统计用移送，涉嫌违法违规使用医保基金。',
      teamOfficerIds: [ids[`${p}-mi-officer`], ids[`${p}-mi-officer2`]],
    });
    expect(t.status).toBe(201);
    let state = 'drafted';
    if (send) {
      for (const [user, body] of [
        [`${p}-mi-officer`, { action: 'submit' }],
        [`${p}-mi-head`, { action: 'approve' }],
        [`${p}-mi-officer`, { action: 'send', documentNumber: '统移〔2026〕1号' }],
      ] as const) {
        state = (await api.call('POST', `/transfers/${t.body.id}/steps`, await as(user), body)).body.state;
      }
      expect(state).toBe('sent');
    }
    made[d].transfers.push({ route, state });
    return t.body as Json;
  }

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, ids, as } = platform);

    await clue('620702', 'big_data');
    await clue('620702', 'big_data');
    await clue('620702', 'inspection');
    await clue('620723', 'inspection');

    const a = await kase('620702');
    await money('620702', a.id, 'violating_employees', 1_000_000);
    await money('620702', a.id, 'violating_residents', 500_050);
    await money('620702', a.id, 'refunded', 300_000);
    // Case A is decided: a closed case with its fine, then paid.
    const penalty = { violationKind: 'violation', lossFen: 1_000_000, refundFen: 1_000_000, fineFen: 1_200_000, agreement: 'none', creditRecord: false };
    for (const [user, body] of [
      ['ganzhou-mi-officer', { action: 'notify_penalty', documentNumber: '统告〔2026〕1号', penalty }],
      ['ganzhou-mi-officer', { action: 'submit_for_review', note: '放弃陈述申辩' }],
      ['ganzhou-mi-legal-reviewer', { action: 'pass_review', note: '同意' }],
      ['ganzhou-mi-head', { action: 'decide', documentNumber: '统罚〔2026〕1号', penalty }],
    ] as const) {
      expect((await api.call('POST', `/cases/${a.id}/steps`, await as(user), body)).status).toBe(201);
    }
    made['620702'].closed++;
    made['620702'].fines += penalty.fineFen;
    await money('620702', a.id, 'fine_paid', 1_200_000);
    const b = await kase('620702');
    const c = await kase('620723');
    await money('620723', c.id, 'violating_employees', 999_999);
    await money('620723', c.id, 'recovered_after_judgment', 7);

    await transfer('620702', 'mi_to_police', '张掖市公安局甘州分局', true);
    await transfer('620702', 'mi_to_police', '张掖市公安局甘州分局', false);
    await transfer('620723', 'mi_to_health', '临泽县卫生健康局', false);

    // Deadlines missed today: one of a transfer (clue-transfer's clock), one of case B (the cases service's).
    const clueTransferDb = platform.services.get('clue-transfer')!.get(DataSource);
    const casesDb = platform.services.get('cases')!.get(DataSource);
    const [sent] = await clueTransferDb.query(`SELECT subject_id FROM clock WHERE step = 'receipt' AND stopped_at IS NULL LIMIT 1`);
    await clueTransferDb.query(`UPDATE clock SET due_at = now() - interval '1 minute' WHERE subject_id = $1 AND step = 'receipt'`, [sent.subject_id]);
    await casesDb.query(`UPDATE clock SET due_at = now() - interval '1 minute' WHERE subject_id = $1 AND step = 'conclusion'`, [b.id]);
    // Overdue since two days ago, still running: overdue now, but not a deadline of today's period.
    await casesDb.query(`UPDATE clock SET due_at = now() - interval '2 days' WHERE subject_id = $1 AND step = 'conclusion'`, [c.id]);
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  /** What the figures must be, computed from the tally alone. */
  /** The transfers a district's bureau sent: a draft is its own business and counts nowhere. */
  const sent = (d: District) => made[d].transfers.filter((t) => t.state !== 'drafted');

  function expected(districts: District[]) {
    const add = (into: Record<string, number>, from: Record<string, number>) => Object.entries(from).forEach(([k, v]) => (into[k] = (into[k] ?? 0) + v));
    const clues: Record<string, number> = {};
    const money: Record<string, number> = {};
    const transfers: Record<string, number> = {};
    let cases = 0;
    let closed = 0;
    let fines = 0;
    for (const d of districts) {
      add(clues, made[d].clues);
      add(money, made[d].money);
      for (const t of sent(d)) transfers[`${t.route}/${t.state}`] = (transfers[`${t.route}/${t.state}`] ?? 0) + 1;
      cases += made[d].cases;
      closed += made[d].closed;
      fines += made[d].fines;
    }
    const m = (k: string) => money[k] ?? 0;
    return {
      cluesBySource: clues,
      casesOpened: cases,
      casesClosed: closed,
      transfers,
      funds: {
        violatingEmployeesFen: m('violating_employees'),
        violatingResidentsFen: m('violating_residents'),
        involvedFen: m('violating_employees') + m('violating_residents'),
        refundedFen: m('refunded'),
        finePaidFen: m('fine_paid'),
        recoveredAfterJudgmentFen: m('recovered_after_judgment'),
        recoveredFen: m('refunded') + m('fine_paid') + m('recovered_after_judgment'),
        finesDecidedFen: fines,
      },
    };
  }

  const stats = async (user: string, regionCode: string, from = today, to = today) => api.call('GET', `/reports/statistics?regionCode=${regionCode}&from=${from}&to=${to}`, await as(user));
  const asCounted = (body: Json) => ({
    cluesBySource: body.cluesBySource,
    casesOpened: body.casesOpened,
    casesClosed: body.casesClosed,
    transfers: Object.fromEntries(body.transfersByRouteAndState.map((t: Json) => [`${t.route}/${t.state}`, t.count])),
    funds: body.funds,
  });

  it('gives the city office the figures of the whole city', async () => {
    const res = await stats('zhangye-lgo-officer', '620700');
    expect(res.status).toBe(200);
    expect(asCounted(res.body)).toEqual(expected(['620702', '620723']));
    // Each missed deadline counts for the agency whose duty it was: the receipt for the police, the conclusion for the bureau.
    expect(res.body.overdueByAgency).toEqual({ [ids['张掖市公安局甘州分局']]: 1, [ids['甘州区医疗保障局']]: 1 });
    // As the city stands now: every transfer sent is still open (the drafts count nowhere); the clocks running past their deadline, however long ago it was.
    expect(sent('620702').length + sent('620723').length).toBe(1);
    expect(res.body.current).toEqual({
      at: expect.any(String),
      openTransfers: sent('620702').length + sent('620723').length,
      overdueByAgency: { [ids['张掖市公安局甘州分局']]: 1, [ids['甘州区医疗保障局']]: 1, [ids['临泽县医疗保障局']]: 1 },
    });
  });

  it('gives a district office its district only', async () => {
    const res = await stats('ganzhou-lgo-officer', '620702');
    expect(asCounted(res.body)).toEqual(expected(['620702']));
    const linze = await stats('linze-lgo-officer', '620723');
    expect(asCounted(linze.body)).toEqual(expected(['620723']));
    expect(linze.body.overdueByAgency).toEqual({});
    expect(res.body.current).toMatchObject({ openTransfers: sent('620702').length, overdueByAgency: { [ids['张掖市公安局甘州分局']]: 1, [ids['甘州区医疗保障局']]: 1 } });
    expect(linze.body.current).toMatchObject({ openTransfers: sent('620723').length, overdueByAgency: { [ids['临泽县医疗保障局']]: 1 } });
  });

  it('counts nothing in a period in which nothing happened', async () => {
    const res = await stats('zhangye-lgo-officer', '620700', '2025-10-01', '2025-12-31');
    expect(res.body).toMatchObject({ cluesBySource: {}, casesOpened: 0, casesClosed: 0, transfersByRouteAndState: [], overdueByAgency: {}, funds: { involvedFen: 0, recoveredFen: 0 } });
    // What stands now does not depend on the period asked.
    expect(res.body.current).toMatchObject({ openTransfers: 1, overdueByAgency: { [ids['临泽县医疗保障局']]: 1 } });
  });

  it('refuses anyone but the region’s leading-group office (or one above it), and bad periods', async () => {
    expect((await stats('ganzhou-lgo-officer', '620700')).status).toBe(403);
    expect((await stats('linze-lgo-officer', '620702')).status).toBe(403);
    for (const user of ['ganzhou-mi-head', 'zhangye-mi-head', 'ganzhou-police-officer', 'zhangye-finance-officer', 'h62070200004']) {
      expect([user, (await stats(user, '620702')).status]).toEqual([user, 403]);
    }
    expect((await stats('zhangye-lgo-officer', '620700', '2026-02-30', '2026-03-31')).status).toBe(400);
    expect((await stats('zhangye-lgo-officer', '620700', '2026-06-30', '2026-04-01')).status).toBe(400);
    expect((await stats('zhangye-lgo-officer', '62070')).status).toBe(400);
  });
});
