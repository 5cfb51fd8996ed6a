import { DataSource } from 'typeorm';
import { eventually, TestIsolation } from '@lianban/testing';
import { ClockService } from '../../clue-transfer/src/clocks/clock.service';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * Transfers between agencies through the gateway, as the officers of each agency: every route
 * and branch of the statutory procedure, who may take which step, and who sees what.
 */
describe('transfers between agencies (行刑衔接), end to end', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let ids: Record<string, string>;

  let as: DemoPlatform['as'];
  const step = async (user: string, transferId: string, body: Record<string, unknown>) => api.call('POST', `/transfers/${transferId}/steps`, await as(user), body);
  const get = async (user: string, transferId: string) => api.call('GET', `/transfers/${transferId}`, await as(user));

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, ids, as } = platform);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  async function draftToPolice(police = '张掖市公安局甘州分局', extra: Record<string, unknown> = {}) {
    const res = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
      route: 'mi_to_police',
      receiverAgencyId: ids[police],
      title: '张掖康泰医院涉嫌虚构医药服务项目骗取医保基金案',
      summary: '经调查，该院2025年1月至6月虚构康复理疗项目，涉及医保基金约38万元，涉嫌诈骗罪。',
      teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body as Json;
  }

  /** Drafted, approved by the head and sent: the state police first see. */
  async function sentToPolice(police?: string) {
    const t = await draftToPolice(police);
    expect((await step('ganzhou-mi-officer', t.id, { action: 'submit' })).body.state).toBe('awaiting_approval');
    expect((await step('ganzhou-mi-head', t.id, { action: 'approve' })).body.state).toBe('approved');
    expect((await step('ganzhou-mi-officer', t.id, { action: 'send', documentNumber: '甘医保移〔2026〕1号' })).body.state).toBe('sent');
    return t;
  }

  it('walks a transfer to police through non-filing, reconsideration, supervision and filing to judgment', async () => {
    const t = await draftToPolice();
    expect(t).toMatchObject({ state: 'drafted', procuratorateAgencyId: ids['甘州区人民检察院'], allowedActions: ['submit'] });

    await step('ganzhou-mi-officer', t.id, { action: 'submit' });
    const submitted = await get('ganzhou-mi-officer', t.id);
    expect(submitted.body.clocks).toEqual([expect.objectContaining({ step: 'approval', status: 'running', stoppedAt: null })]);

    // Only a head approves, and never one of the drafters.
    expect((await step('ganzhou-mi-officer2', t.id, { action: 'approve' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await step('ganzhou-mi-head', t.id, { action: 'approve' })).body.state).toBe('approved');

    // Sending needs the transfer letter's number.
    expect((await step('ganzhou-mi-officer', t.id, { action: 'send' })).body).toMatchObject({ status: 400, errors: [{ field: 'documentNumber', codes: ['stepNeedsDocument'] }] });
    const sent = await step('ganzhou-mi-officer', t.id, { action: 'send', documentNumber: '甘医保移〔2026〕2号', attachments: [{ name: '移送书.pdf', sha256: 'a'.repeat(64) }] });
    expect(sent.body.state).toBe('sent');
    expect(sent.body.clocks.map((c: Json) => [c.step, c.status])).toEqual([
      ['approval', 'stopped'],
      ['sending', 'stopped'],
      ['receipt', 'running'],
    ]);

    // The police station it is addressed to sees it, with its next steps; the statutory copy reaches the procuratorate.
    const inbox = await api.call('GET', '/transfers?state=sent', await as('ganzhou-police-officer'));
    expect(inbox.body.map((x: Json) => x.id)).toContain(t.id);
    expect((await get('ganzhou-police-officer', t.id)).body.allowedActions).toEqual(['receipt']);
    expect((await get('ganzhou-procuratorate-officer', t.id)).body.state).toBe('sent');

    expect((await step('ganzhou-police-officer', t.id, { action: 'receipt' })).body.state).toBe('received');
    expect((await get('ganzhou-police-officer', t.id)).body.clocks.find((c: Json) => c.step === 'filing_decision')).toMatchObject({ status: 'running' });
    expect((await step('ganzhou-police-officer', t.id, { action: 'decline', documentNumber: '甘公不立〔2026〕5号' })).body).toMatchObject({ status: 400, errors: [{ field: 'note', codes: ['stepNeedsNote'] }] });
    expect((await step('ganzhou-police-head', t.id, { action: 'decline', documentNumber: '甘公不立〔2026〕5号', note: '现有证据不足以证明存在犯罪事实' })).body.state).toBe('declined');

    // A step the procedure does not allow now is a 409 that names the allowed ones.
    const illegal = await step('ganzhou-police-officer', t.id, { action: 'file', documentNumber: 'x' });
    expect(illegal.body).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', current: 'declined' });
    expect(illegal.body.allowed.sort()).toEqual(['accept_decline', 'open_supervision', 'request_reconsideration', 'request_supervision']);

    expect((await step('ganzhou-mi-officer', t.id, { action: 'request_reconsideration', note: '已查明虚构诊疗记录312份，请复议' })).body.state).toBe('reconsideration_requested');
    expect((await step('ganzhou-police-head', t.id, { action: 'uphold_decline', note: '维持不予立案决定' })).body.state).toBe('reconsideration_upheld');
    expect((await step('ganzhou-mi-officer', t.id, { action: 'request_supervision', note: '建议检察院开展立案监督' })).body.state).toBe('supervision_requested');
    // Only the procuratorate supervises; medical insurance cannot do it for them.
    expect((await step('ganzhou-mi-head', t.id, { action: 'open_supervision', documentNumber: 'x' })).body.status).toBe(403);
    expect((await step('ganzhou-procuratorate-officer', t.id, { action: 'open_supervision', documentNumber: '甘检要说〔2026〕1号' })).body.state).toBe('under_supervision');
    expect((await get('ganzhou-procuratorate-officer', t.id)).body.clocks.find((c: Json) => c.step === 'explanation')).toMatchObject({ status: 'running' });
    expect((await step('ganzhou-police-head', t.id, { action: 'explain', note: '证据不足' })).body.state).toBe('explanation_given');
    expect((await step('ganzhou-procuratorate-head', t.id, { action: 'order_filing', documentNumber: '甘检通立〔2026〕1号' })).body.state).toBe('filing_ordered');
    expect((await step('ganzhou-police-head', t.id, { action: 'file', documentNumber: '甘公立〔2026〕9号' })).body.state).toBe('filed');
    expect((await step('ganzhou-mi-officer', t.id, { action: 'hand_over', documentNumber: '甘医保交〔2026〕1号' })).body.state).toBe('handed_over');
    expect((await step('ganzhou-police-officer', t.id, { action: 'refer_for_prosecution', documentNumber: '甘公诉〔2026〕3号' })).body.state).toBe('prosecution_review');

    // The court sees the case only once it is sent to trial there.
    expect((await get('ganzhou-court-officer', t.id)).status).toBe(404);
    const prosecuted = await step('ganzhou-procuratorate-officer', t.id, { action: 'prosecute', documentNumber: '甘检诉〔2026〕7号', courtAgencyId: ids['甘州区人民法院'] });
    expect(prosecuted.body).toMatchObject({ state: 'prosecuted', courtAgencyId: ids['甘州区人民法院'] });
    // Its inbox tells the court, which is to record the judgment.
    const inboxOf = async (user: string) => ((await api.call('GET', '/inbox', await as(user))).body as Json[]).filter((n) => n.link === `/transfers/${t.id}`).map((n) => n.kind);
    await eventually(async () => (await inboxOf('ganzhou-court-officer')).includes('transfer.prosecuted'));
    const judged = await step('ganzhou-court-officer', t.id, { action: 'record_judgment', documentNumber: '(2026)甘0702刑初88号', note: '判处有期徒刑三年，追缴医保基金38万元' });
    expect(judged.body).toMatchObject({ state: 'judged', allowedActions: [] });
    // The judgment reaches medical insurance, which sent the case, and the procuratorate.
    for (const user of ['ganzhou-mi-officer', 'ganzhou-procuratorate-officer']) await eventually(async () => (await inboxOf(user)).includes('transfer.judgment_recorded'));

    // Every step is a signed record: who, which agency, when, which document.
    const steps = judged.body.steps as Json[];
    expect(steps.map((s) => s.action)).toEqual([
      'draft', 'submit', 'approve', 'send', 'receipt', 'decline', 'request_reconsideration', 'uphold_decline', 'request_supervision',
      'open_supervision', 'explain', 'order_filing', 'file', 'hand_over', 'refer_for_prosecution', 'prosecute', 'record_judgment',
    ]);
    expect(steps[3]).toMatchObject({ agencyId: ids['甘州区医疗保障局'], documentNumber: '甘医保移〔2026〕2号', attachments: [{ name: '移送书.pdf' }] });
    expect(steps.every((s) => s.actorId && s.agencyId && s.at)).toBe(true);
    expect(judged.body.clocks.every((c: Json) => c.status === 'stopped')).toBe(true);
  }, 30_000);

  it('answers 404 to a police station the transfer was not addressed to, and to other regions', async () => {
    const t = await sentToPolice();
    for (const user of ['linze-police-officer', 'zhangye-police-head', 'linze-procuratorate-officer', 'ganzhou-finance-officer', 'ganzhou-health-officer']) {
      expect({ user, status: (await get(user, t.id)).status }).toEqual({ user, status: 404 });
      expect((await step(user, t.id, { action: 'receipt' })).status).toBe(404);
    }
    expect((await api.call('GET', '/transfers', await as('ganzhou-finance-officer'))).body).toEqual([]);
  });

  /** Whether the caller finds the transfer: its page, and both forms of the list. */
  async function sees(user: string, transferId: string) {
    const token = await as(user);
    const detail = (await api.call('GET', `/transfers/${transferId}`, token)).status;
    const plain = ((await api.call('GET', '/transfers', token)).body as Json[]).some((x) => x.id === transferId);
    const paged = (await api.call('GET', '/transfers?page=1&pageSize=200', token)).body as Json;
    return { user, detail, inList: plain, inPage: paged.items.some((x: Json) => x.id === transferId) };
  }
  const hidden = (user: string) => ({ user, detail: 404, inList: false, inPage: false });
  const shown = (user: string) => ({ user, detail: 200, inList: true, inPage: true });
  /** Everyone outside the sending bureau who reads the transfer once it is sent. */
  const READERS_ONCE_SENT = ['ganzhou-police-officer', 'ganzhou-procuratorate-officer', 'ganzhou-lgo-officer', 'zhangye-lgo-officer'];

  it('keeps a transfer from the police, the procuratorate and the office until it is sent', async () => {
    const t = await draftToPolice();
    const before = async () => {
      for (const user of READERS_ONCE_SENT) expect(await sees(user, t.id)).toEqual(hidden(user));
      // Not even a step reveals it: the addressed station is told "not found", not "wrong state".
      expect((await step('ganzhou-police-officer', t.id, { action: 'receipt' })).status).toBe(404);
      expect(await sees('ganzhou-mi-officer', t.id)).toEqual(shown('ganzhou-mi-officer'));
    };
    await before(); // drafted
    await step('ganzhou-mi-officer', t.id, { action: 'submit' });
    await before(); // awaiting the head's approval
    await step('ganzhou-mi-head', t.id, { action: 'approve' });
    await before(); // approved, not yet sent
    await step('ganzhou-mi-officer', t.id, { action: 'send', documentNumber: '甘医保移〔2026〕30号' });
    for (const user of READERS_ONCE_SENT) expect(await sees(user, t.id)).toEqual(shown(user));

    // One the head refused is never sent: it stays the bureau's.
    const refused = await draftToPolice();
    await step('ganzhou-mi-officer', refused.id, { action: 'submit' });
    expect((await step('ganzhou-mi-head', refused.id, { action: 'reject', note: '证据尚不充分，补充调查后再报' })).body.state).toBe('rejected');
    for (const user of READERS_ONCE_SENT) expect(await sees(user, refused.id)).toEqual(hidden(user));
  }, 30_000);

  it('shows the office an unsent transfer once the head’s deadline ran out and was escalated to it, and still not the police', async () => {
    const t = await draftToPolice();
    await step('ganzhou-mi-officer', t.id, { action: 'submit' });
    expect(await sees('ganzhou-lgo-officer', t.id)).toEqual(hidden('ganzhou-lgo-officer'));
    const db = platform.services.get('clue-transfer')!.get(DataSource);
    await db.query(`UPDATE clock SET due_at = now() - interval '1 minute', due_soon_at = now() - interval '2 minutes' WHERE subject_id = $1 AND step = 'approval'`, [t.id]);
    await platform.services.get('clue-transfer')!.get(ClockService).fireDue();
    // The escalation reaches the district office's inbox, and its link opens.
    const token = await as('ganzhou-lgo-officer');
    await eventually(async () => ((await api.call('GET', '/inbox', token)).body as Json[]).some((n) => n.kind === 'clock.overdue' && n.link === `/transfers/${t.id}`));
    expect(await sees('ganzhou-lgo-officer', t.id)).toEqual(shown('ganzhou-lgo-officer'));
    expect((await get('ganzhou-lgo-officer', t.id)).body).toMatchObject({ state: 'awaiting_approval', allowedActions: [] });
    expect(await sees('zhangye-lgo-officer', t.id)).toEqual(shown('zhangye-lgo-officer'));
    expect(await sees('linze-lgo-officer', t.id)).toEqual(hidden('linze-lgo-officer'));
    for (const user of ['ganzhou-police-officer', 'ganzhou-procuratorate-officer']) expect(await sees(user, t.id)).toEqual(hidden(user));
  }, 30_000);

  it('lets the leading-group office watch every transfer of its region but decide none', async () => {
    const t = await sentToPolice();
    const lgo = await get('zhangye-lgo-officer', t.id);
    expect(lgo.body).toMatchObject({ state: 'sent', allowedActions: [] });
    expect((await step('zhangye-lgo-head', t.id, { action: 'receipt' })).body).toMatchObject({ status: 403 });
    expect((await get('linze-lgo-officer', t.id)).status).toBe(404);
  });

  it('refuses a team of one, a head who drafted, and a route to the wrong kind of agency', async () => {
    const one = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
      route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '单人移送', summary: '只有一名执法人员调查。', teamOfficerIds: [ids['ganzhou-mi-officer']],
    });
    expect(one.body).toMatchObject({ status: 400, errors: [{ field: 'teamOfficerIds', codes: ['teamOfTwo'], params: { teamOfTwo: { min: 2 } } }] });
    // Two enforcement officers (R5): the bureau's administrator is not one; nor does the tip-off desk draft.
    const withAdmin = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
      route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '管理员凑数', summary: '系统管理员不是执法人员。', teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-admin']],
    });
    expect(withAdmin.body).toMatchObject({ status: 400, errors: [{ field: 'teamOfficerIds', codes: ['notOfficersOfAgency'], params: { notOfficersOfAgency: { ids: ids['ganzhou-mi-admin'] } } }] });
    const desk = await api.call('POST', '/transfers', await as('ganzhou-mi-complaint-handler'), { route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '举报受理员起草', summary: '举报受理岗位不办理移送。', teamOfficerIds: [ids['ganzhou-mi-complaint-handler'], ids['ganzhou-mi-officer']] });
    expect(desk.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const wrong = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
      route: 'mi_to_police', receiverAgencyId: ids['甘州区卫生健康局'], title: '错误的接收机关', summary: '卫生健康部门不是公安机关。', teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(wrong.body).toMatchObject({ status: 400, errors: [{ field: 'receiverAgencyId', codes: ['wrongReceiverKind'], params: { wrongReceiverKind: { route: 'mi_to_police', kind: 'HEALTH', allowed: 'POLICE' } } }] });
    const police = await api.call('POST', '/transfers', await as('ganzhou-police-officer'), {
      route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '公安不能走此路径', summary: '公安机关不向公安移送行政案件。',
    });
    expect(police.body).toMatchObject({ status: 403, code: 'ROUTE_NOT_ALLOWED' });

    const byHead = await api.call('POST', '/transfers', await as('ganzhou-mi-head'), {
      route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '负责人参与起草', summary: '负责人是起草人之一，不能自己批准。', teamOfficerIds: [ids['ganzhou-mi-head'], ids['ganzhou-mi-officer']],
    });
    await step('ganzhou-mi-head', byHead.body.id, { action: 'submit' });
    expect((await step('ganzhou-mi-head', byHead.body.id, { action: 'approve' })).body).toMatchObject({ status: 403, code: 'APPROVER_IS_DRAFTER' });
  });

  it('forwards a transfer to the competent police, who then receive it; the first station keeps its record', async () => {
    const t = await sentToPolice();
    await step('ganzhou-police-officer', t.id, { action: 'receipt' });
    const forwarded = await step('ganzhou-police-officer', t.id, { action: 'forward', toAgencyId: ids['临泽县公安局'], note: '案发地在临泽县，依法转送' });
    expect(forwarded.body).toMatchObject({ state: 'sent', receiverAgencyId: ids['临泽县公安局'] });
    expect((await get('linze-police-officer', t.id)).body.allowedActions).toEqual(['receipt']);
    // Medical insurance is told of the forwarding (R7).
    await eventually(async () => ((await api.call('GET', '/inbox', await as('ganzhou-mi-officer'))).body as Json[]).some((n) => n.link === `/transfers/${t.id}` && n.kind === 'transfer.forwarded'));
    expect((await get('ganzhou-police-officer', t.id)).body).toMatchObject({ state: 'sent', allowedActions: [] });
    // Forwarded within the 24 hours: on record as in time, nobody is alerted.
    const db = platform.services.get('clue-transfer')!.get(DataSource);
    expect((await db.query(`SELECT duty_agency_id, stopped_at > due_at AS late, overdue_fired_at FROM clock WHERE subject_id = $1 AND step = 'forwarding'`, [t.id]))).toEqual([
      { duty_agency_id: ids['张掖市公安局甘州分局'], late: false, overdue_fired_at: null },
    ]);
    expect((await step('linze-police-officer', t.id, { action: 'receipt' })).body.state).toBe('received');
    expect((await step('linze-police-head', t.id, { action: 'file', documentNumber: '临公立〔2026〕2号' })).body.state).toBe('filed');
    // The procuratorate holding the statutory copy still follows it.
    expect((await get('ganzhou-procuratorate-officer', t.id)).body).toMatchObject({ id: t.id, state: 'filed' });
    // Referred for prosecution, it goes to the procuratorate over the police that investigated it, not to the copy holder.
    await step('ganzhou-mi-officer', t.id, { action: 'hand_over', documentNumber: '甘医保交〔2026〕5号' });
    const referred = await step('linze-police-head', t.id, { action: 'refer_for_prosecution', documentNumber: '临公诉〔2026〕1号' });
    expect(referred.body).toMatchObject({ state: 'prosecution_review', procuratorateAgencyId: ids['甘州区人民检察院'], prosecutorAgencyId: ids['临泽县人民检察院'] });
    expect((await get('ganzhou-procuratorate-officer', t.id)).body.allowedActions).toEqual([]);
    expect((await step('ganzhou-procuratorate-head', t.id, { action: 'prosecute', documentNumber: '甘检诉〔2026〕9号', courtAgencyId: ids['临泽县人民法院'] })).status).toBe(403);
    expect((await get('linze-procuratorate-officer', t.id)).body.allowedActions.sort()).toEqual(['not_prosecute', 'prosecute']);
    const prosecuted = await step('linze-procuratorate-head', t.id, { action: 'prosecute', documentNumber: '临检诉〔2026〕1号', courtAgencyId: ids['临泽县人民法院'] });
    expect(prosecuted.body).toMatchObject({ state: 'prosecuted', courtAgencyId: ids['临泽县人民法院'] });
  });

  it('records a forwarding later than 24 hours after the receipt as a missed deadline and tells the procuratorate and the leading-group office (R7)', async () => {
    const t = await sentToPolice();
    await step('ganzhou-police-officer', t.id, { action: 'receipt' });
    const db = platform.services.get('clue-transfer')!.get(DataSource);
    // Signed for 30 hours ago.
    await db.query(`UPDATE clock SET started_at = started_at - interval '30 hours' WHERE subject_id = $1 AND step = 'filing_decision'`, [t.id]);
    const forwarded = await step('ganzhou-police-officer', t.id, { action: 'forward', toAgencyId: ids['临泽县公安局'], note: '案发地在临泽县，依法转送' });
    expect(forwarded.body.state).toBe('sent');
    const [clock] = await db.query(`SELECT duty_agency_id, stopped_at > due_at AS late FROM clock WHERE subject_id = $1 AND step = 'forwarding'`, [t.id]);
    expect(clock).toMatchObject({ duty_agency_id: ids['张掖市公安局甘州分局'], late: true });
    const forwarding = (forwarded.body.clocks as Json[]).find((c) => c.step === 'forwarding');
    expect(forwarding).toMatchObject({ status: 'stopped', escalatedTo: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'] });
    expect(Date.parse(forwarding!.stoppedAt) - Date.parse(forwarding!.dueAt)).toBeGreaterThan(5 * 3600_000);
    const lateNotice = (user: string) => async () =>
      ((await api.call('GET', '/inbox', await as(user))).body as Json[]).find((n) => n.link === `/transfers/${t.id}` && n.kind === 'clock.overdue');
    for (const user of ['ganzhou-procuratorate-officer', 'ganzhou-lgo-officer', 'ganzhou-police-officer']) {
      const n = await eventually(lateNotice(user));
      expect([user, n.priority, n.title]).toEqual([user, 'high', expect.stringMatching(/^逾期办理：不属本机关管辖的，24小时内转送/)]);
    }
    // The bureau that sent it hears of the forwarding itself, not of police's lateness.
    expect(await lateNotice('ganzhou-mi-officer')()).toBeUndefined();
  });

  it('lets the procuratorate holding the statutory copy follow and supervise a transfer sent to police in another district', async () => {
    const t = await sentToPolice('临泽县公安局');
    // The copy goes to the procuratorate at the sender's level: it reads the transfer and finds it in its list.
    expect((await get('ganzhou-procuratorate-officer', t.id)).body).toMatchObject({ id: t.id, state: 'sent', procuratorateAgencyId: ids['甘州区人民检察院'] });
    const listed = await api.call('GET', '/transfers', await as('ganzhou-procuratorate-officer'));
    expect((listed.body as Json[]).map((x) => x.id)).toContain(t.id);
    await step('linze-police-officer', t.id, { action: 'receipt' });
    await step('linze-police-head', t.id, { action: 'decline', documentNumber: '临公不立〔2026〕3号', note: '证据不足' });
    // The procuratorate where the police sit reads it too, but the supervision is the copy holder's.
    expect((await get('linze-procuratorate-officer', t.id)).status).toBe(200);
    expect((await step('linze-procuratorate-head', t.id, { action: 'open_supervision', documentNumber: '临检要说〔2026〕1号' })).status).toBe(403);
    expect((await step('ganzhou-procuratorate-head', t.id, { action: 'open_supervision', documentNumber: '甘检要说〔2026〕3号' })).body.state).toBe('under_supervision');
    // Agencies it was neither sent nor copied to still get nothing.
    for (const user of ['ganzhou-police-officer', 'ganzhou-court-officer']) expect([user, (await get(user, t.id)).status]).toEqual([user, 404]);
  });

  it('closes a transfer when medical insurance accepts the non-filing, and lets the procuratorate supervise on its own motion', async () => {
    const a = await sentToPolice();
    await step('ganzhou-police-officer', a.id, { action: 'receipt' });
    await step('ganzhou-police-head', a.id, { action: 'decline', documentNumber: '甘公不立〔2026〕6号', note: '情节显著轻微' });
    expect((await step('ganzhou-mi-head', a.id, { action: 'accept_decline' })).body).toMatchObject({ state: 'not_filed_final', allowedActions: [] });

    const b = await sentToPolice();
    await step('ganzhou-police-officer', b.id, { action: 'receipt' });
    await step('ganzhou-police-head', b.id, { action: 'decline', documentNumber: '甘公不立〔2026〕7号', note: '证据不足' });
    expect((await step('ganzhou-procuratorate-head', b.id, { action: 'open_supervision', documentNumber: '甘检要说〔2026〕2号' })).body.state).toBe('under_supervision');
    await step('ganzhou-police-head', b.id, { action: 'explain', note: '证据不足，已补充说明' });
    expect((await step('ganzhou-procuratorate-head', b.id, { action: 'accept_explanation', note: '不立案理由成立' })).body.state).toBe('not_filed_final');
  });

  it('lets the procuratorate order filing without an explanation only once the police’s 7 days have run out', async () => {
    const t = await sentToPolice();
    await step('ganzhou-police-officer', t.id, { action: 'receipt' });
    await step('ganzhou-police-head', t.id, { action: 'decline', documentNumber: '甘公不立〔2026〕8号', note: '证据不足' });
    const opened = await step('ganzhou-procuratorate-head', t.id, { action: 'open_supervision', documentNumber: '甘检要说〔2026〕4号' });
    expect(opened.body).toMatchObject({ state: 'under_supervision', allowedActions: [] });
    const early = await step('ganzhou-procuratorate-head', t.id, { action: 'order_filing', documentNumber: '甘检通立〔2026〕4号' });
    expect(early.body).toMatchObject({ status: 409, code: 'NOT_YET_DUE', waitingFor: 'explanation' });
    // The refused try is on the audit log (the step itself left nothing).
    const db = platform.services.get('clue-transfer')!.get(DataSource);
    expect(await db.query(`SELECT actor_id, outcome, detail FROM audit_log WHERE action = 'transfer.order_filing' AND target = $1`, [t.id])).toEqual([
      { actor_id: ids['ganzhou-procuratorate-head'], outcome: 'refused', detail: { status: 409, code: 'NOT_YET_DUE' } },
    ]);
    // The seven days go by without an explanation.
    await db.query(`UPDATE clock SET due_at = now() - interval '1 minute', due_soon_at = now() - interval '2 minutes' WHERE subject_id = $1 AND step = 'explanation'`, [t.id]);
    expect((await get('ganzhou-procuratorate-head', t.id)).body.allowedActions).toEqual(['order_filing']);
    expect((await step('ganzhou-procuratorate-head', t.id, { action: 'order_filing', documentNumber: '甘检通立〔2026〕4号' })).body.state).toBe('filing_ordered');
  });

  it('refuses a transfer to police where no procuratorate would receive its statutory copy', async () => {
    const agencies = platform.services.get('agencies')!.get(DataSource);
    // The district's procuratorate is (for the test) not in the directory as one.
    await agencies.query(`UPDATE agency SET kind = 'DISCIPLINE' WHERE id = $1`, [ids['临泽县人民检察院']]);
    try {
      const res = await api.call('POST', '/transfers', await as('linze-mi-officer'), {
        route: 'mi_to_police', receiverAgencyId: ids['临泽县公安局'], title: '无检察院可抄送', summary: '本区未登记检察院，抄送无处可去。', teamOfficerIds: [ids['linze-mi-officer'], ids['linze-mi-officer2']],
      });
      expect(res.body).toMatchObject({ status: 409, code: 'NO_PROCURATORATE' });
    } finally {
      await agencies.query(`UPDATE agency SET kind = 'PROCURATORATE' WHERE id = $1`, [ids['临泽县人民检察院']]);
    }
  });

  it('runs a reverse transfer from police to medical insurance through receipt and feedback', async () => {
    const draft = await api.call('POST', '/transfers', await as('ganzhou-police-officer'), {
      route: 'police_to_mi', receiverAgencyId: ids['甘州区医疗保障局'], title: '不构成犯罪，移送行政处理', summary: '经侦查不构成犯罪，但存在违规使用医保基金行为，移送医保部门依法处理。',
    });
    expect(draft.body).toMatchObject({ state: 'drafted', procuratorateAgencyId: null });
    await step('ganzhou-police-officer', draft.body.id, { action: 'submit' });
    await step('ganzhou-police-head', draft.body.id, { action: 'approve' });
    await step('ganzhou-police-officer', draft.body.id, { action: 'send', documentNumber: '甘公移〔2026〕1号' });
    expect((await get('ganzhou-mi-officer', draft.body.id)).body.allowedActions).toEqual(['receipt']);
    await step('ganzhou-mi-officer', draft.body.id, { action: 'receipt' });
    expect((await step('ganzhou-mi-officer', draft.body.id, { action: 'give_feedback' })).body).toMatchObject({ status: 400, errors: [{ field: 'note' }] });
    const done = await step('ganzhou-mi-officer', draft.body.id, { action: 'give_feedback', note: '已立案查处，追回基金12万元，处罚款24万元' });
    expect(done.body).toMatchObject({ state: 'concluded', allowedActions: [] });
    expect((await get('ganzhou-police-head', draft.body.id)).body.steps.at(-1)).toMatchObject({ action: 'give_feedback', note: '已立案查处，追回基金12万元，处罚款24万元' });
  });

  it.each([
    ['mi_to_health', '甘州区卫生健康局', 'ganzhou-health-officer'],
    ['mi_to_market', '甘州区市场监督管理局', 'ganzhou-market-officer'],
  ])('sends %s and gets its result back', async (route, receiver, receiverUser) => {
    const draft = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), { route, receiverAgencyId: ids[receiver], title: '移送有关部门处理', summary: '发现医务人员违规问题，移送主管部门依法处理。' });
    await step('ganzhou-mi-officer', draft.body.id, { action: 'submit' });
    await step('ganzhou-mi-head', draft.body.id, { action: 'approve' });
    await step('ganzhou-mi-officer', draft.body.id, { action: 'send', documentNumber: '甘医保移〔2026〕9号' });
    await step(receiverUser, draft.body.id, { action: 'receipt' });
    expect((await step(receiverUser, draft.body.id, { action: 'give_feedback', note: '已处理并反馈' })).body.state).toBe('concluded');
  });

  it('chains every step with an SM3 digest, so an edited record shows', async () => {
    const t = await sentToPolice();
    const before = await get('ganzhou-mi-officer', t.id);
    expect(before.body.stepsVerified).toBe(true);
    expect(before.body.steps.map((s: Json) => s.digest)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.any(String), expect.any(String), expect.any(String)]);
    const db = platform.services.get('clue-transfer')!.get(DataSource);
    await db.query(`UPDATE transfer_step SET document_number = '改过的文号' WHERE transfer_id = $1 AND action = 'send'`, [t.id]);
    expect((await get('ganzhou-mi-officer', t.id)).body.stepsVerified).toBe(false);
  });

  it('sends to discipline inspection, and lets another agency transfer to medical insurance', async () => {
    const toDiscipline = await api.call('POST', '/transfers', await as('zhangye-mi-officer'), { route: 'mi_to_discipline', receiverAgencyId: ids['张掖市纪委监委'], title: '涉嫌腐败问题线索移交', summary: '调查中发现公职人员涉嫌收受回扣，依法移交纪检监察机关。' });
    await step('zhangye-mi-officer', toDiscipline.body.id, { action: 'submit' });
    await step('zhangye-mi-head', toDiscipline.body.id, { action: 'approve' });
    await step('zhangye-mi-officer', toDiscipline.body.id, { action: 'send', documentNumber: '张医保移〔2026〕1号' });
    await step('zhangye-discipline-officer', toDiscipline.body.id, { action: 'receipt' });
    expect((await step('zhangye-discipline-officer', toDiscipline.body.id, { action: 'give_feedback', note: '已立案审查' })).body.state).toBe('concluded');

    const fromFinance = await api.call('POST', '/transfers', await as('ganzhou-finance-officer'), { route: 'agency_to_mi', receiverAgencyId: ids['甘州区医疗保障局'], title: '票据查验发现重复报销', summary: '查验发现同一医疗票据在两家单位重复报销，移送医保部门核查。' });
    await step('ganzhou-finance-officer', fromFinance.body.id, { action: 'submit' });
    await step('ganzhou-finance-head', fromFinance.body.id, { action: 'approve' });
    await step('ganzhou-finance-officer', fromFinance.body.id, { action: 'send', documentNumber: '甘财移〔2026〕1号' });
    await step('ganzhou-mi-officer', fromFinance.body.id, { action: 'receipt' });
    expect((await step('ganzhou-mi-officer', fromFinance.body.id, { action: 'give_feedback', note: '已核实并追回' })).body.state).toBe('concluded');

    // Police (like every other agency) hand clues of corruption to discipline inspection too; medical insurance by its own route.
    const fromPolice = await api.call('POST', '/transfers', await as('ganzhou-police-officer'), { route: 'agency_to_discipline', receiverAgencyId: ids['张掖市纪委监委'], title: '侦查中发现公职人员涉嫌受贿', summary: '侦查骗保案件中发现医保经办人员涉嫌收受好处，移交纪检监察机关。' });
    expect(fromPolice.status).toBe(201);
    await step('ganzhou-police-officer', fromPolice.body.id, { action: 'submit' });
    await step('ganzhou-police-head', fromPolice.body.id, { action: 'approve' });
    await step('ganzhou-police-officer', fromPolice.body.id, { action: 'send', documentNumber: '甘公移〔2026〕3号' });
    expect((await step('zhangye-discipline-officer', fromPolice.body.id, { action: 'receipt' })).body.state).toBe('received');
    const byMi = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), { route: 'agency_to_discipline', receiverAgencyId: ids['张掖市纪委监委'], title: '走错路线', summary: '医保部门应走医保→纪委监委路线。' });
    expect(byMi.body).toMatchObject({ status: 403, code: 'ROUTE_NOT_ALLOWED' });
    const toPolice = await api.call('POST', '/transfers', await as('ganzhou-health-officer'), { route: 'agency_to_discipline', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '错误的接收机关', summary: '此路线只移交纪检监察机关。' });
    expect(toPolice.body).toMatchObject({ status: 400, errors: [{ field: 'receiverAgencyId', codes: ['wrongReceiverKind'] }] });
  });

  it('lists and counts the transfers each officer may act on now, by who sent and who receives them, as their allowedActions say', async () => {
    // Every transfer the suite above walked, in every state and route, read by every account of the demo's agencies (every role).
    const users = Object.keys(ids).filter((u) => /^(zhangye|ganzhou|linze)-[a-z]+-[a-z0-9-]+$/.test(u));
    expect(users.length).toBeGreaterThan(20);
    const everything = async (token: string, query = '') => {
      const items: Json[] = [];
      for (let page = 1; ; page++) {
        const res = await api.call('GET', `/transfers?pageSize=200&page=${page}${query}`, token);
        if (!res.body.items) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
        items.push(...res.body.items);
        if (items.length >= res.body.total) return { items, total: res.body.total as number };
      }
    };
    let acting = 0;
    for (const user of users) {
      const token = await as(user);
      const all = (await everything(token)).items;
      const mayAct = await everything(token, '&mayAct=true');
      const expected = all.filter((x) => x.allowedActions.length > 0).map((x) => x.id).sort();
      expect([user, mayAct.items.map((x) => x.id).sort()]).toEqual([user, expected]);
      expect([user, mayAct.total]).toEqual([user, expected.length]);
      acting += expected.length;
      const agency = all.find((x) => x.allowedActions.length)?.senderAgencyId;
      if (!agency) continue;
      const sent = await everything(token, `&sentBy=${agency}`);
      expect(sent.items.map((x) => x.id).sort()).toEqual(all.filter((x) => x.senderAgencyId === agency).map((x) => x.id).sort());
      const received = await everything(token, `&receivedBy=${agency}&mayAct=true`);
      expect(received.items.map((x) => x.id).sort()).toEqual(all.filter((x) => x.receiverAgencyId === agency && x.allowedActions.length).map((x) => x.id).sort());
    }
    // Not a vacuous comparison: the suite leaves many transfers someone must act on.
    expect(acting).toBeGreaterThan(10);
    expect((await api.call('GET', '/transfers?mayAct=yes', await as('ganzhou-mi-officer'))).body).toMatchObject({ status: 400, errors: [{ field: 'mayAct' }] });
    expect((await api.call('GET', '/transfers?sentBy=someone', await as('ganzhou-mi-officer'))).body).toMatchObject({ status: 400, errors: [{ field: 'sentBy' }] });
  });

  it('publishes the procedure it enforces', async () => {
    const res = await api.call('GET', '/transfers/procedures');
    expect(res.status).toBe(200);
    const police = res.body.routes.find((r: Json) => r.route === 'mi_to_police');
    expect(police.steps.find((s: Json) => s.action === 'decline')).toMatchObject({ from: 'received', by: 'receiver', starts: 'reconsideration_request', stops: ['filing_decision'] });
    expect(res.body.clocks.find((c: Json) => c.step === 'filing_decision')).toMatchObject({ limit: { amount: 3, unit: 'calendar_days' }, escalateTo: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'] });
  });
});
