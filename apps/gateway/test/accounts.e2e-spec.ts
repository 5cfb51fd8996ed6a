import { randomUUID } from 'node:crypto';
import { OutboxWriter } from '@lianban/persistence';
import { applyDirectory } from '../../agencies/src/directory-file/apply-directory';
import { readDirectoryFile } from '../../agencies/src/directory-file/directory-file';
import { demoPlatformForSuite } from './platform';

/**
 * Accounts and passwords through the gateway and the real services: an agency's administrator
 * opens officers' accounts and resets forgotten passwords, each with a temporary password that
 * reaches nothing until its holder has chosen their own. (The sign-in suite runs with 5-second
 * access tokens to test their expiry; these tests keep theirs for the default lifetime.)
 */
describe('accounts and passwords (through the gateway)', () => {
  const suite = demoPlatformForSuite();
  const { call, login, tokenOf } = suite;

  /** A temporary password as the platform makes them: three groups of four unambiguous letters and digits. */
  const TEMPORARY = /^[A-HJ-NP-Za-km-z2-9]{4}-[A-HJ-NP-Za-km-z2-9]{4}-[A-HJ-NP-Za-km-z2-9]{4}$/;

  it('lets the agency’s administrator open an account: the officer signs in with the temporary password and may do nothing before choosing their own', async () => {
    const admin = await login('ganzhou-mi-admin');
    const opened = await call('POST', '/officers', admin.body.accessToken, { username: 'ganzhou-mi-wang', displayName: ' 王敏 ', roles: ['legal_reviewer', 'officer'] });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect(opened.body.officer).toMatchObject({ username: 'ganzhou-mi-wang', displayName: '王敏', agencyId: admin.body.principal.agencyId, roles: ['officer', 'legal_reviewer'], disabled: false });
    expect(opened.body.temporaryPassword).toMatch(TEMPORARY);
    const hours = (Date.parse(opened.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    const id = opened.body.officer.id;
    const [audited] = await suite.db.query(`SELECT actor_id, outcome, detail FROM audit_log WHERE action = 'officer.create' AND target = $1`, [id]);
    expect(audited).toEqual({ actor_id: admin.body.principal.id, outcome: 'succeeded', detail: { username: 'ganzhou-mi-wang', roles: ['officer', 'legal_reviewer'] } });
    const [event] = await suite.db.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'officer.created' AND envelope->'payload'->>'officerId' = $1`, [id]);
    expect(event.payload).toEqual({ officerId: id, agencyId: admin.body.principal.agencyId, roles: ['officer', 'legal_reviewer'] });
    // The new officer appears in the agency's list, as the console shows it.
    expect(((await call('GET', '/officers', admin.body.accessToken)).body as { username: string }[]).map((o) => o.username)).toContain('ganzhou-mi-wang');

    const first = await login('ganzhou-mi-wang', opened.body.temporaryPassword);
    expect(first.body.principal).toMatchObject({ username: 'ganzhou-mi-wang', roles: ['officer', 'legal_reviewer'], passwordChangeRequired: true });
    const temporary = first.body.accessToken;
    for (const [method, path] of [['GET', '/agencies'], ['GET', '/clues'], ['GET', '/inbox'], ['POST', `/officers/${id}/password-reset`]] as const) {
      expect((await call(method, path, temporary)).body).toMatchObject({ status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
    }
    expect((await call('GET', '/auth/me', temporary)).body).toMatchObject({ id });
    // A renewed token carries the obligation as well.
    const renewed = await call('POST', '/auth/refresh', undefined, { refreshToken: first.body.refreshToken });
    expect((await call('GET', '/agencies', renewed.body.accessToken)).body).toMatchObject({ status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });

    const other = await login('ganzhou-mi-wang', opened.body.temporaryPassword);
    const current = opened.body.temporaryPassword;
    for (const [newPassword, code] of [
      ['Short1a', 'isStrongPassword'],
      ['alllowercase123', 'isStrongPassword'],
      ['Ganzhou-Mi-Wang2026', 'containsUsername'],
      [current, 'samePassword'],
    ] as const) {
      expect((await call('POST', '/auth/password', renewed.body.accessToken, { currentPassword: current, newPassword })).body).toMatchObject({
        status: 400,
        errors: [{ field: 'newPassword', codes: [code] }],
      });
    }
    const changed = await call('POST', '/auth/password', renewed.body.accessToken, { currentPassword: current, newPassword: 'Gansu#Zhangye2026' });
    expect(changed.status).toBe(200);
    expect(changed.body.principal.passwordChangeRequired).toBeUndefined();
    expect((await call('GET', '/agencies', changed.body.accessToken)).status).toBe(200);
    // The session that changed it goes on with the new tokens; the account's other session has ended.
    expect((await call('POST', '/auth/refresh', undefined, { refreshToken: renewed.body.refreshToken })).status).toBe(401);
    expect((await call('GET', '/auth/me', other.body.accessToken)).body).toMatchObject({ status: 401, code: 'SESSION_ENDED' });
    expect((await login('ganzhou-mi-wang', current)).status).toBe(401);
    expect((await login('ganzhou-mi-wang', 'Gansu#Zhangye2026')).body.principal.passwordChangeRequired).toBeUndefined();
    const changes = await suite.db.query(`SELECT outcome, detail->>'reason' AS reason, detail->>'temporary' AS temporary FROM audit_log WHERE action = 'account.change_password' AND target = $1 ORDER BY id`, [id]);
    // The rules every password follows are checked at the gateway; the two that need the account, by the service, which audits them.
    expect(changes).toEqual([
      { outcome: 'refused', reason: 'weak_password', temporary: null },
      { outcome: 'refused', reason: 'weak_password', temporary: null },
      { outcome: 'succeeded', reason: null, temporary: 'true' },
    ]);
  });

  it('counts a wrong current password as a failed sign-in, and stops after five', async () => {
    const admin = await tokenOf('ganzhou-mi-admin');
    const opened = await call('POST', '/officers', admin, { username: 'ganzhou-mi-li', displayName: '李娜', roles: ['officer'] });
    const session = await login('ganzhou-mi-li', opened.body.temporaryPassword);
    for (let i = 0; i < 5; i++) {
      expect((await call('POST', '/auth/password', session.body.accessToken, { currentPassword: `guess-${i}`, newPassword: 'Gansu#Linze2026' })).body).toMatchObject({
        status: 400,
        errors: [{ field: 'currentPassword', codes: ['wrongCurrentPassword'] }],
      });
    }
    const locked = await call('POST', '/auth/password', session.body.accessToken, { currentPassword: opened.body.temporaryPassword, newPassword: 'Gansu#Linze2026' });
    expect(locked.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect((await login('ganzhou-mi-li', opened.body.temporaryPassword)).status).toBe(429);
    expect(await suite.db.query(`SELECT password_change_required FROM account WHERE username = 'ganzhou-mi-li'`)).toEqual([{ password_change_required: true }]);
  });

  it('refuses opening accounts to anyone but an agency’s administrator, a username already taken and a malformed one, writing nothing', async () => {
    const count = async () => (await suite.db.query(`SELECT count(*)::int AS n FROM account`))[0].n;
    const before = await count();
    const body = { username: 'ganzhou-mi-zhao', displayName: '赵强', roles: ['officer'] };
    for (const user of ['ganzhou-mi-head', 'ganzhou-police-officer', 'h62070200001']) {
      expect((await call('POST', '/officers', await tokenOf(user), body)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    const refused = await suite.db.query(`SELECT outcome FROM audit_log WHERE action = 'officer.create' AND target = 'ganzhou-mi-zhao'`);
    expect(refused).toEqual(Array(3).fill({ outcome: 'refused' }));
    const admin = await tokenOf('ganzhou-mi-admin');
    // Usernames are unique across the platform, whichever agency or institution holds them.
    for (const username of ['ganzhou-mi-officer', 'zhangye-police-head', 'h62070200001']) {
      expect((await call('POST', '/officers', admin, { ...body, username })).body).toMatchObject({ status: 409, code: 'USERNAME_TAKEN' });
    }
    for (const [wrong, field] of [
      [{ username: 'Ganzhou Zhao' }, 'username'],
      [{ username: 'zz' }, 'username'],
      [{ displayName: '   ' }, 'displayName'],
      [{ roles: [] }, 'roles'],
      [{ roles: ['root'] }, 'roles'],
      [{ agencyId: randomUUID() }, 'agencyId'],
      [{ password: 'Chosen#2026x' }, 'password'],
    ] as const) {
      expect((await call('POST', '/officers', admin, { ...body, ...wrong })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field })] });
    }
    expect(await count()).toBe(before);
  });

  it('resets a forgotten password: the officer’s sessions end, a lock-out is lifted, and the temporary password expires', async () => {
    const open = await login('ganzhou-mi-officer2');
    const id = open.body.principal.id;
    for (let i = 0; i < 5; i++) await login('ganzhou-mi-officer2', `forgotten-${i}`);
    expect((await login('ganzhou-mi-officer2')).status).toBe(429);
    // Nobody but the agency's own administrator; another bureau's does not learn the account exists.
    expect((await call('POST', `/officers/${id}/password-reset`, await tokenOf('ganzhou-mi-head'))).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await call('POST', `/officers/${id}/password-reset`, await tokenOf('linze-mi-admin'))).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const admin = await login('ganzhou-mi-admin');
    const reset = await call('POST', `/officers/${id}/password-reset`, admin.body.accessToken);
    expect(reset.status).toBe(200);
    expect(reset.body.temporaryPassword).toMatch(TEMPORARY);
    expect((await call('GET', '/auth/me', open.body.accessToken)).body).toMatchObject({ status: 401, code: 'SESSION_ENDED' });
    expect((await login('ganzhou-mi-officer2')).status).toBe(401);
    const audits = await suite.db.query(`SELECT actor_id, outcome FROM audit_log WHERE action = 'officer.reset_password' AND target = $1 ORDER BY id`, [id]);
    expect(audits.map((a: { outcome: string }) => a.outcome)).toEqual(['refused', 'succeeded']);
    expect(audits[1].actor_id).toBe(admin.body.principal.id);

    const signedIn = await login('ganzhou-mi-officer2', reset.body.temporaryPassword);
    expect(signedIn.body.principal).toMatchObject({ id, passwordChangeRequired: true });
    // Unused until it expires, the temporary password stops working; the administrator issues another.
    await suite.db.query(`UPDATE account SET password_expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await login('ganzhou-mi-officer2', reset.body.temporaryPassword)).body).toMatchObject({ status: 401, code: 'TEMPORARY_PASSWORD_EXPIRED' });
    const [expired] = await suite.db.query(`SELECT detail->>'reason' AS reason FROM audit_log WHERE action = 'session.create' AND target = 'ganzhou-mi-officer2' ORDER BY id DESC LIMIT 1`);
    expect(expired.reason).toBe('temporary_password_expired');
    // A disabled account gets no new password.
    expect((await call('POST', `/officers/${id}/disable`, admin.body.accessToken)).status).toBe(201);
    expect((await call('POST', `/officers/${id}/password-reset`, admin.body.accessToken)).body).toMatchObject({ status: 409, code: 'OFFICER_DISABLED' });
  });

  it('lets the agency’s administrator enable a disabled account again: with its roles and a new temporary password, the old one no longer works', async () => {
    const admin = await login('ganzhou-mi-admin');
    const opened = await call('POST', '/officers', admin.body.accessToken, { username: 'ganzhou-mi-sun', displayName: '孙立', roles: ['officer', 'head'] });
    const id = opened.body.officer.id;
    const first = await login('ganzhou-mi-sun', opened.body.temporaryPassword);
    expect((await call('POST', '/auth/password', first.body.accessToken, { currentPassword: opened.body.temporaryPassword, newPassword: 'Ganzhou#Sun2026' })).status).toBe(200);
    // Enabling is no password reset: an account in use is refused.
    expect((await call('POST', `/officers/${id}/enable`, admin.body.accessToken)).body).toMatchObject({ status: 409, code: 'OFFICER_ENABLED' });
    expect((await call('POST', `/officers/${id}/disable`, admin.body.accessToken)).body).toMatchObject({ disabled: true });
    expect((await login('ganzhou-mi-sun', 'Ganzhou#Sun2026')).body).toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });

    // Nobody but the agency's own administrator; another district's does not learn the account exists.
    expect((await call('POST', `/officers/${id}/enable`, await tokenOf('ganzhou-mi-head'))).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await call('POST', `/officers/${id}/enable`, await tokenOf('linze-mi-admin'))).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await call('POST', `/officers/${id}/enable`, await tokenOf('zhangye-mi-admin'))).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await login('ganzhou-mi-sun', 'Ganzhou#Sun2026')).body).toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });

    const enabled = await call('POST', `/officers/${id}/enable`, admin.body.accessToken);
    expect(enabled.status).toBe(200);
    expect(enabled.headers.get('cache-control')).toBe('no-store');
    expect(enabled.body.officer).toMatchObject({ id, username: 'ganzhou-mi-sun', roles: ['officer', 'head'], disabled: false });
    expect(enabled.body.temporaryPassword).toMatch(TEMPORARY);
    expect((await login('ganzhou-mi-sun', 'Ganzhou#Sun2026')).status).toBe(401);
    const back = await login('ganzhou-mi-sun', enabled.body.temporaryPassword);
    expect(back.body.principal).toMatchObject({ id, roles: ['officer', 'head'], passwordChangeRequired: true });

    const audits = await suite.db.query(`SELECT actor_id, outcome, detail->'roles' AS roles FROM audit_log WHERE action = 'officer.enable' AND target = $1 ORDER BY id`, [id]);
    expect(audits.map((a: { outcome: string }) => a.outcome)).toEqual(['refused', 'succeeded']);
    expect(audits[1]).toMatchObject({ actor_id: admin.body.principal.id, roles: ['officer', 'head'] });
    const events = await suite.db.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'officer.enabled' AND envelope->'payload'->>'officerId' = $1`, [id]);
    expect(events).toEqual([{ payload: { officerId: id, agencyId: admin.body.principal.agencyId, roles: ['officer', 'head'] } }]);
  });

  it('lets the agency’s administrator correct an officer’s name, as every agency that names the officer reads it', async () => {
    const admin = await login('ganzhou-mi-admin');
    const opened = await call('POST', '/officers', admin.body.accessToken, { username: 'ganzhou-mi-zhou', displayName: '周小明', roles: ['officer'] });
    const id = opened.body.officer.id;
    const name = async () => (await suite.db.query(`SELECT display_name FROM account WHERE id = $1`, [id]))[0].display_name;

    // Only the agency's own administrator: a colleague and the region's leading-group office, who read the
    // account, are refused (audited); the city bureau's and another district's administrators do not see it.
    const refusedBy: string[] = [];
    for (const user of ['ganzhou-mi-head', 'ganzhou-lgo-officer']) {
      const other = await login(user);
      refusedBy.push(other.body.principal.id);
      expect((await call('PATCH', `/officers/${id}`, other.body.accessToken, { displayName: '周晓明' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    for (const user of ['zhangye-mi-admin', 'linze-mi-admin']) {
      expect((await call('PATCH', `/officers/${id}`, await tokenOf(user), { displayName: '周晓明' })).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    expect((await call('PATCH', `/officers/${randomUUID()}`, admin.body.accessToken, { displayName: '周晓明' })).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await call('PATCH', '/officers/ganzhou-mi-zhou', admin.body.accessToken, { displayName: '周晓明' })).status).toBe(400);
    for (const [wrong, field] of [
      [{ displayName: '   ' }, 'displayName'],
      [{ displayName: '' }, 'displayName'],
      [{ displayName: '周'.repeat(65) }, 'displayName'],
      [{ displayName: 7 }, 'displayName'],
      [{ displayName: '周晓明', username: 'ganzhou-mi-zhou2' }, 'username'],
      [{ displayName: '周晓明', roles: ['admin'] }, 'roles'],
    ] as const) {
      expect((await call('PATCH', `/officers/${id}`, admin.body.accessToken, wrong)).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field })] });
    }
    expect(await name()).toBe('周小明');

    const renamed = await call('PATCH', `/officers/${id}`, admin.body.accessToken, { displayName: ' 周晓明 ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, username: 'ganzhou-mi-zhou', displayName: '周晓明', roles: ['officer'], disabled: false });
    // The city bureau names the officer's steps from its directory: it reads the new name.
    const names = (await call('GET', '/officers/names', await tokenOf('zhangye-mi-officer'))).body as { id: string; displayName: string }[];
    expect(names.find((o) => o.id === id)).toMatchObject({ displayName: '周晓明' });
    // A name grants nothing: the officer's sessions go on, and the next sign-in carries the new name.
    const officer = await login('ganzhou-mi-zhou', opened.body.temporaryPassword);
    expect(officer.body.principal.displayName).toBe('周晓明');
    // The same name again records nothing; a disabled account (who signed past steps) is corrected too.
    expect((await call('PATCH', `/officers/${id}`, admin.body.accessToken, { displayName: '周晓明' })).status).toBe(200);
    await call('POST', `/officers/${id}/disable`, admin.body.accessToken);
    expect((await call('PATCH', `/officers/${id}`, admin.body.accessToken, { displayName: '周晓鸣' })).body).toMatchObject({ displayName: '周晓鸣', disabled: true });

    const audits = await suite.db.query(`SELECT actor_id, outcome, detail FROM audit_log WHERE action = 'officer.rename' AND target = $1 ORDER BY id`, [id]);
    expect(audits).toEqual([
      { actor_id: refusedBy[0], outcome: 'refused', detail: {} },
      { actor_id: refusedBy[1], outcome: 'refused', detail: {} },
      { actor_id: admin.body.principal.id, outcome: 'succeeded', detail: { previous: '周小明', displayName: '周晓明' } },
      { actor_id: admin.body.principal.id, outcome: 'succeeded', detail: { previous: '周晓明', displayName: '周晓鸣' } },
    ]);
    const events = await suite.db.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'officer.renamed' AND envelope->'payload'->>'officerId' = $1 ORDER BY seq`, [id]);
    expect(events.map((e: { payload: unknown }) => e.payload)).toEqual([
      { officerId: id, agencyId: admin.body.principal.agencyId, displayName: '周晓明', previous: '周小明' },
      { officerId: id, agencyId: admin.body.principal.agencyId, displayName: '周晓鸣', previous: '周晓明' },
    ]);
  });

  it('lets the agency’s administrator keep its telephone and address, as the agencies of its jurisdiction read them', async () => {
    const admin = await login('ganzhou-mi-admin');
    const agencyId = admin.body.principal.agencyId;
    const row = async () => (await suite.db.query(`SELECT contact_phone, contact_address FROM agency WHERE id = $1`, [agencyId]))[0];
    const before = await row();

    // Only the agency's own administrator: a colleague and the city bureau's administrator are refused (audited), another district's does not see it.
    for (const user of ['ganzhou-mi-head', 'zhangye-mi-admin']) {
      expect((await call('PATCH', `/agencies/${agencyId}`, await tokenOf(user), { contactPhone: '0936-0000000' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await call('PATCH', `/agencies/${agencyId}`, await tokenOf('linze-mi-admin'), { contactPhone: '0936-0000000' })).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const refused = await suite.db.query(`SELECT outcome FROM audit_log WHERE action = 'agency.update_contacts' AND target = $1`, [agencyId]);
    expect(refused).toEqual([{ outcome: 'refused' }, { outcome: 'refused' }]);
    for (const [wrong, field] of [
      [{ contactPhone: 'ask the desk' }, 'contactPhone'],
      [{ contactPhone: '12' }, 'contactPhone'],
      [{ contactPhone: 936 }, 'contactPhone'],
      [{ contactAddress: ' 县府街 ' }, 'contactAddress'],
      [{ contactAddress: '街'.repeat(201) }, 'contactAddress'],
      [{ name: '甘州区医保局' }, 'name'],
    ] as const) {
      expect((await call('PATCH', `/agencies/${agencyId}`, admin.body.accessToken, { contactAddress: '张掖市甘州区县府街 32 号', ...wrong })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field })] });
    }
    expect(await row()).toEqual(before);

    const changed = await call('PATCH', `/agencies/${agencyId}`, admin.body.accessToken, { contactPhone: '0936-8212393', contactAddress: '张掖市甘州区县府街 32 号' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: agencyId, contactPhone: '0936-8212393', contactAddress: '张掖市甘州区县府街 32 号' });
    // A field left out stays; null removes it.
    expect((await call('PATCH', `/agencies/${agencyId}`, admin.body.accessToken, { contactAddress: null })).body).toMatchObject({ contactPhone: '0936-8212393', contactAddress: null });
    // The city bureau's officers find the new number in their directory.
    const seen = ((await call('GET', '/agencies', await tokenOf('zhangye-mi-officer'))).body as { id: string; contactPhone: string }[]).find((a) => a.id === agencyId);
    expect(seen).toMatchObject({ contactPhone: '0936-8212393', contactAddress: null });
    // The same contacts again change nothing and record nothing.
    expect((await call('PATCH', `/agencies/${agencyId}`, admin.body.accessToken, { contactPhone: '0936-8212393' })).status).toBe(200);

    const audits = await suite.db.query(`SELECT actor_id, detail FROM audit_log WHERE action = 'agency.update_contacts' AND target = $1 AND outcome = 'succeeded' ORDER BY id`, [agencyId]);
    expect(audits).toEqual([
      { actor_id: admin.body.principal.id, detail: { previous: { contactPhone: before.contact_phone, contactAddress: before.contact_address }, contacts: { contactPhone: '0936-8212393', contactAddress: '张掖市甘州区县府街 32 号' } } },
      { actor_id: admin.body.principal.id, detail: { previous: { contactPhone: '0936-8212393', contactAddress: '张掖市甘州区县府街 32 号' }, contacts: { contactPhone: '0936-8212393', contactAddress: null } } },
    ]);
    const events = await suite.db.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'agency.contacts_changed' ORDER BY seq`);
    expect(events.map((e: { payload: unknown }) => e.payload)).toEqual([
      { agencyId, contactPhone: '0936-8212393', contactAddress: '张掖市甘州区县府街 32 号' },
      { agencyId, contactPhone: '0936-8212393', contactAddress: null },
    ]);
  });

  it('gives an agency set up by the directory tool its first administrator, who signs in with the temporary password and then runs the agency', async () => {
    const file = await readDirectoryFile(
      JSON.stringify({
        agencies: [{ name: '民乐县医疗保障局', kind: 'MEDICAL_INSURANCE', regionCode: '620722', parent: '张掖市医疗保障局', admins: [{ username: 'minle-mi-admin', displayName: '民乐县医保局管理员' }] }],
      }),
    );
    const report = await applyDirectory(suite.db, new OutboxWriter('agencies', suite.iso.schema('agencies')), file, { operator: '王建华' });
    const [issued] = report.accounts;

    const first = await login('minle-mi-admin', issued.temporaryPassword);
    expect(first.body.principal).toMatchObject({ agencyName: '民乐县医疗保障局', regionCode: '620722', roles: ['admin'], passwordChangeRequired: true });
    expect((await call('GET', '/officers', first.body.accessToken)).body).toMatchObject({ status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
    const changed = await call('POST', '/auth/password', first.body.accessToken, { currentPassword: issued.temporaryPassword, newPassword: 'Minle#Bureau2026' });
    expect(changed.status).toBe(200);

    const admin = changed.body.accessToken;
    const opened = await call('POST', '/officers', admin, { username: 'minle-mi-zhao', displayName: '赵刚', roles: ['officer'] });
    expect(opened.status).toBe(201);
    expect(((await call('GET', '/officers', admin)).body as { username: string }[]).map((o) => o.username)).toEqual(['minle-mi-admin', 'minle-mi-zhao']);
    // The city's bureau finds the new district bureau in its directory; a district elsewhere does not.
    expect(((await call('GET', '/agencies', await tokenOf('zhangye-mi-officer'))).body as { name: string }[]).map((a) => a.name)).toContain('民乐县医疗保障局');
    expect(((await call('GET', '/agencies', await tokenOf('linze-mi-officer'))).body as { name: string }[]).map((a) => a.name)).not.toContain('民乐县医疗保障局');
  });
});
