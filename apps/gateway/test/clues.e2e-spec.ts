import { DataSource } from 'typeorm';
import { eventually, TestIsolation } from '@lianban/testing';
import { ClockService } from '../../clue-transfer/src/clocks/clock.service';
import { ClueService } from '../../clue-transfer/src/clues/clue.service';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

describe('clues: intake, confidentiality of the reporter, duplicates (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let agencies: DataSource;
  let clueDb: DataSource;
  let api: ReturnType<typeof apiClient>;
  let as: DemoPlatform['as'];
  let ids: DemoPlatform['ids'];

  const reporter = { name: '举报人王某某', phone: '13912345678', idNumber: '62070219800101123X' };
  const tipOff = {
    source: 'tip_off_hotline',
    subject: { kind: 'institution', name: '张掖康泰医院（示例民营）', institutionCode: 'H62070200004' },
    categories: ['H04', 'H06'],
    periodFrom: '2025-01-01',
    periodTo: '2025-06-30',
    amountFen: 38_000_000,
    description: '举报该院挂床住院、重复收费。',
    reporter,
  };

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, agencies, as, ids } = platform);
    clueDb = platform.services.get('clue-transfer')!.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  it('takes in a real-name tip-off without ever showing or storing the reporter in the clear', async () => {
    const res = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), tipOff);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: 'tip_off_hotline', status: 'received', hasReporter: true, regionCode: '620702', repeatedParty: false, duplicates: [] });
    expect(res.body.number).toMatch(/^XS620702-\d{4}-\d{6}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/王某某|13912345678|62070219800101123X/);
    const [row] = await clueDb.query(`SELECT encode(reporter_enc, 'escape') AS sealed FROM clue WHERE id = $1`, [res.body.id]);
    expect(row.sealed).not.toContain('13912345678');
    const events = await clueDb.query(`SELECT envelope::text AS e FROM outbox_event WHERE type = 'clue.received'`);
    expect(events.map((x: Json) => x.e).join()).not.toMatch(/王某某|13912345678/);
  });

  it('shows the reporter to the tip-off desk of the receiving bureau only, and audits every request', async () => {
    const clue = (await api.call('POST', '/clues', await as('ganzhou-mi-officer'), tipOff)).body;
    const desk = await api.call('POST', `/clues/${clue.id}/reporter`, await as('ganzhou-mi-complaint-handler'));
    expect(desk).toMatchObject({ status: 200, body: reporter });
    expect((await api.call('POST', `/clues/${clue.id}/reporter`, await as('ganzhou-mi-officer'))).body).toMatchObject({ status: 403 });
    // The city bureau's desk sees the clue (its district) but not who reported it to the district.
    expect((await api.call('POST', `/clues/${clue.id}/reporter`, await as('zhangye-mi-complaint-handler'))).body).toMatchObject({ status: 403 });
    // Police and another district's desk do not even see the clue: 404, as for a clue that does not exist, and recorded all the same.
    expect((await api.call('POST', `/clues/${clue.id}/reporter`, await as('ganzhou-police-officer'))).body).toMatchObject({ status: 404 });
    expect((await api.call('POST', `/clues/${clue.id}/reporter`, await as('linze-mi-complaint-handler'))).body).toMatchObject({ status: 404 });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api.call('POST', `/clues/${unknown}/reporter`, await as('linze-mi-complaint-handler'))).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const audit = await clueDb.query(`SELECT actor_id, outcome, detail->>'reason' AS reason FROM audit_log WHERE action = 'clue.reveal_reporter' AND target = ANY($1) ORDER BY id`, [[clue.id, unknown]]);
    expect(audit).toEqual(
      [
        ['ganzhou-mi-complaint-handler', 'succeeded', null],
        ['ganzhou-mi-officer', 'refused', 'forbidden'],
        ['zhangye-mi-complaint-handler', 'refused', 'forbidden'],
        ['ganzhou-police-officer', 'refused', 'not_found'],
        ['linze-mi-complaint-handler', 'refused', 'not_found'],
        ['linze-mi-complaint-handler', 'refused', 'not_found'],
      ].map(([user, outcome, reason]) => ({ actor_id: ids[user!], outcome, reason })),
    );
  });

  it('never lets the reporter reach police through a transfer made from the clue', async () => {
    const clue = (await api.call('POST', '/clues', await as('ganzhou-mi-officer'), tipOff)).body;
    const [police] = await agencies.query(`SELECT id FROM agency WHERE name = '张掖市公安局甘州分局'`);
    const team = (await agencies.query(`SELECT id FROM account WHERE username IN ('ganzhou-mi-officer', 'ganzhou-mi-officer2')`)).map((r: Json) => r.id);
    const draft = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
      route: 'mi_to_police', receiverAgencyId: police.id, clueId: clue.id, title: '举报线索查实移送', summary: '根据举报线索查实，涉嫌诈骗医保基金，依法移送。', teamOfficerIds: team,
    });
    expect(draft.status).toBe(201);
    for (const [user, body] of [['ganzhou-mi-officer', { action: 'submit' }], ['ganzhou-mi-head', { action: 'approve' }], ['ganzhou-mi-officer', { action: 'send', documentNumber: '甘医保移〔2026〕11号' }]] as const) {
      await api.call('POST', `/transfers/${draft.body.id}/steps`, await as(user), body);
    }
    const seen = await api.call('GET', `/transfers/${draft.body.id}`, await as('ganzhou-police-officer'));
    expect(seen.body).toMatchObject({ state: 'sent', clueId: clue.id });
    expect(JSON.stringify(seen.body)).not.toMatch(/王某某|13912345678|62070219800101123X/);
    expect((await api.call('GET', `/clues/${clue.id}`, await as('ganzhou-police-officer'))).status).toBe(404);
  });

  it('masks an insured person’s ID number', async () => {
    const res = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), {
      source: 'big_data', subject: { kind: 'insured_person', name: '李某', idNumber: '620702199001011234' }, categories: ['I02'], periodFrom: '2025-03-01', periodTo: '2025-03-31', description: '同一医保凭证一天内在三家药店购药。',
    });
    expect(res.body.subject).toEqual({ kind: 'insured_person', name: '李某', institutionCode: null, idNumber: '620702********1234' });
  });

  it('matches clues on a person by the ID number: two people of one name are two parties, one person written two ways is one', async () => {
    const token = await as('ganzhou-mi-officer');
    const person = (name: string, idNumber?: string) => ({
      source: 'big_data', subject: { kind: 'insured_person', name, ...(idNumber ? { idNumber } : {}) }, categories: ['I02'], periodFrom: '2025-05-01', periodTo: '2025-05-31', description: '医保凭证异常使用。',
    });
    const wang = (await api.call('POST', '/clues', token, person('王建华', '620702198805051111'))).body;
    // Another 王建华, another number: not the same party.
    expect((await api.call('POST', '/clues', token, person('王建华', '620702199912122222'))).body.duplicates).toEqual([]);
    // The first 王建华's number under a name written differently: the same party.
    const again = (await api.call('POST', '/clues', token, person('王建华（又名王健华）', '620702198805051111'))).body;
    expect(again.duplicates.map((d: Json) => d.id)).toEqual([wang.id]);
    // A clue naming him without a number is matched by the name.
    const unnamed = (await api.call('POST', '/clues', token, person('王建华'))).body;
    expect(unnamed.duplicates.map((d: Json) => d.id)).toEqual(expect.arrayContaining([wang.id]));
    // Matched on a keyed index: the number is nowhere in the clear, nor as its plain hash.
    const [row] = await clueDb.query(`SELECT subject_id_index, encode(subject_id_index, 'hex') AS hex FROM clue WHERE id = $1`, [wang.id]);
    expect(row.subject_id_index).toHaveLength(32);
    const { createHash } = await import('node:crypto');
    for (const alg of ['sha256', 'sm3']) expect(row.hex).not.toBe(createHash(alg).update('620702198805051111').digest('hex'));

    // Clues recorded before the index existed are indexed when the service starts.
    await clueDb.query(`UPDATE clue SET subject_id_index = NULL WHERE id = ANY($1)`, [[wang.id, again.id]]);
    expect((await api.call('GET', `/clues/${again.id}`, token)).body.duplicates).toEqual([]);
    expect(await platform.services.get('clue-transfer')!.get(ClueService).indexSubjectIds()).toBe(2);
    expect((await api.call('GET', `/clues/${again.id}`, token)).body.duplicates.map((d: Json) => d.id)).toEqual([wang.id]);
  });

  it('shows earlier clues on the same institution with an overlapping period, and flags a party named repeatedly', async () => {
    const token = await as('linze-mi-officer');
    const base = { source: 'inspection', subject: { kind: 'institution', name: '临泽县康源大药房（示例）', institutionCode: 'H62072300004' }, categories: ['P01'], description: '现场检查发现串换药品。' };
    const first = (await api.call('POST', '/clues', token, { ...base, periodFrom: '2025-01-01', periodTo: '2025-03-31' })).body;
    const apart = (await api.call('POST', '/clues', token, { ...base, periodFrom: '2025-06-01', periodTo: '2025-06-30' })).body;
    expect(apart.duplicates).toEqual([]);
    const third = (await api.call('POST', '/clues', token, { ...base, periodFrom: '2025-03-01', periodTo: '2025-05-31' })).body;
    expect(third.duplicates).toEqual([{ id: first.id, number: first.number, periodFrom: '2025-01-01', periodTo: '2025-03-31' }]);
    expect(first.repeatedParty).toBe(false);
    expect(third.repeatedParty).toBe(true);

    // Another district's bureau is not told of Linze's clues (it could not open them); the city's bureau is.
    const overlapping = { ...base, periodFrom: '2025-02-01', periodTo: '2025-02-28' };
    const ganzhou = (await api.call('POST', '/clues', await as('ganzhou-mi-officer'), overlapping)).body;
    expect(ganzhou.duplicates).toEqual([]);
    // Nor that Linze has heard of the party three times: repeated among the clues the reader opens.
    expect(ganzhou.repeatedParty).toBe(false);
    expect((await api.call('GET', `/clues/${ganzhou.id}`, await as('zhangye-mi-officer'))).body.repeatedParty).toBe(true);
    expect((await api.call('GET', `/clues/${ganzhou.id}`, await as('ganzhou-mi-officer'))).body.duplicates).toEqual([]);
    const read = async (user: string, id: string) => ((await api.call('GET', `/clues/${id}`, await as(user))).body.duplicates as Json[]).map((d) => d.id);
    expect(await read('zhangye-mi-officer', ganzhou.id)).toEqual([first.id]);
    // Nor is Linze told of Ganzhou's.
    const later = (await api.call('POST', '/clues', token, overlapping)).body;
    expect(later.duplicates.map((d: Json) => d.id)).toEqual([first.id]);
  });

  it('refuses a clue with bad fields, and from an agency that does not take clues in', async () => {
    const bad = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), { ...tipOff, categories: ['Z99'], periodFrom: '2025-13-01' });
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(bad.body.errors.map((e: Json) => e.field).sort()).toEqual(['categories', 'periodFrom']);
    const reporterOnScreening = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), { ...tipOff, source: 'big_data' });
    expect(reporterOnScreening.body).toMatchObject({ status: 400, errors: [{ field: 'reporter', codes: ['reporterOnlyForTipOff'] }] });
    const assignedWithoutDate = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), { ...tipOff, source: 'assigned', reporter: undefined });
    expect(assignedWithoutDate.body).toMatchObject({ status: 400, errors: [{ field: 'reportBackBy', codes: ['reportBackNeeded'] }] });
    const weekDate = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), { ...tipOff, source: 'assigned', reporter: undefined, reportBackBy: '2099-W13' });
    expect(weekDate.body).toMatchObject({ status: 400, errors: [{ field: 'reportBackBy', codes: ['deadlineFormat'] }] });
    // A report-back date belongs to a clue assigned from above, not to a tip-off.
    expect((await api.call('POST', '/clues', await as('ganzhou-mi-officer'), { ...tipOff, reportBackBy: '2099-03-31' })).body).toMatchObject({ status: 400, errors: [{ field: 'reportBackBy', codes: ['reportBackOnlyAssigned'] }] });
    // A date alone is due back by 24:00 that day, Shanghai time.
    const assigned = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), { ...tipOff, source: 'assigned', reporter: undefined, reportBackBy: '2099-03-31' });
    expect(assigned.body).toMatchObject({ status: 'received', reportBackBy: '2099-03-31T16:00:00.000Z' });
    expect(await clueDb.query(`SELECT due_at FROM clock WHERE subject_id = $1 AND step = 'report_back'`, [assigned.body.id])).toEqual([{ due_at: new Date('2099-03-31T16:00:00Z') }]);
    expect((await api.call('POST', '/clues', await as('ganzhou-police-officer'), tipOff)).body).toMatchObject({ status: 403 });
  });

  it('decides a clue within its 15 working days and then owes the real-name reporter a notice', async () => {
    const token = await as('ganzhou-mi-officer');
    const clue = (await api.call('POST', '/clues', token, tipOff)).body;
    expect(new Date(clue.filingDecisionDueAt).getTime()).toBeGreaterThan(Date.now() + 14 * 86_400_000);
    expect(clue.allowedActions).toEqual(['triage']);
    const early = await api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'conclude', outcome: 'case_opened' });
    expect(early.body).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', allowed: ['triage'] });
    await api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'triage' });
    await api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'start_verification' });
    expect((await api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'conclude' })).body).toMatchObject({ status: 400, errors: [{ field: 'outcome', codes: ['outcomeNeeded'] }] });
    // Cleared only with an outcome the record bears out: no case names it yet, no transfer from it was sent.
    const conclude = (outcome: string) => api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'conclude', outcome });
    expect((await conclude('case_opened')).body).toMatchObject({ status: 400, errors: [{ field: 'outcome', codes: ['outcomeWithoutCase'] }] });
    expect((await conclude('transferred')).body).toMatchObject({ status: 400, errors: [{ field: 'outcome', codes: ['outcomeWithoutTransfer'] }] });
    const team = [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']];
    const filed = await api.call('POST', '/cases', token, { title: '康泰医院挂床住院案', partyName: '张掖康泰医院', facts: '核查举报属实，该院存在挂床住院行为。', documentNumber: '甘医保立〔2026〕70号', officerIds: team, clueIds: [clue.id] });
    expect(filed.status).toBe(201);
    expect((await conclude('unfounded')).body).toMatchObject({ status: 400, errors: [{ field: 'outcome', codes: ['outcomeContradicted'], params: { outcomeContradicted: { found: 'case' } } }] });
    const concluded = await api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'conclude', outcome: 'case_opened', note: '立案查处' });
    expect(concluded.body).toMatchObject({ status: 'concluded', outcome: 'case_opened', allowedActions: ['notify_reporter'] });
    const clocks = await clueDb.query(`SELECT step, stopped_at IS NOT NULL AS stopped FROM clock WHERE subject_id = $1 ORDER BY started_at, step`, [clue.id]);
    expect(clocks).toEqual([
      { step: 'clue_filing_decision', stopped: true },
      { step: 'reporter_notice', stopped: false },
    ]);
    const told = await api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'notify_reporter', note: '已电话告知举报人王某某' });
    expect(told.body.allowedActions).toEqual([]);
    // The step shows that and when the reporter was told; how (which may name them) only to the tip-off desk.
    const noticeStep = async (user: string) => ((await api.call('GET', `/clues/${clue.id}`, await as(user))).body.steps as Json[]).find((s) => s.action === 'notify_reporter');
    expect(await noticeStep('ganzhou-mi-complaint-handler')).toMatchObject({ actorId: ids['ganzhou-mi-officer'], note: '已电话告知举报人王某某', noteWithheld: false });
    for (const user of ['ganzhou-mi-officer', 'zhangye-mi-officer', 'zhangye-lgo-officer']) {
      expect([user, await noticeStep(user)]).toEqual([user, expect.objectContaining({ note: null, noteWithheld: true, toStatus: 'concluded' })]);
    }
    expect(JSON.stringify(told.body)).not.toContain('王某某');
    // Lists carry no steps.
    const listed = (await api.call('GET', '/clues?pageSize=5', token)).body.items as Json[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((c) => c.steps === undefined)).toBe(true);
  });

  it('lets the tip-off desk take a clue in and the officers decide on it; the administrator and the legal reviewer do neither', async () => {
    const desk = await api.call('POST', '/clues', await as('ganzhou-mi-complaint-handler'), tipOff);
    expect(desk.status).toBe(201);
    expect(desk.body.allowedActions).toEqual([]);
    expect((await api.call('POST', '/clues', await as('ganzhou-mi-admin'), tipOff)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    for (const user of ['ganzhou-mi-complaint-handler', 'ganzhou-mi-legal-reviewer', 'ganzhou-mi-admin']) {
      expect([user, (await api.call('POST', `/clues/${desk.body.id}/steps`, await as(user), { action: 'triage' })).status]).toEqual([user, 403]);
    }
    // Each refusal is on the audit log, though the step left nothing else; so is a try from another district (404).
    expect((await api.call('POST', `/clues/${desk.body.id}/steps`, await as('linze-mi-officer'), { action: 'triage' })).status).toBe(404);
    const refused = await clueDb.query(`SELECT actor_id, detail FROM audit_log WHERE action = 'clue.triage' AND target = $1 AND outcome = 'refused' ORDER BY id`, [desk.body.id]);
    const forbidden = { status: 403, code: 'FORBIDDEN' };
    expect(refused).toEqual([
      { actor_id: ids['ganzhou-mi-complaint-handler'], detail: forbidden },
      { actor_id: ids['ganzhou-mi-legal-reviewer'], detail: forbidden },
      { actor_id: ids['ganzhou-mi-admin'], detail: forbidden },
      { actor_id: ids['linze-mi-officer'], detail: { status: 404, code: 'NOT_FOUND' } },
    ]);
    const officer = await api.call('GET', `/clues/${desk.body.id}`, await as('ganzhou-mi-officer'));
    expect(officer.body.allowedActions).toEqual(['triage']);
    expect((await api.call('POST', `/clues/${desk.body.id}/steps`, await as('ganzhou-mi-head'), { action: 'triage' })).body.status).toBe('triaged');
  });

  it('concludes a clue as transferred once a transfer from it was sent, not while it is a draft', async () => {
    const token = await as('ganzhou-mi-officer');
    const clue = (await api.call('POST', '/clues', token, { ...tipOff, reporter: undefined, source: 'inspection' })).body;
    for (const action of ['triage', 'start_verification']) await api.call('POST', `/clues/${clue.id}/steps`, token, { action });
    const draft = await api.call('POST', '/transfers', token, {
      route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], clueId: clue.id, title: '康泰医院涉嫌诈骗', summary: '核查发现虚构住院，涉嫌诈骗罪。', teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(draft.status).toBe(201);
    const conclude = () => api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'conclude', outcome: 'transferred' });
    expect((await conclude()).body).toMatchObject({ status: 400, errors: [{ codes: ['outcomeWithoutTransfer'] }] });
    const step = async (user: string, body: Json) => (await api.call('POST', `/transfers/${draft.body.id}/steps`, await as(user), body)).body.state;
    expect(await step('ganzhou-mi-officer', { action: 'submit' })).toBe('awaiting_approval');
    expect(await step('ganzhou-mi-head', { action: 'approve' })).toBe('approved');
    expect(await step('ganzhou-mi-officer', { action: 'send', documentNumber: '甘医保移〔2026〕9号' })).toBe('sent');
    expect((await api.call('POST', `/clues/${clue.id}/steps`, token, { action: 'conclude', outcome: 'unfounded' })).body).toMatchObject({ errors: [{ codes: ['outcomeContradicted'], params: { outcomeContradicted: { found: 'transfer' } } }] });
    expect((await conclude()).body).toMatchObject({ status: 'concluded', outcome: 'transferred' });
  });

  describe('assigned down by the city (交办) and reported back', () => {
    const assignment = (assignTo: string, extra: Json = {}) => ({
      ...tipOff,
      reporter: undefined,
      source: 'assigned',
      reportBackBy: '2099-03-31',
      assignmentReference: '张医保交〔2026〕3号',
      assignToAgencyId: assignTo,
      ...extra,
    });
    const step = async (user: string, id: string, body: Json) => api.call('POST', `/clues/${id}/steps`, await as(user), body);
    const inbox = async (user: string) => (await api.call('GET', '/inbox', await as(user))).body as Json[];

    it('gives the district the clue with its report-back date; the district reports, the city returns it with reasons and a new date, then accepts it', async () => {
      const created = await api.call('POST', '/clues', await as('zhangye-mi-officer'), assignment(ids['甘州区医疗保障局']));
      expect(created.status).toBe(201);
      const clue = created.body;
      // The clue is the district's from the start: its number, its clocks, its steps to take.
      expect(clue).toMatchObject({ agencyId: ids['甘州区医疗保障局'], regionCode: '620702', assignedByAgencyId: ids['张掖市医疗保障局'], assignmentReference: '张医保交〔2026〕3号', status: 'received', allowedActions: [] });
      expect(clue.number).toMatch(/^XS620702-/);
      expect(await clueDb.query(`SELECT step, duty_agency_id FROM clock WHERE subject_id = $1 ORDER BY step`, [clue.id])).toEqual([
        { step: 'clue_filing_decision', duty_agency_id: ids['甘州区医疗保障局'] },
        { step: 'report_back', duty_agency_id: ids['甘州区医疗保障局'] },
      ]);
      expect((await api.call('GET', `/clues/${clue.id}`, await as('ganzhou-mi-officer'))).body.allowedActions).toEqual(['triage']);
      await eventually(async () => (await inbox('ganzhou-mi-officer')).find((n) => n.link === `/clues/${clue.id}` && /交办/.test(n.title)));

      // Nothing to accept before the district has reported; the district cannot accept its own report.
      expect((await step('zhangye-mi-officer', clue.id, { action: 'accept_report' })).body).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', allowed: [] });
      for (const action of ['triage', 'start_verification']) expect((await step('ganzhou-mi-officer', clue.id, { action })).status).toBe(201);
      const reported = await step('ganzhou-mi-officer', clue.id, { action: 'conclude', outcome: 'unfounded', note: '经核查，未发现挂床住院。' });
      expect(reported.body).toMatchObject({ status: 'reported', outcome: 'unfounded', allowedActions: [] });
      expect(await clueDb.query(`SELECT step FROM clock WHERE subject_id = $1 AND stopped_at IS NULL`, [clue.id])).toEqual([]);
      expect((await step('ganzhou-mi-officer', clue.id, { action: 'accept_report' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      const city = await api.call('GET', `/clues/${clue.id}`, await as('zhangye-mi-officer'));
      expect(city.body.allowedActions).toEqual(['accept_report', 'return_report']);
      await eventually(async () => (await inbox('zhangye-mi-officer')).find((n) => n.link === `/clues/${clue.id}` && /上报/.test(n.title)));
      // Only the city's enforcement officers decide on the report: not its tip-off desk, not the leading-group office.
      for (const user of ['zhangye-mi-complaint-handler', 'zhangye-mi-legal-reviewer', 'zhangye-lgo-officer']) {
        expect([user, (await step(user, clue.id, { action: 'accept_report' })).status]).toEqual([user, 403]);
      }
      expect((await step('linze-mi-officer', clue.id, { action: 'accept_report' })).status).toBe(404);

      // Returned: with the reasons and a new date in the future, both required.
      expect((await step('zhangye-mi-officer', clue.id, { action: 'return_report' })).body).toMatchObject({
        status: 400,
        errors: [
          { field: 'note', codes: ['returnReasonNeeded'] },
          { field: 'reportBackBy', codes: ['reportBackNeeded'] },
        ],
      });
      expect((await step('zhangye-mi-officer', clue.id, { action: 'return_report', note: '未核查住院病历', reportBackBy: '2020-01-01' })).body).toMatchObject({ status: 400, errors: [{ field: 'reportBackBy', codes: ['deadlineNotFuture'] }] });
      const returned = await step('zhangye-mi-officer', clue.id, { action: 'return_report', note: '未核查住院病历，请调阅病案后重新上报。', reportBackBy: '2099-04-30' });
      expect(returned.body).toMatchObject({ status: 'verifying', outcome: null, reportBackBy: '2099-04-30T16:00:00.000Z', allowedActions: [] });
      expect(await clueDb.query(`SELECT step, due_at FROM clock WHERE subject_id = $1 AND stopped_at IS NULL`, [clue.id])).toEqual([{ step: 'report_back', due_at: new Date('2099-04-30T16:00:00Z') }]);
      await eventually(async () => (await inbox('ganzhou-mi-officer')).find((n) => n.link === `/clues/${clue.id}` && n.kind === 'clue.report_returned' && n.priority === 'high'));
      expect((await api.call('GET', `/clues/${clue.id}`, await as('ganzhou-mi-officer'))).body.allowedActions).toEqual(['conclude']);

      expect((await step('ganzhou-mi-officer', clue.id, { action: 'conclude', outcome: 'unfounded', note: '调阅病案后仍未发现违规。' })).body.status).toBe('reported');
      const accepted = await step('zhangye-mi-head', clue.id, { action: 'accept_report', note: '同意销号' });
      expect(accepted.body).toMatchObject({ status: 'concluded', outcome: 'unfounded', allowedActions: [] });
      await eventually(async () => (await inbox('ganzhou-mi-officer')).find((n) => n.link === `/clues/${clue.id}` && n.kind === 'clue.report_accepted'));
      // Both bureaus read the whole history on the clue: who did what, for which bureau, with the reasons.
      const city2 = ids['张掖市医疗保障局'];
      const district = ids['甘州区医疗保障局'];
      for (const user of ['ganzhou-mi-officer', 'zhangye-mi-officer']) {
        const { steps } = (await api.call('GET', `/clues/${clue.id}`, await as(user))).body;
        expect(steps.map((s: Json) => [s.seq, s.action, s.fromStatus, s.toStatus, s.actorId, s.agencyId, s.note])).toEqual([
          [1, 'assign', null, 'received', ids['zhangye-mi-officer'], city2, null],
          [2, 'triage', 'received', 'triaged', ids['ganzhou-mi-officer'], district, null],
          [3, 'start_verification', 'triaged', 'verifying', ids['ganzhou-mi-officer'], district, null],
          [4, 'conclude', 'verifying', 'reported', ids['ganzhou-mi-officer'], district, '经核查，未发现挂床住院。'],
          [5, 'return_report', 'reported', 'verifying', ids['zhangye-mi-officer'], city2, '未核查住院病历，请调阅病案后重新上报。'],
          [6, 'conclude', 'verifying', 'reported', ids['ganzhou-mi-officer'], district, '调阅病案后仍未发现违规。'],
          [7, 'accept_report', 'reported', 'concluded', ids['zhangye-mi-head'], city2, '同意销号'],
        ]);
        expect(steps.every((s: Json) => !Number.isNaN(Date.parse(s.at)))).toBe(true);
      }
      // The city finds what it assigned down.
      const mine = await api.call('GET', `/clues?assignedBy=${ids['张掖市医疗保障局']}&pageSize=100`, await as('zhangye-mi-officer'));
      expect(mine.body.items.map((c: Json) => c.id)).toContain(clue.id);
      expect(new Set(mine.body.items.map((c: Json) => c.assignedByAgencyId))).toEqual(new Set([ids['张掖市医疗保障局']]));
    });

    it('tells the assigning bureau, besides the district, when the report is overdue', async () => {
      const clue = (await api.call('POST', '/clues', await as('zhangye-mi-officer'), assignment(ids['甘州区医疗保障局']))).body;
      await clueDb.query(`UPDATE clock SET due_at = now() - interval '1 minute', due_soon_at = now() - interval '1 day' WHERE subject_id = $1 AND step = 'report_back'`, [clue.id]);
      await platform.services.get('clue-transfer')!.get(ClockService).fireDue();
      for (const user of ['zhangye-mi-officer', 'ganzhou-mi-officer']) {
        await eventually(async () => (await inbox(user)).find((n) => n.link === `/clues/${clue.id}` && n.kind === 'clock.overdue' && n.priority === 'high'));
      }
      // A district's own report-back date (assigned from outside the platform) is the district's alone.
      const own = (await api.call('POST', '/clues', await as('ganzhou-mi-officer'), assignment(ids['甘州区医疗保障局'], { assignToAgencyId: undefined }))).body;
      expect(await clueDb.query(`SELECT also_tell FROM clock WHERE subject_id = ANY($1) AND step = 'report_back' ORDER BY started_at`, [[clue.id, own.id]])).toEqual([
        { also_tell: [ids['张掖市医疗保障局']] },
        { also_tell: [] },
      ]);
    });

    it('assigns only down, to a medical insurance bureau in the assigning bureau’s jurisdiction, and only by its officers and heads', async () => {
      const assign = async (user: string, body: Json) => (await api.call('POST', '/clues', await as(user), body)).body;
      const count = async () => (await clueDb.query(`SELECT count(*)::int AS n FROM clue`))[0].n;
      const before = await count();
      // Not sideways, not up, not to another kind of agency.
      expect(await assign('ganzhou-mi-officer', assignment(ids['临泽县医疗保障局']))).toMatchObject({ status: 400, errors: [{ field: 'assignToAgencyId', codes: ['assigneeNotSubordinate'] }] });
      expect(await assign('ganzhou-mi-officer', assignment(ids['张掖市医疗保障局']))).toMatchObject({ status: 400, errors: [{ field: 'assignToAgencyId', codes: ['assigneeNotSubordinate'] }] });
      expect(await assign('zhangye-mi-officer', assignment(ids['张掖市医疗保障局']))).toMatchObject({ status: 400, errors: [{ field: 'assignToAgencyId', codes: ['assigneeNotSubordinate'] }] });
      expect(await assign('zhangye-mi-officer', assignment(ids['张掖市公安局甘州分局']))).toMatchObject({ status: 400, errors: [{ field: 'assignToAgencyId', codes: ['assigneeNotSubordinate'] }] });
      expect(await assign('zhangye-mi-officer', assignment('00000000-0000-4000-8000-000000000000'))).toMatchObject({ status: 400, errors: [{ field: 'assignToAgencyId', codes: ['agencyNotFound'] }] });
      // Only an assignment is assigned down, and it carries its report-back date.
      expect(await assign('zhangye-mi-officer', assignment(ids['甘州区医疗保障局'], { source: 'big_data', reportBackBy: undefined }))).toMatchObject({ status: 400, errors: [{ field: 'assignToAgencyId', codes: ['assignOnlyAssigned'] }] });
      expect(await assign('zhangye-mi-officer', assignment(ids['甘州区医疗保障局'], { reportBackBy: undefined }))).toMatchObject({ status: 400, errors: [{ field: 'reportBackBy', codes: ['reportBackNeeded'] }] });
      expect(await assign('zhangye-mi-officer', assignment('not-a-uuid'))).toMatchObject({ status: 400, errors: [{ field: 'assignToAgencyId' }] });
      // The city's tip-off desk takes clues in but does not assign them.
      expect(await assign('zhangye-mi-complaint-handler', assignment(ids['甘州区医疗保障局']))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(await count()).toBe(before);
      // A clue recorded by the district itself, assigned from outside the platform, is concluded without anyone's acceptance.
      const own = (await api.call('POST', '/clues', await as('ganzhou-mi-officer'), assignment(ids['甘州区医疗保障局'], { assignToAgencyId: undefined }))).body;
      expect(own).toMatchObject({ assignedByAgencyId: null, status: 'received' });
      for (const action of ['triage', 'start_verification']) await step('ganzhou-mi-officer', own.id, { action });
      expect((await step('ganzhou-mi-officer', own.id, { action: 'conclude', outcome: 'unfounded' })).body.status).toBe('concluded');
    });
  });

  it('keeps clues within the bureau’s jurisdiction: a district sees its own, the city its districts', async () => {
    const linze = (await api.call('GET', '/clues', await as('linze-mi-officer'))).body as Json[];
    expect(linze.length).toBeGreaterThan(0);
    expect(new Set(linze.map((c) => c.regionCode))).toEqual(new Set(['620723']));
    const city = (await api.call('GET', '/clues', await as('zhangye-lgo-officer'))).body as Json[];
    expect(new Set(city.map((c) => c.regionCode))).toEqual(new Set(['620702', '620723']));
    expect((await api.call('GET', '/clues', await as('zhangye-police-head'))).body).toEqual([]);
  });
});
