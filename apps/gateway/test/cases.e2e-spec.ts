import { DataSource } from 'typeorm';
import { computeDeadline, loadCalendar } from '@lianban/clocks';
import { eventually, TestIsolation } from '@lianban/testing';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * Administrative enforcement cases through the gateway, as the officers of each agency: filing to
 * archive on every branch (hearing, legal review returned, extensions, collective discussion),
 * the rule that a fine never stands in for a crime, and who is refused.
 */
describe('administrative cases (行政执法), end to end', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];
  let casesDb: DataSource;
  const calendar = loadCalendar(undefined);

  const step = async (user: string, caseId: string, body: Record<string, unknown>) => api.call('POST', `/cases/${caseId}/steps`, await as(user), body);
  const get = async (user: string, caseId: string) => api.call('GET', `/cases/${caseId}`, await as(user));
  const conclusion = (c: Json) => c.clocks.find((k: Json) => k.step === 'conclusion' && !k.stoppedAt) ?? c.clocks.find((k: Json) => k.step === 'conclusion');

  /** 38万元 loss; a violation fined 1.5×. */
  const penalty = { violationKind: 'violation', lossFen: 38_000_000, refundFen: 38_000_000, fineFen: 57_000_000, agreement: 'suspend', creditRecord: true };

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, ids, as } = platform);
    casesDb = platform.services.get('cases')!.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  async function fileCase(extra: Record<string, unknown> = {}, officers = ['ganzhou-mi-officer', 'ganzhou-mi-officer2']) {
    const res = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '张掖康泰医院涉嫌分解住院、挂床住院案',
      partyName: '张掖康泰医院（示例民营）',
      partyInstitutionCode: 'H62070200004',
      facts: '经大数据筛查和现场检查，该院2025年1月至6月存在分解住院、挂床住院行为。',
      documentNumber: '甘医保立〔2026〕1号',
      officerIds: officers.map((u) => ids[u]),
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body as Json;
  }

  it('takes a major case from filing to archive through a hearing, a returned legal review, both extensions and a pause', async () => {
    const clue = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), {
      source: 'big_data',
      subject: { kind: 'institution', name: '张掖康泰医院（示例民营）', institutionCode: 'H62070200004' },
      categories: ['H04'],
      periodFrom: '2025-01-01',
      periodTo: '2025-06-30',
      description: '筛查发现同一患者15日内同病种再入院。',
    });
    expect(clue.status).toBe(201);
    const c = await fileCase({ major: true, clueIds: [clue.body.id] });
    expect(c).toMatchObject({ state: 'investigating', major: true, clueIds: [clue.body.id], agencyId: ids['甘州区医疗保障局'], regionCode: '620702' });
    expect(c.number).toMatch(/^AJ620702-\d{4}-\d{6}$/);
    expect(c.steps[0]).toMatchObject({ action: 'file', actorId: ids['ganzhou-mi-officer'], agencyId: ids['甘州区医疗保障局'], documentNumber: '甘医保立〔2026〕1号' });
    const filedAt = new Date(conclusion(c).startedAt);
    expect(conclusion(c)).toMatchObject({ status: 'running', dueAt: computeDeadline(filedAt, { amount: 90, unit: 'calendar_days' }, calendar).toISOString() });
    // The console shows only what the caller may do: officers investigate, the head extends.
    expect(c.allowedActions.sort()).toEqual(['notify_penalty', 'pause_clock']);
    expect((await get('ganzhou-mi-head', c.id)).body.allowedActions.sort()).toEqual(['close_without_penalty', 'extend_by_head']);

    // Appraisal: the 90 days stop running until it is done.
    const paused = await step('ganzhou-mi-officer', c.id, { action: 'pause_clock', pauseKind: 'appraisal', note: '委托司法鉴定病历真实性' });
    expect(conclusion(paused.body)).toMatchObject({ status: 'paused' });
    expect(paused.body.allowedActions.sort()).toEqual(['notify_penalty', 'resume_clock']);
    const resumed = await step('ganzhou-mi-officer', c.id, { action: 'resume_clock', note: '鉴定意见书已出具' });
    expect(conclusion(resumed.body).status).toBe('running');
    expect(conclusion(resumed.body).pauses).toHaveLength(1);

    // Head's extension: 30 more days, once; the longer one only after it.
    expect((await step('ganzhou-mi-head', c.id, { action: 'extend_after_collective', days: 30, documentNumber: 'x', note: 'x' })).body).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION' });
    const extended = await step('ganzhou-mi-head', c.id, { action: 'extend_by_head', documentNumber: '甘医保延〔2026〕1号', note: '案情复杂' });
    expect(extended.body.extension).toEqual({ level: 'head', days: 0 });
    expect(conclusion(extended.body).dueAt).toBe(computeDeadline(filedAt, { amount: 120, unit: 'calendar_days' }, calendar).toISOString());
    expect((await step('ganzhou-mi-head', c.id, { action: 'extend_by_head', documentNumber: 'x', note: 'x' })).body.status).toBe(409);

    // Notice of the intended penalty; a fine outside 1–2× the loss for a violation is refused.
    expect((await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕1号', penalty: { ...penalty, fineFen: 80_000_000 } })).body).toMatchObject({
      status: 400,
      errors: [{ field: 'penalty.fineFen', codes: ['fineOutsideMultiples'], params: { fineOutsideMultiples: { minTimes: 1, maxTimes: 2, minFen: 38_000_000, maxFen: 76_000_000 } } }],
    });
    // Only the case officers act on it: another officer of the same bureau is refused.
    expect((await step('ganzhou-mi-legal-reviewer', c.id, { action: 'notify_penalty', documentNumber: 'x', penalty })).body).toMatchObject({ status: 403 });
    const notified = await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕1号', penalty });
    expect(notified.body).toMatchObject({ state: 'notified', notifiedPenalty: penalty });

    // The party asks for a hearing: the 90 days are paused while it lasts.
    const hearing = await step('ganzhou-mi-officer2', c.id, { action: 'request_hearing', note: '当事人书面申请听证' });
    expect(hearing.body.state).toBe('hearing');
    expect(conclusion(hearing.body).status).toBe('paused');
    expect(hearing.body.allowedActions).not.toContain('pause_clock');
    const heard = await step('ganzhou-mi-officer', c.id, { action: 'conclude_hearing', documentNumber: '甘医保听〔2026〕1号', note: '听证笔录及听证报告' });
    expect(heard.body.state).toBe('legal_review');
    expect(conclusion(heard.body).status).toBe('running');
    expect(heard.body.clocks.find((k: Json) => k.step === 'legal_review')).toMatchObject({ status: 'running', dueAt: computeDeadline(new Date(heard.body.steps.at(-1).at), { amount: 10, unit: 'working_days' }, calendar).toISOString() });
    expect(conclusion(heard.body).pauses).toHaveLength(2);

    // Legal review: by the legal reviewer, who returns the case for more investigation.
    expect((await step('ganzhou-mi-officer', c.id, { action: 'pass_review', note: 'x' })).body.status).toBe(403);
    const returned = await step('ganzhou-mi-legal-reviewer', c.id, { action: 'return_for_investigation', note: '证据链不完整，补充调取住院病历' });
    expect(returned.body.state).toBe('investigating');
    expect(returned.body.clocks.find((k: Json) => k.step === 'legal_review').status).toBe('stopped');

    // Re-notified: after the hearing, the new notice may not be heavier.
    expect((await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕2号', penalty: { ...penalty, fineFen: 60_000_000 } })).body).toMatchObject({
      status: 409,
      code: 'PENALTY_HEAVIER_THAN_NOTIFIED',
    });
    const lighter = { ...penalty, fineFen: 50_000_000 };
    expect((await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕2号', penalty: lighter })).body.state).toBe('notified');
    expect((await step('ganzhou-mi-officer', c.id, { action: 'submit_for_review', note: '当事人放弃陈述申辩' })).body.state).toBe('legal_review');
    const reviewed = await step('ganzhou-mi-legal-reviewer', c.id, { action: 'pass_review', note: '事实清楚，证据确凿，适用依据正确，程序合法' });
    expect(reviewed.body.state).toBe('reviewed');

    // A major case is decided by collective discussion, not by the head alone.
    expect(reviewed.body.allowedActions).toEqual([]);
    const headView = (await get('ganzhou-mi-head', c.id)).body;
    expect(headView.allowedActions.sort()).toEqual(['close_without_penalty', 'extend_after_collective', 'refer_to_collective']);
    const direct = await step('ganzhou-mi-head', c.id, { action: 'decide', documentNumber: 'x', penalty: lighter });
    expect(direct.body).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', current: 'reviewed' });
    expect(direct.body.allowed).not.toContain('decide');

    // The longer extension, after the head's, with the collective discussion's record.
    expect((await step('ganzhou-mi-head', c.id, { action: 'extend_after_collective', days: 61, documentNumber: 'x', note: 'x' })).body.status).toBe(400);
    const longer = await step('ganzhou-mi-head', c.id, { action: 'extend_after_collective', days: 45, documentNumber: '甘医保延〔2026〕2号', note: '集体讨论决定延长45日' });
    expect(longer.body.extension).toEqual({ level: 'collective', days: 45 });
    expect(conclusion(longer.body).dueAt).toBe(computeDeadline(filedAt, { amount: 165, unit: 'calendar_days' }, calendar).toISOString());

    expect((await step('ganzhou-mi-head', c.id, { action: 'refer_to_collective' })).body.state).toBe('collective_discussion');
    // The decision may not be heavier than what the party was last told.
    expect((await step('ganzhou-mi-head', c.id, { action: 'decide', documentNumber: 'x', note: 'x', penalty: { ...lighter, agreement: 'terminate' } })).body).toMatchObject({
      status: 409,
      code: 'PENALTY_HEAVIER_THAN_NOTIFIED',
      heavier: ['agreement'],
    });
    const decided = await step('ganzhou-mi-head', c.id, { action: 'decide', documentNumber: '甘医保罚〔2026〕1号', note: '集体讨论记录：同意处罚', penalty: lighter });
    expect(decided.body).toMatchObject({ state: 'decided', decidedPenalty: lighter, money: { fineDecidedFen: 50_000_000, refundOrderedFen: 38_000_000 } });
    expect(conclusion(decided.body).status).toBe('stopped');
    expect(decided.body.clocks.find((k: Json) => k.step === 'service')).toMatchObject({ status: 'running', dueAt: computeDeadline(new Date(decided.body.steps.at(-1).at), { amount: 7, unit: 'working_days' }, calendar).toISOString() });

    expect((await step('ganzhou-mi-officer', c.id, { action: 'serve', documentNumber: '送达回证〔2026〕1号' })).body.state).toBe('served');
    expect((await step('ganzhou-mi-officer', c.id, { action: 'record_enforcement', note: '已退回基金38万元，缴纳罚款50万元，暂停协议3个月' })).body.state).toBe('enforced');
    expect((await step('ganzhou-mi-officer', c.id, { action: 'archive' })).body.status).toBe(403);
    const archived = await step('ganzhou-mi-head', c.id, { action: 'archive' });
    expect(archived.body).toMatchObject({ state: 'archived', allowedActions: [] });
    expect(archived.body.clocks.every((k: Json) => k.status === 'stopped')).toBe(true);

    // Every step is signed: who, which agency, when, which document; audited; announced.
    const actions = archived.body.steps.map((s: Json) => s.action);
    expect(actions).toEqual([
      'file', 'pause_clock', 'resume_clock', 'extend_by_head', 'notify_penalty', 'request_hearing', 'conclude_hearing', 'return_for_investigation', 'notify_penalty',
      'submit_for_review', 'pass_review', 'extend_after_collective', 'refer_to_collective', 'decide', 'serve', 'record_enforcement', 'archive',
    ]);
    expect(archived.body.steps.every((s: Json) => s.actorId && s.agencyId === ids['甘州区医疗保障局'] && s.at && /^[0-9a-f]{64}$/.test(s.digest))).toBe(true);
    // The steps are chained with SM3: a record changed afterwards no longer verifies.
    expect(archived.body.stepsVerified).toBe(true);
    await casesDb.query(`UPDATE case_step SET note = '当事人未申请听证' WHERE case_id = $1 AND action = 'request_hearing'`, [c.id]);
    expect((await get('ganzhou-mi-officer', c.id)).body.stepsVerified).toBe(false);
    const audited = await casesDb.query(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [c.id]);
    expect(audited.map((a: Json) => a.action)).toEqual(actions.map((a: string) => `case.${a}`));
    const events = await casesDb.query(`SELECT type FROM outbox_event WHERE envelope->'payload'->>'caseId' = $1 ORDER BY seq`, [c.id]);
    expect(events.map((e: Json) => e.type)).toEqual([
      'case.filed', 'case.clock_paused', 'case.clock_resumed', 'case.extended_by_head', 'case.penalty_notified', 'case.hearing_requested', 'case.hearing_concluded', 'case.returned_for_investigation',
      'case.penalty_notified', 'case.submitted_for_review', 'case.review_passed', 'case.extended_after_collective', 'case.referred_to_collective', 'case.decided', 'case.served', 'case.enforced', 'case.archived',
    ]);
  }, 60_000);

  it('lets the head decide a case that is not major, once the legal review passed', async () => {
    const c = await fileCase();
    await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕3号', penalty });
    await step('ganzhou-mi-officer', c.id, { action: 'submit_for_review', note: '当事人陈述申辩，理由不成立' });
    await step('ganzhou-mi-legal-reviewer', c.id, { action: 'pass_review', note: '同意' });
    const head = (await get('ganzhou-mi-head', c.id)).body;
    expect(head.allowedActions).toContain('decide');
    expect((await step('ganzhou-mi-head', c.id, { action: 'decide', documentNumber: '甘医保罚〔2026〕2号', penalty })).body.state).toBe('decided');
  }, 30_000);

  it('keeps a test’s pause running through a hearing requested meanwhile, until the test itself is over', async () => {
    const c = await fileCase();
    await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕5号', penalty });
    await step('ganzhou-mi-officer', c.id, { action: 'pause_clock', pauseKind: 'test', note: '委托检验药品' });
    const hearing = await step('ganzhou-mi-officer', c.id, { action: 'request_hearing', note: '当事人书面申请听证' });
    expect(hearing.body).toMatchObject({ state: 'hearing' });
    expect(hearing.body.steps.at(-1).detail).toMatchObject({ pausedFor: 'test' });
    // The hearing ends before the test: the 90 days stay paused, and the test's end resumes them.
    const heard = await step('ganzhou-mi-officer', c.id, { action: 'conclude_hearing', documentNumber: '甘医保听〔2026〕2号', note: '听证笔录' });
    expect(conclusion(heard.body)).toMatchObject({ status: 'paused', pauses: [] });
    expect(heard.body.allowedActions).toContain('resume_clock');
    const resumed = await step('ganzhou-mi-officer', c.id, { action: 'resume_clock', note: '检验报告已出具' });
    expect(conclusion(resumed.body)).toMatchObject({ status: 'running', pausedSince: null });
    expect(conclusion(resumed.body).pauses).toEqual([{ from: conclusion(hearing.body).pausedSince, to: resumed.body.steps.at(-1).at }]);
  }, 30_000);

  it('never lets a legal reviewer who is one of the case officers review the case', async () => {
    const c = await fileCase({}, ['ganzhou-mi-officer', 'ganzhou-mi-legal-reviewer']);
    await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕4号', penalty });
    await step('ganzhou-mi-officer', c.id, { action: 'submit_for_review', note: '当事人放弃陈述申辩' });
    expect((await get('ganzhou-mi-legal-reviewer', c.id)).body.allowedActions).not.toContain('pass_review');
    expect((await step('ganzhou-mi-legal-reviewer', c.id, { action: 'pass_review', note: '同意' })).body).toMatchObject({ status: 403, code: 'REVIEWER_IS_CASE_OFFICER' });
  }, 30_000);

  it('refuses a case with fewer than two officers, or officers of another bureau', async () => {
    const body = { title: '某药店串换药品案', partyName: '某药店', facts: '现场检查发现串换药品进行医保结算。', documentNumber: '甘医保立〔2026〕9号' };
    expect((await api.call('POST', '/cases', await as('ganzhou-mi-officer'), { ...body, officerIds: [ids['ganzhou-mi-officer']] })).body).toMatchObject({ status: 400, errors: [{ field: 'officerIds' }] });
    expect((await api.call('POST', '/cases', await as('ganzhou-mi-officer'), { ...body, officerIds: [ids['ganzhou-mi-officer'], ids['linze-mi-officer']] })).body).toMatchObject({ status: 400, errors: [{ field: 'officerIds', codes: ['notEnforcementOfficers'] }] });
    expect((await api.call('POST', '/cases', await as('ganzhou-police-officer'), { ...body, officerIds: [ids['ganzhou-police-officer'], ids['ganzhou-police-head']] })).status).toBe(403);
    expect((await api.call('POST', '/cases', await as('ganzhou-lgo-officer'), { ...body, officerIds: [ids['ganzhou-lgo-officer'], ids['ganzhou-lgo-head']] })).status).toBe(403);
  });

  it('never lets a fine stand in for a crime (不得以罚代刑) unless the police finally declined to file', async () => {
    const c = await fileCase();
    const tstep = async (user: string, tid: string, body: Record<string, unknown>) => api.call('POST', `/transfers/${tid}/steps`, await as(user), body);
    // A transfer to police drafted from the case carries its id; another bureau cannot name it.
    const draftBody = {
      route: 'mi_to_police',
      receiverAgencyId: ids['张掖市公安局甘州分局'],
      caseId: c.id,
      title: '张掖康泰医院涉嫌诈骗医保基金案',
      summary: '经调查，该院虚构住院，涉嫌诈骗罪，依法移送。',
      teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    };
    expect((await api.call('POST', '/transfers', await as('linze-mi-officer'), { ...draftBody, receiverAgencyId: ids['临泽县公安局'], teamOfficerIds: [ids['linze-mi-officer'], ids['linze-mi-officer2']] })).body).toMatchObject({
      status: 400,
      errors: [{ field: 'caseId', codes: ['caseNotFound'] }],
    });
    const t = (await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), draftBody)).body;
    expect(t.caseId).toBe(c.id);
    // Police do not see the case before the transfer reaches them.
    expect((await get('ganzhou-police-officer', c.id)).status).toBe(404);
    await tstep('ganzhou-mi-officer', t.id, { action: 'submit' });
    await tstep('ganzhou-mi-head', t.id, { action: 'approve' });
    await tstep('ganzhou-mi-officer', t.id, { action: 'send', documentNumber: '甘医保移〔2026〕7号' });
    await eventually(async () => {
      expect((await get('ganzhou-mi-officer', c.id)).body.transfers).toEqual([expect.objectContaining({ transferId: t.id, route: 'mi_to_police', state: 'sent' })]);
      return true;
    });

    // The police it went to, and the procuratorate copied, now read the case; others still do not.
    await eventually(async () => {
      expect((await get('ganzhou-police-officer', c.id)).status).toBe(200);
      return true;
    });
    expect((await get('ganzhou-procuratorate-officer', c.id)).status).toBe(200);
    expect((await get('ganzhou-police-officer', c.id)).body.allowedActions).toEqual([]);
    expect((await get('linze-police-officer', c.id)).status).toBe(404);
    expect((await step('ganzhou-police-officer', c.id, { action: 'notify_penalty', documentNumber: 'x', penalty })).status).toBe(403);

    await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕5号', penalty });
    await step('ganzhou-mi-officer', c.id, { action: 'submit_for_review', note: '当事人放弃陈述申辩' });
    await step('ganzhou-mi-legal-reviewer', c.id, { action: 'pass_review', note: '同意' });
    const refused = await step('ganzhou-mi-head', c.id, { action: 'decide', documentNumber: '甘医保罚〔2026〕3号', penalty });
    expect(refused.body).toMatchObject({ status: 409, code: 'FINE_IN_PLACE_OF_CRIMINAL_PENALTY', transfers: [{ transferId: t.id, state: 'sent' }] });

    // The police decline and medical insurance accepts it: the refusal is final, a fine may follow.
    await tstep('ganzhou-police-officer', t.id, { action: 'receipt' });
    await tstep('ganzhou-police-head', t.id, { action: 'decline', documentNumber: '甘公不立〔2026〕2号', note: '不构成犯罪' });
    expect((await step('ganzhou-mi-head', c.id, { action: 'decide', documentNumber: '甘医保罚〔2026〕3号', penalty })).body.code).toBe('FINE_IN_PLACE_OF_CRIMINAL_PENALTY');
    await tstep('ganzhou-mi-officer', t.id, { action: 'accept_decline' });
    await eventually(async () => {
      expect((await get('ganzhou-mi-officer', c.id)).body.transfers[0].state).toBe('not_filed_final');
      return true;
    });
    expect((await step('ganzhou-mi-head', c.id, { action: 'decide', documentNumber: '甘医保罚〔2026〕3号', penalty })).body.state).toBe('decided');
  }, 60_000);

  it('lets a fine follow once the police closed the investigation or the procuratorate declined to prosecute, not while prosecuted', async () => {
    const tstep = async (user: string, tid: string, body: Record<string, unknown>) => {
      const res = await api.call('POST', `/transfers/${tid}/steps`, await as(user), body);
      expect([body.action, res.status]).toEqual([body.action, 201]);
    };
    /** A case whose transfer to police went to `ending`, ready for the head's decision. */
    const caseWhoseTransfer = async (ending: { user: string; action: string; note?: string; documentNumber?: string; courtAgencyId?: string }[]) => {
      const c = await fileCase();
      const t = (
        await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
          route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], caseId: c.id, title: '张掖康泰医院涉嫌诈骗医保基金案', summary: '经调查，该院虚构住院，涉嫌诈骗罪，依法移送。', teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
        })
      ).body;
      await tstep('ganzhou-mi-officer', t.id, { action: 'submit' });
      await tstep('ganzhou-mi-head', t.id, { action: 'approve' });
      await tstep('ganzhou-mi-officer', t.id, { action: 'send', documentNumber: '甘医保移〔2026〕20号' });
      await tstep('ganzhou-police-officer', t.id, { action: 'receipt' });
      await tstep('ganzhou-police-head', t.id, { action: 'file', documentNumber: '甘公立〔2026〕20号' });
      await tstep('ganzhou-mi-officer', t.id, { action: 'hand_over', documentNumber: '甘医保交〔2026〕20号' });
      for (const { user, ...body } of ending) await tstep(user, t.id, body);
      await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕20号', penalty });
      await step('ganzhou-mi-officer', c.id, { action: 'submit_for_review', note: '当事人放弃陈述申辩' });
      await step('ganzhou-mi-legal-reviewer', c.id, { action: 'pass_review', note: '同意' });
      const last = ending.at(-1)!.action;
      const state = { close_investigation: 'investigation_closed', not_prosecute: 'not_prosecuted', prosecute: 'prosecuted' }[last];
      await eventually(async () => (await get('ganzhou-mi-officer', c.id)).body.transfers[0]?.state === state);
      return c;
    };
    const decide = async (c: Json) => (await step('ganzhou-mi-head', c.id, { action: 'decide', documentNumber: '甘医保罚〔2026〕20号', penalty })).body;
    const closed = await caseWhoseTransfer([{ user: 'ganzhou-police-head', action: 'close_investigation', note: '不认为是犯罪，撤销案件' }]);
    expect((await decide(closed)).state).toBe('decided');
    const toProsecutor = { user: 'ganzhou-police-head', action: 'refer_for_prosecution', documentNumber: '甘公诉〔2026〕20号' };
    const spared = await caseWhoseTransfer([toProsecutor, { user: 'ganzhou-procuratorate-head', action: 'not_prosecute', note: '犯罪情节轻微，不起诉' }]);
    expect((await decide(spared)).state).toBe('decided');
    const prosecuted = await caseWhoseTransfer([toProsecutor, { user: 'ganzhou-procuratorate-head', action: 'prosecute', documentNumber: '甘检诉〔2026〕20号', courtAgencyId: ids['甘州区人民法院'] }]);
    expect(await decide(prosecuted)).toMatchObject({ status: 409, code: 'FINE_IN_PLACE_OF_CRIMINAL_PENALTY' });
  }, 60_000);

  it('lists a transfer not yet sent only to the case bureau, not to the police, the office or the city bureau reading the case', async () => {
    const c = await fileCase();
    const tstep = async (user: string, tid: string, body: Record<string, unknown>) => api.call('POST', `/transfers/${tid}/steps`, await as(user), body);
    const draft = async (route: string, receiver: string) =>
      (await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
        route, receiverAgencyId: ids[receiver], caseId: c.id, title: '张掖康泰医院涉嫌骗取医保基金案', summary: '经调查，依法移送有关机关处理。', teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
      })).body as Json;
    const sent = await draft('mi_to_police', '张掖市公安局甘州分局');
    await tstep('ganzhou-mi-officer', sent.id, { action: 'submit' });
    await tstep('ganzhou-mi-head', sent.id, { action: 'approve' });
    await tstep('ganzhou-mi-officer', sent.id, { action: 'send', documentNumber: '甘医保移〔2026〕31号' });
    const unsent = await draft('mi_to_health', '甘州区卫生健康局');
    await tstep('ganzhou-mi-officer', unsent.id, { action: 'submit' });
    const listed = async (user: string) => ((await get(user, c.id)).body.transfers as Json[]).map((t) => t.transferId);
    await eventually(async () => {
      expect(await listed('ganzhou-mi-officer')).toEqual([sent.id, unsent.id]);
      return true;
    });
    await eventually(async () => (await get('ganzhou-police-officer', c.id)).status === 200);
    for (const user of ['ganzhou-police-officer', 'ganzhou-procuratorate-officer', 'ganzhou-lgo-officer', 'zhangye-mi-officer']) expect([user, await listed(user)]).toEqual([user, [sent.id]]);
  });

  it('shows a case to its bureau and city bureau and the leading-group office, and to nobody else', async () => {
    const c = await fileCase();
    for (const user of ['ganzhou-mi-officer', 'zhangye-mi-officer', 'ganzhou-lgo-officer', 'zhangye-lgo-officer']) expect([user, (await get(user, c.id)).status]).toEqual([user, 200]);
    // Reading is not handling: the city bureau and the office take no step.
    expect((await get('zhangye-mi-head', c.id)).body.allowedActions).toEqual([]);
    expect((await step('zhangye-mi-head', c.id, { action: 'extend_by_head', documentNumber: 'x', note: 'x' })).status).toBe(403);
    expect((await step('ganzhou-lgo-head', c.id, { action: 'extend_by_head', documentNumber: 'x', note: 'x' })).status).toBe(403);
    for (const user of ['linze-mi-officer', 'linze-lgo-officer', 'ganzhou-police-officer', 'ganzhou-procuratorate-officer', 'ganzhou-finance-officer', 'ganzhou-court-officer', 'ganzhou-health-officer', 'h62070200004']) {
      expect([user, (await get(user, c.id)).status]).toEqual([user, 404]);
      expect([user, (await step(user, c.id, { action: 'notify_penalty', documentNumber: 'x', penalty })).status]).toEqual([user, 404]);
      const list = await api.call('GET', '/cases', await as(user));
      expect([user, list.body.items.map((x: Json) => x.id)]).not.toContainEqual([user, expect.arrayContaining([c.id])]);
    }
  }, 30_000);

  it('refuses text no field can take, anywhere in a request, and a penalty that is not an object, with a 400 naming the place and nothing written', async () => {
    const c = await fileCase({ title: '某药店串换药品案（输入）' });
    const token = await as('ganzhou-mi-officer');
    const refused = (res: { status: number; body: Json }) => (expect(res.status).toBe(400), (res.body.errors as Json[]).map((e) => [e.field, e.codes[0]]));
    // The NUL character (PostgreSQL cannot store it) and a lone surrogate (no character at all), in a body.
    expect(refused(await api.call('POST', `/cases/${c.id}/money`, token, { kind: 'refunded', amountFen: 100, documentNumber: '甘医保\u0000退〔2026〕1号' }))).toEqual([['documentNumber', 'noNulCharacter']]);
    expect(refused(await api.call('POST', `/cases/${c.id}/money`, token, { kind: 'refunded', amountFen: 100, note: '退回\ud800' }))).toEqual([['note', 'wellFormedText']]);
    expect(refused(await api.call('PUT', '/inbox/preferences', token, { mutedKinds: [], email: 'a\ud800@example.cn', emailEnabled: true, digestEnabled: false }))).toEqual([['email', 'wellFormedText']]);
    // Nested, in a batch (the whole request: it is not text at all), in a query and in a path.
    const batch = await api.call('POST', '/invoices/verifications/batch', token, { items: [{ code: '62060126', number: '0000000001', checkCode: '1a9c3f' }, { code: '62060126', number: '0000000002', checkCode: '1a9c3f', claimRef: 'SETL\u0000' }] });
    expect(refused(batch)).toEqual([['items.1.claimRef', 'noNulCharacter']]);
    expect(refused(await api.call('GET', `/cases?q=${encodeURIComponent('串换\u0000')}`, token))).toEqual([['q', 'noNulCharacter']]);
    expect(refused(await api.call('GET', `/cases/${encodeURIComponent('a\u0000')}`, token))).toEqual([['id', 'noNulCharacter']]);
    // A penalty must be an object, not a list.
    expect(refused(await step('ganzhou-mi-officer', c.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕9号', penalty: [] }))).toEqual([['penalty', 'isObject']]);
    expect((await get('ganzhou-mi-officer', c.id)).body).toMatchObject({ state: 'investigating', money: { refundedFen: 0 } });
    expect((await api.call('GET', '/invoices/verifications', token)).body).toEqual([]);
  });

  it('lists cases with server-side filters, sorting and paging', async () => {
    const a = await fileCase({ title: '临泽康复医院涉嫌串换项目案（列表）' });
    const b = await fileCase({ title: '某诊所挂床住院案（列表）' });
    await step('ganzhou-mi-officer', b.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕8号', penalty });
    const token = await as('ganzhou-mi-officer');
    const search = await api.call('GET', `/cases?q=${encodeURIComponent('（列表）')}&sort=number`, token);
    expect(search.body).toMatchObject({ total: 2, items: [{ id: a.id }, { id: b.id }] });
    const notified = await api.call('GET', `/cases?q=${encodeURIComponent('（列表）')}&stage=notified`, token);
    expect(notified.body).toMatchObject({ total: 1, items: [{ id: b.id, state: 'notified' }] });
    const all = await api.call('GET', '/cases?pageSize=2&page=1&sort=-createdAt', token);
    const page2 = await api.call('GET', '/cases?pageSize=2&page=2&sort=-createdAt', token);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThanOrEqual(4);
    expect(page2.body.items[0].id).not.toBe(all.body.items[1].id);
    expect((await api.call('GET', '/cases?pageSize=500', token)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.call('GET', '/cases?stage=nonsense', token)).status).toBe(400);
    // The procedure the console draws its buttons from is public data, and the API is documented.
    const procedure = await api.call('GET', '/cases/procedure');
    expect(procedure.body.steps).toContainEqual(expect.objectContaining({ from: 'legal_review', action: 'return_for_investigation', to: 'investigating', by: 'legal_reviewer' }));
    expect(procedure.body.clocks.map((c: Json) => c.step)).toEqual(expect.arrayContaining(['conclusion', 'legal_review', 'service']));
    const openapi = (await (await fetch(`${platform.url}/api/docs-json`)).json()) as Json;
    expect(Object.keys(openapi.paths ?? {})).toEqual(expect.arrayContaining(['/api/v1/cases', '/api/v1/cases/{id}/steps', '/api/v1/cases/{id}/evidence', '/api/v1/supervisions', '/api/v1/reports/statistics']));
    // City level sees its districts' cases too.
    expect((await api.call('GET', `/cases?q=${encodeURIComponent('（列表）')}`, await as('zhangye-mi-officer'))).body.total).toBe(2);
  }, 30_000);
});
