import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TestIsolation } from '@lianban/testing';
import { apiClient } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

describe('sign-in, sessions and who sees which agencies (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let db: DataSource;
  let api: ReturnType<typeof apiClient>;
  const call: ReturnType<typeof apiClient>['call'] = (...args) => api.call(...args);
  const login: ReturnType<typeof apiClient>['login'] = (...args) => api.login(...args);
  const tokenOf: ReturnType<typeof apiClient>['tokenOf'] = (...args) => api.tokenOf(...args);

  beforeAll(async () => {
    platform = await startDemoPlatform(iso, { config: { accessTokenTtlSeconds: 2 } });
    ({ api, agencies: db } = platform);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  it('signs an officer in and shows who, which agency and which region', async () => {
    const res = await login('ganzhou-mi-officer');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 2, refreshToken: expect.any(String) });
    expect(res.body.principal).toMatchObject({ kind: 'officer', username: 'ganzhou-mi-officer', agencyName: '甘州区医疗保障局', agencyKind: 'MEDICAL_INSURANCE', regionCode: '620702', roles: ['officer'] });
    const me = await call('GET', '/auth/me', res.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: res.body.principal.id, regionCode: '620702' });
  });

  it('refuses a wrong password and an unknown user alike, and audits both', async () => {
    const wrong = await login('linze-police-officer', 'not-the-password');
    const unknown = await login('nobody-here', 'whatever');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', detail: 'Wrong username or password.' });
    }
    const rows = await db.query(`SELECT target, outcome, detail->>'reason' AS reason FROM audit_log WHERE action = 'session.create' AND target = ANY($1) ORDER BY id`, [
      ['linze-police-officer', 'nobody-here'],
    ]);
    expect(rows).toEqual([
      { target: 'linze-police-officer', outcome: 'refused', reason: 'bad_credentials' },
      { target: 'nobody-here', outcome: 'refused', reason: 'bad_credentials' },
    ]);
  });

  it('stops trying after five failed sign-ins, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('linze-court-officer', `guess-${i}`)).status).toBe(401);
    const res = await login('linze-court-officer');
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('TOO_MANY_REQUESTS');
    // When the oldest of the five leaves the window (15 minutes by default), said in the body and in Retry-After.
    expect(res.body.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(res.body.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(res.body.detail).toBe('Too many failed sign-ins for this account; try again in 15 minutes.');
    expect(res.headers.get('retry-after')).toBe(String(res.body.retryAfterSeconds));
  });

  it('refuses requests without a token or with a forged one', async () => {
    expect((await call('GET', '/agencies')).body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await call('GET', '/officers/names')).body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const token = await tokenOf('zhangye-police-officer');
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('not-the-signature').toString('base64url')}`;
    expect((await call('GET', '/agencies', forged)).status).toBe(401);
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const elevated = `${h}.${Buffer.from(JSON.stringify({ ...claims, agencyKind: 'LEADING_GROUP_OFFICE' })).toString('base64url')}.${token.split('.')[2]}`;
    expect((await call('GET', '/agencies', elevated)).status).toBe(401);
  });

  it('lets an access token expire and a refresh token renew it once', async () => {
    const first = await login('linze-mi-officer');
    await new Promise((r) => setTimeout(r, 3100));
    const expired = await call('GET', '/auth/me', first.body.accessToken);
    expect(expired).toMatchObject({ status: 401, body: { code: 'TOKEN_EXPIRED' } });
    const renewed = await call('POST', '/auth/refresh', undefined, { refreshToken: first.body.refreshToken });
    expect(renewed.status).toBe(200);
    expect((await call('GET', '/auth/me', renewed.body.accessToken)).status).toBe(200);
    // The old refresh token was rotated away; presenting it again, past the few seconds a lost answer
    // is allowed, ends the whole session.
    await db.query(`UPDATE session SET refreshed_at = now() - interval '31 seconds' WHERE id = $1`, [first.body.refreshToken.split('.')[0]]);
    const replay = await call('POST', '/auth/refresh', undefined, { refreshToken: first.body.refreshToken });
    expect(replay).toMatchObject({ status: 401, body: { code: 'INVALID_REFRESH_TOKEN' } });
    expect((await call('GET', '/auth/me', renewed.body.accessToken)).body.code).toBe('SESSION_ENDED');
    expect((await call('POST', '/auth/refresh', undefined, { refreshToken: renewed.body.refreshToken })).status).toBe(401);
  }, 15_000);

  it('renews once more for a client that never received its renewed tokens (a page reloaded mid-refresh), and only once', async () => {
    const first = await login('linze-police-officer');
    const lost = await call('POST', '/auth/refresh', undefined, { refreshToken: first.body.refreshToken });
    expect(lost.status).toBe(200);
    // The answer never reached the page: it comes back with the token it still holds.
    const again = await call('POST', '/auth/refresh', undefined, { refreshToken: first.body.refreshToken });
    expect(again.status).toBe(200);
    expect((await call('GET', '/auth/me', again.body.accessToken)).status).toBe(200);
    const [audited] = await db.query(`SELECT outcome, detail FROM audit_log WHERE action = 'session.refresh' AND target = $1 ORDER BY at DESC LIMIT 1`, [first.body.refreshToken.split('.')[0]]);
    expect(audited).toMatchObject({ outcome: 'succeeded', detail: { reason: 'answer_lost' } });
    // A third time is a copy, not a lost answer: the session ends, the newest tokens with it.
    expect((await call('POST', '/auth/refresh', undefined, { refreshToken: first.body.refreshToken })).status).toBe(401);
    expect((await call('GET', '/auth/me', again.body.accessToken)).body.code).toBe('SESSION_ENDED');

    // The token whose answer was lost is dead once the replaced one took its place: presenting it is reuse.
    const second = await login('linze-police-officer');
    const unreceived = await call('POST', '/auth/refresh', undefined, { refreshToken: second.body.refreshToken });
    const retried = await call('POST', '/auth/refresh', undefined, { refreshToken: second.body.refreshToken });
    expect(retried.status).toBe(200);
    expect((await call('POST', '/auth/refresh', undefined, { refreshToken: unreceived.body.refreshToken })).status).toBe(401);
    expect((await call('POST', '/auth/refresh', undefined, { refreshToken: retried.body.refreshToken })).status).toBe(401);
  });

  it('revokes the session on logout: the access and refresh tokens stop working at once', async () => {
    const session = await login('zhangye-procuratorate-officer');
    expect((await call('POST', '/auth/logout', session.body.accessToken)).body).toEqual({ revoked: true });
    expect((await call('GET', '/auth/me', session.body.accessToken)).body).toMatchObject({ status: 401, code: 'SESSION_ENDED' });
    expect((await call('POST', '/auth/refresh', undefined, { refreshToken: session.body.refreshToken })).status).toBe(401);
  });

  it('refuses a disabled account at once, on its open session and at sign-in', async () => {
    const victim = await login('zhangye-mi-officer');
    const admin = await tokenOf('zhangye-mi-admin');
    const res = await call('POST', `/officers/${victim.body.principal.id}/disable`, admin);
    expect(res).toMatchObject({ status: 201, body: { username: 'zhangye-mi-officer', disabled: true } });
    expect((await call('GET', '/auth/me', victim.body.accessToken)).status).toBe(401);
    expect((await login('zhangye-mi-officer')).body).toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });
  });

  it('lets only the agency’s own administrator disable an officer', async () => {
    const target = (await login('zhangye-mi-head')).body.principal.id;
    const colleague = await tokenOf('zhangye-mi-legal-reviewer');
    expect((await call('POST', `/officers/${target}/disable`, colleague)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const [refused] = await db.query(`SELECT actor_id, outcome FROM audit_log WHERE action = 'officer.disable' AND target = $1`, [target]);
    expect(refused).toEqual({ actor_id: (await login('zhangye-mi-legal-reviewer')).body.principal.id, outcome: 'refused' });
    // An officer of another agency does not even learn that the account exists.
    const police = await tokenOf('zhangye-police-head');
    expect((await call('POST', `/officers/${target}/disable`, police)).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('lets the agency’s administrator change an officer’s roles: the open session ends, the next sign-in carries them, audited', async () => {
    const session = await login('linze-mi-officer2');
    const id = session.body.principal.id;
    const admin = await tokenOf('linze-mi-admin');
    const res = await call('PUT', `/officers/${id}/roles`, admin, { roles: ['legal_reviewer', 'officer'] });
    expect(res).toMatchObject({ status: 200, body: { id, username: 'linze-mi-officer2', roles: ['officer', 'legal_reviewer'], disabled: false } });
    // The old token carried the old roles: it stops at once, on the access and the refresh token alike.
    expect((await call('GET', '/auth/me', session.body.accessToken)).body).toMatchObject({ status: 401, code: 'SESSION_ENDED' });
    expect((await call('POST', '/auth/refresh', undefined, { refreshToken: session.body.refreshToken })).status).toBe(401);
    expect((await login('linze-mi-officer2')).body.principal.roles).toEqual(['officer', 'legal_reviewer']);
    const [audited] = await db.query(`SELECT actor_id, outcome, detail FROM audit_log WHERE action = 'officer.set_roles' AND target = $1`, [id]);
    expect(audited).toEqual({ actor_id: (await login('linze-mi-admin')).body.principal.id, outcome: 'succeeded', detail: { previous: ['officer'], roles: ['officer', 'legal_reviewer'] } });
    const [event] = await db.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'officer.roles_changed' AND envelope->'payload'->>'officerId' = $1`, [id]);
    expect(event.payload).toMatchObject({ roles: ['officer', 'legal_reviewer'], previous: ['officer'] });

    // The same roles again change nothing: the new session goes on.
    const again = await login('linze-mi-officer2');
    expect((await call('PUT', `/officers/${id}/roles`, admin, { roles: ['officer', 'legal_reviewer'] })).status).toBe(200);
    expect((await call('GET', '/auth/me', again.body.accessToken)).status).toBe(200);
  });

  it('refuses role changes by anyone but the agency’s administrator, and roles that do not exist, writing nothing', async () => {
    const target = (await login('linze-mi-complaint-handler')).body.principal.id;
    const roles = async () => (await db.query(`SELECT roles FROM account WHERE id = $1`, [target]))[0].roles;
    // The bureau's head is not its administrator; the administrator of another bureau does not learn the account exists.
    expect((await call('PUT', `/officers/${target}/roles`, await tokenOf('linze-mi-head'), { roles: ['admin'] })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await call('PUT', `/officers/${target}/roles`, await tokenOf('ganzhou-mi-admin'), { roles: ['admin'] })).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const [refused] = await db.query(`SELECT outcome FROM audit_log WHERE action = 'officer.set_roles' AND target = $1`, [target]);
    expect(refused).toEqual({ outcome: 'refused' });
    const admin = await tokenOf('linze-mi-admin');
    for (const [body, field] of [
      [{ roles: [] }, 'roles'],
      [{ roles: ['officer', 'superuser'] }, 'roles'],
      [{ roles: ['officer', 'officer'] }, 'roles'],
      [{ roles: 'admin' }, 'roles'],
      [{ roles: ['officer'], agencyId: randomUUID() }, 'agencyId'],
    ] as const) {
      expect((await call('PUT', `/officers/${target}/roles`, admin, body)).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field })] });
    }
    expect((await call('PUT', `/officers/${randomUUID()}/roles`, admin, { roles: ['officer'] })).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await roles()).toEqual(['complaint_handler']);
    // A disabled account keeps the roles it had.
    expect((await call('POST', `/officers/${target}/disable`, admin)).status).toBe(201);
    expect((await call('PUT', `/officers/${target}/roles`, admin, { roles: ['officer'] })).body).toMatchObject({ status: 409, code: 'OFFICER_DISABLED' });
    expect(await roles()).toEqual(['complaint_handler']);
  });

  it('keeps an active administrator in every agency: the last one can neither give up the role nor be disabled', async () => {
    const admin = await login('linze-mi-admin');
    const self = admin.body.principal.id;
    expect((await call('PUT', `/officers/${self}/roles`, admin.body.accessToken, { roles: ['officer'] })).body).toMatchObject({ status: 409, code: 'LAST_ADMINISTRATOR' });
    expect((await call('POST', `/officers/${self}/disable`, admin.body.accessToken)).body).toMatchObject({ status: 409, code: 'LAST_ADMINISTRATOR' });
    expect((await call('GET', '/auth/me', admin.body.accessToken)).status).toBe(200);

    // With a second administrator named, either may give the role up, but not both at once: one of the two is refused.
    const successor = await login('linze-mi-head');
    expect((await call('PUT', `/officers/${successor.body.principal.id}/roles`, admin.body.accessToken, { roles: ['head', 'admin'] })).body).toMatchObject({ roles: ['head', 'admin'] });
    const second = await login('linze-mi-head');
    const [first, other] = await Promise.all([
      call('PUT', `/officers/${self}/roles`, admin.body.accessToken, { roles: ['officer'] }),
      call('PUT', `/officers/${successor.body.principal.id}/roles`, second.body.accessToken, { roles: ['head'] }),
    ]);
    expect([first.status, other.status].sort()).toEqual([200, 409]);
    expect([first.body.code, other.body.code]).toContain('LAST_ADMINISTRATOR');
    const admins = await db.query(`SELECT username FROM account WHERE agency_id = $1 AND 'admin' = ANY(roles) AND disabled_at IS NULL`, [admin.body.principal.agencyId]);
    expect(admins).toHaveLength(1);
    // The one who gave the role up has had their session ended, and may no longer change roles.
    const [gaveUp, kept] = first.status === 200 ? [admin.body.accessToken, second.body.accessToken] : [second.body.accessToken, admin.body.accessToken];
    expect((await call('GET', '/auth/me', gaveUp)).status).toBe(401);
    expect((await call('GET', '/auth/me', kept)).status).toBe(200);
    const former = first.status === 200 ? 'linze-mi-admin' : 'linze-mi-head';
    expect((await call('PUT', `/officers/${self}/roles`, await tokenOf(former), { roles: ['admin'] })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

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
    const [audited] = await db.query(`SELECT actor_id, outcome, detail FROM audit_log WHERE action = 'officer.create' AND target = $1`, [id]);
    expect(audited).toEqual({ actor_id: admin.body.principal.id, outcome: 'succeeded', detail: { username: 'ganzhou-mi-wang', roles: ['officer', 'legal_reviewer'] } });
    const [event] = await db.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'officer.created' AND envelope->'payload'->>'officerId' = $1`, [id]);
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
    const changes = await db.query(`SELECT outcome, detail->>'reason' AS reason, detail->>'temporary' AS temporary FROM audit_log WHERE action = 'account.change_password' AND target = $1 ORDER BY id`, [id]);
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
    expect(await db.query(`SELECT password_change_required FROM account WHERE username = 'ganzhou-mi-li'`)).toEqual([{ password_change_required: true }]);
  });

  it('refuses opening accounts to anyone but an agency’s administrator, a username already taken and a malformed one, writing nothing', async () => {
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM account`))[0].n;
    const before = await count();
    const body = { username: 'ganzhou-mi-zhao', displayName: '赵强', roles: ['officer'] };
    for (const user of ['ganzhou-mi-head', 'ganzhou-police-officer', 'h62070200001']) {
      expect((await call('POST', '/officers', await tokenOf(user), body)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    const refused = await db.query(`SELECT outcome FROM audit_log WHERE action = 'officer.create' AND target = 'ganzhou-mi-zhao'`);
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
    const audits = await db.query(`SELECT actor_id, outcome FROM audit_log WHERE action = 'officer.reset_password' AND target = $1 ORDER BY id`, [id]);
    expect(audits.map((a: { outcome: string }) => a.outcome)).toEqual(['refused', 'succeeded']);
    expect(audits[1].actor_id).toBe(admin.body.principal.id);

    const signedIn = await login('ganzhou-mi-officer2', reset.body.temporaryPassword);
    expect(signedIn.body.principal).toMatchObject({ id, passwordChangeRequired: true });
    // Unused until it expires, the temporary password stops working; the administrator issues another.
    await db.query(`UPDATE account SET password_expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await login('ganzhou-mi-officer2', reset.body.temporaryPassword)).body).toMatchObject({ status: 401, code: 'TEMPORARY_PASSWORD_EXPIRED' });
    const [expired] = await db.query(`SELECT detail->>'reason' AS reason FROM audit_log WHERE action = 'session.create' AND target = 'ganzhou-mi-officer2' ORDER BY id DESC LIMIT 1`);
    expect(expired.reason).toBe('temporary_password_expired');
    // A disabled account gets no new password.
    expect((await call('POST', `/officers/${id}/disable`, admin.body.accessToken)).status).toBe(201);
    expect((await call('POST', `/officers/${id}/password-reset`, admin.body.accessToken)).body).toMatchObject({ status: 409, code: 'OFFICER_DISABLED' });
  });

  it('shows a city agency its districts and a district agency only itself', async () => {
    const city = (await call('GET', '/agencies', await tokenOf('zhangye-health-officer'))).body as { regionCode: string }[];
    expect(new Set(city.map((a) => a.regionCode))).toEqual(new Set(['620700', '620702', '620723']));
    const district = (await call('GET', '/agencies', await tokenOf('ganzhou-police-officer'))).body as { regionCode: string; name: string }[];
    expect(district.length).toBe(8);
    expect(new Set(district.map((a) => a.regionCode))).toEqual(new Set(['620702']));
  });

  it('answers 404, not 403, for an agency outside the caller’s region', async () => {
    const [linzeCourt] = await db.query(`SELECT id FROM agency WHERE name = '临泽县人民法院'`);
    const ganzhou = await tokenOf('ganzhou-mi-officer');
    expect((await call('GET', `/agencies/${linzeCourt.id}`, ganzhou)).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const city = await tokenOf('zhangye-lgo-officer');
    expect((await call('GET', `/agencies/${linzeCourt.id}`, city)).body).toMatchObject({ name: '临泽县人民法院', regionCode: '620723' });
  });

  it('lists only the officers of the caller’s own agency', async () => {
    const officers = (await call('GET', '/officers', await tokenOf('linze-finance-officer'))).body as { username: string }[];
    expect(officers.map((o) => o.username).sort()).toEqual(['linze-finance-head', 'linze-finance-officer']);
  });

  it('names the officers of the agencies in the caller’s jurisdiction, by name and agency only', async () => {
    const names = (await call('GET', '/officers/names', await tokenOf('ganzhou-police-officer'))).body as Record<string, string>[];
    const [mi] = await db.query(`SELECT a.id, a.display_name, a.agency_id FROM account a WHERE a.username = 'ganzhou-mi-officer'`);
    // The medical insurance officer who sent a transfer to police is named to the police.
    expect(names).toContainEqual({ id: mi.id, displayName: mi.display_name, agencyId: mi.agency_id });
    // Nothing but the name and the agency: no username, roles, account state, phone or e-mail.
    for (const n of names) expect(Object.keys(n).sort()).toEqual(['agencyId', 'displayName', 'id']);
    expect(JSON.stringify(names)).not.toMatch(/ganzhou-mi-officer|username|roles|phone|mail|disabled/i);
    // Only the agencies of the caller's jurisdiction: the district's, not the other district's or the city's.
    const agencies: { id: string; region_code: string }[] = await db.query(`SELECT id, region_code FROM agency`);
    const regionOf = new Map(agencies.map((a) => [a.id, a.region_code]));
    expect(new Set(names.map((n) => regionOf.get(n.agencyId)))).toEqual(new Set(['620702']));
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM account a JOIN agency ag ON ag.id = a.agency_id WHERE a.kind = 'officer' AND ag.region_code = '620702'`);
    expect(names).toHaveLength(n);
    // The city's office names the officers of the whole city.
    const city = (await call('GET', '/officers/names', await tokenOf('zhangye-lgo-officer'))).body as Record<string, string>[];
    expect(new Set(city.map((o) => regionOf.get(o.agencyId)))).toEqual(new Set(['620700', '620702', '620723']));
  });

  it('lets an institution account sign in to see only itself', async () => {
    const res = await login('h62070200004');
    expect(res.body.principal).toMatchObject({ kind: 'institution', institutionName: '张掖康泰医院（示例民营）', regionCode: '620702' });
    expect((await call('GET', '/agencies', res.body.accessToken)).body).toEqual([]);
    expect((await call('GET', '/officers', res.body.accessToken)).body).toEqual([]);
    expect((await call('GET', '/officers/names', res.body.accessToken)).body).toEqual([]);
  });
});
