import { DataSource } from 'typeorm';
import { TestIsolation } from '@lianban/testing';
import { apiClient } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

describe('designated institutions and their agreements (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let db: DataSource;
  let api: ReturnType<typeof apiClient>;
  let cityMi: string;

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, agencies: db } = platform);
    cityMi = await api.tokenOf('zhangye-mi-officer');
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  const idOf = async (code: string): Promise<string> => (await db.query(`SELECT id FROM institution WHERE code = $1`, [code]))[0].id;

  it('shows each agency the institutions of its jurisdiction only', async () => {
    const city = (await api.call('GET', '/institutions', cityMi)).body as { code: string }[];
    expect(city).toHaveLength(12);
    const linze = (await api.call('GET', '/institutions', await api.tokenOf('linze-health-officer'))).body as { regionCode: string }[];
    expect(linze).toHaveLength(5);
    expect(new Set(linze.map((i) => i.regionCode))).toEqual(new Set(['620723']));
  });

  it('shows finance and the court no institution register', async () => {
    for (const user of ['zhangye-finance-officer', 'zhangye-court-head']) {
      expect((await api.call('GET', '/institutions', await api.tokenOf(user))).body).toEqual([]);
    }
  });

  it('lets an institution read itself and answers 404 for its neighbour', async () => {
    const own = await api.tokenOf('h62070200006');
    expect((await api.call('GET', '/institutions', own)).body.map((i: { code: string }) => i.code)).toEqual(['H62070200006']);
    expect((await api.call('GET', `/institutions/${await idOf('H62070200007')}`, own)).status).toBe(404);
  });

  it('registers an institution with a code that names its region', async () => {
    const res = await api.call('POST', '/institutions', cityMi, { code: 'H62072300006', name: '临泽县新华诊所（示例）', kind: 'hospital', ownership: 'private', level: '1_or_below' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'H62072300006', regionCode: '620723', agreementStatus: 'active', newAgreementBlockedUntil: null, portalAccount: 'none' });
    expect(res.body.agreementNext).toEqual(['suspended', 'terminated', 'terminated_for_fraud']);
    const again = await api.call('POST', '/institutions', cityMi, { code: 'H62072300006', name: '重复', kind: 'hospital', ownership: 'private', level: '2' });
    expect(again.body).toMatchObject({ status: 409, code: 'DUPLICATE_INSTITUTION_CODE' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'institution.create'`);
    expect(n).toBe(1);
  });

  it('issues a newly registered institution its portal account: it chooses its own password, and a new one ends its sessions', async () => {
    const created = await api.call('POST', '/institutions', cityMi, { code: 'H62072300007', name: '临泽县平川镇卫生院', kind: 'hospital', ownership: 'public', level: '1_or_below' });
    const id = created.body.id;
    // Only the bureau of its jurisdiction: another district's bureau does not see it; police and the office see it, and may not.
    expect((await api.call('POST', `/institutions/${id}/account`, await api.tokenOf('ganzhou-mi-officer'))).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await api.call('POST', `/institutions/${id}/account`, await api.tokenOf('linze-police-officer'))).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await api.call('POST', `/institutions/${id}/account`, await api.tokenOf('zhangye-lgo-officer'))).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await db.query(`SELECT 1 FROM account WHERE institution_id = $1`, [id])).toEqual([]);

    const issued = await api.call('POST', `/institutions/${id}/account`, await api.tokenOf('linze-mi-officer'));
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect(issued.body).toMatchObject({ username: 'h62072300007', temporaryPassword: expect.stringMatching(/^\S{4}-\S{4}-\S{4}$/) });
    const first = await api.login('h62072300007', issued.body.temporaryPassword);
    expect(first.body.principal).toMatchObject({ kind: 'institution', institutionName: '临泽县平川镇卫生院', passwordChangeRequired: true });
    expect((await api.call('GET', '/institutions', first.body.accessToken)).body).toMatchObject({ status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
    const changed = await api.call('POST', '/auth/password', first.body.accessToken, { currentPassword: issued.body.temporaryPassword, newPassword: 'Pingchuan#2026' });
    expect(changed.status).toBe(200);
    expect((await api.call('GET', '/institutions', changed.body.accessToken)).body.map((i: { code: string }) => i.code)).toEqual(['H62072300007']);
    // The bureau's register shows the account opened, then disabled (it answers ACCOUNT_DISABLED to a new password).
    expect((await api.call('GET', `/institutions/${id}`, cityMi)).body.portalAccount).toBe('active');

    // Lost: the bureau issues a new temporary password; the account is the same, its sessions end.
    const again = await api.call('POST', `/institutions/${id}/account`, cityMi);
    expect(again.body.username).toBe('h62072300007');
    expect((await api.call('GET', '/auth/me', changed.body.accessToken)).status).toBe(401);
    expect((await api.login('h62072300007', 'Pingchuan#2026')).status).toBe(401);
    expect((await api.login('h62072300007', again.body.temporaryPassword)).body.principal.passwordChangeRequired).toBe(true);
    const audits = await db.query(`SELECT outcome FROM audit_log WHERE action = 'institution.issue_account' AND target = $1 ORDER BY id`, [id]);
    expect(audits.map((a: { outcome: string }) => a.outcome)).toEqual(['refused', 'refused', 'succeeded', 'succeeded']);
    expect(await db.query(`SELECT count(*)::int AS n FROM account WHERE institution_id = $1`, [id])).toEqual([{ n: 1 }]);
    await db.query(`UPDATE account SET disabled_at = now() WHERE institution_id = $1`, [id]);
    expect((await api.call('GET', `/institutions/${id}`, cityMi)).body.portalAccount).toBe('disabled');
    expect((await api.call('POST', `/institutions/${id}/account`, cityMi)).body).toMatchObject({ status: 409, code: 'ACCOUNT_DISABLED' });
  });

  it('refuses a malformed code, an unknown region and a region outside the caller’s reach', async () => {
    const base = { name: '某诊所', kind: 'pharmacy', ownership: 'private', level: '1_or_below' };
    expect((await api.call('POST', '/institutions', cityMi, { ...base, code: 'X123' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'code', codes: ['matches'] }] });
    expect((await api.call('POST', '/institutions', cityMi, { ...base, code: 'H62079900001' })).body).toMatchObject({ status: 400, code: 'UNKNOWN_REGION' });
    const ganzhou = await api.tokenOf('ganzhou-mi-officer');
    expect((await api.call('POST', '/institutions', ganzhou, { ...base, code: 'H62072300009' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const police = await api.tokenOf('zhangye-police-officer');
    expect((await api.call('POST', '/institutions', police, { ...base, code: 'H62070200099' })).status).toBe(403);
    expect(await db.query(`SELECT code FROM institution WHERE code IN ('H62072300009', 'H62070200099')`)).toEqual([]);
  });

  it('blocks a new agreement for three years after a termination for fraud', async () => {
    const id = await idOf('H62070200005');
    // Dates on the Shanghai calendar, relative to today, so the rule is tested whatever the date.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const plus3 = `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`;
    const dayBefore = new Date(Date.parse(`${plus3}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const terminated = await api.call('POST', `/institutions/${id}/agreement`, cityMi, { status: 'terminated_for_fraud', effectiveDate: today, reason: '虚构医疗服务，骗取医保基金' });
    expect(terminated.body).toMatchObject({ agreementStatus: 'terminated_for_fraud', agreementStatusSince: today, newAgreementBlockedUntil: plus3, agreementNext: ['active'] });
    const early = await api.call('POST', `/institutions/${id}/agreement`, cityMi, { status: 'active', effectiveDate: today, reason: '重新签订协议' });
    expect(early.body).toMatchObject({ status: 409, code: 'AGREEMENT_BLOCKED', blockedUntil: plus3 });
    // Nor is a renewal recorded now to take effect once the three years are over: it would apply at once.
    for (const effectiveDate of [dayBefore, plus3]) {
      expect((await api.call('POST', `/institutions/${id}/agreement`, cityMi, { status: 'active', effectiveDate, reason: '预签协议' })).body).toMatchObject({
        status: 400,
        errors: [{ field: 'effectiveDate', codes: ['effectiveInFuture'], params: { effectiveInFuture: { today } } }],
      });
    }
    const suspend = await api.call('POST', `/institutions/${id}/agreement`, cityMi, { status: 'suspended', effectiveDate: today, reason: '暂停' });
    expect(suspend.body).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', current: 'terminated_for_fraud', allowed: ['active'] });
    const backdated = await api.call('POST', `/institutions/${id}/agreement`, cityMi, { status: 'active', effectiveDate: '2020-01-01', reason: '倒签' });
    expect(backdated.body).toMatchObject({ status: 400, errors: [{ field: 'effectiveDate', codes: ['effectiveBeforeCurrent'], params: { effectiveBeforeCurrent: { since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } } }] });
    // Three years pass (the termination moved back by three years): a new agreement takes effect today.
    await db.query(`UPDATE institution SET agreement_status_since = agreement_status_since - interval '3 years' WHERE id = $1`, [id]);
    expect((await api.call('GET', `/institutions/${id}`, cityMi)).body).toMatchObject({ agreementStatus: 'terminated_for_fraud', newAgreementBlockedUntil: null });
    const renewed = await api.call('POST', `/institutions/${id}/agreement`, cityMi, { status: 'active', effectiveDate: today, reason: '期满重新签订协议' });
    expect(renewed.body).toMatchObject({ agreementStatus: 'active', agreementStatusSince: today, newAgreementBlockedUntil: null });
  });

  it('lets only medical insurance change an agreement, and hides other regions', async () => {
    const id = await idOf('H62072300002');
    const health = await api.tokenOf('zhangye-health-head');
    expect((await api.call('POST', `/institutions/${id}/agreement`, health, { status: 'suspended', effectiveDate: '2026-11-23', reason: '暂停' })).body).toMatchObject({ status: 403 });
    const ganzhou = await api.tokenOf('ganzhou-mi-head');
    expect((await api.call('POST', `/institutions/${id}/agreement`, ganzhou, { status: 'suspended', effectiveDate: '2026-11-23', reason: '暂停' })).body).toMatchObject({ status: 404 });
    const [row] = await db.query(`SELECT agreement_status FROM institution WHERE id = $1`, [id]);
    expect(row.agreement_status).toBe('active');
  });

  it('lists the leading group of each place with its member agencies (Annex 5)', async () => {
    const groups = (await api.call('GET', '/leading-groups', await api.tokenOf('ganzhou-lgo-officer'))).body;
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ name: '甘州区打击欺诈骗保专项整治行动领导小组', regionCode: '620702' });
    expect(groups[0].members[0]).toMatchObject({ position: 'leader', agencyName: '甘州区医疗保障局' });
    expect(groups[0].members).toHaveLength(11);
    expect((await api.call('GET', '/leading-groups', cityMi)).body).toHaveLength(3);
  });
});
