import { randomUUID } from 'node:crypto';
import { demoPlatformForSuite } from './platform';

describe('sign-in, sessions and who sees which agencies (through the gateway)', () => {
  // Access tokens live five seconds, so that one test can watch one expire; the others finish with
  // theirs well within that, even on a machine busy with other suites.
  const suite = demoPlatformForSuite({ config: { accessTokenTtlSeconds: 5 } });
  const { call, login, tokenOf } = suite;

  it('signs an officer in and shows who, which agency and which region', async () => {
    const res = await login('ganzhou-mi-officer');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 5, refreshToken: expect.any(String) });
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
    const rows = await suite.db.query(`SELECT target, outcome, detail->>'reason' AS reason FROM audit_log WHERE action = 'session.create' AND target = ANY($1) ORDER BY id`, [
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

  it('gives many sign-ins at once no more tries than five one after another', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login('linze-market-officer', `guess-${i}`)));
    const tried = answers.filter((a) => a.status === 401).length;
    expect(tried).toBe(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(25);
    // The account's own holder is locked out too, until the window passes.
    expect((await login('linze-market-officer')).status).toBe(429);
  });

  it('does not count a right password as a failure, whatever else stops the sign-in', async () => {
    for (let i = 0; i < 4; i++) expect((await login('linze-health-officer', `guess-${i}`)).status).toBe(401);
    expect((await login('linze-health-officer')).status).toBe(200);
    // The right password cleared the failures: five wrong ones may come again before the lock.
    for (let i = 0; i < 5; i++) expect((await login('linze-health-officer', `again-${i}`)).status).toBe(401);
    expect((await login('linze-health-officer')).status).toBe(429);
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
    await new Promise((r) => setTimeout(r, 6100));
    const expired = await call('GET', '/auth/me', first.body.accessToken);
    expect(expired).toMatchObject({ status: 401, body: { code: 'TOKEN_EXPIRED' } });
    const renewed = await call('POST', '/auth/refresh', undefined, { refreshToken: first.body.refreshToken });
    expect(renewed.status).toBe(200);
    expect((await call('GET', '/auth/me', renewed.body.accessToken)).status).toBe(200);
    // The old refresh token was rotated away; presenting it again, past the few seconds a lost answer
    // is allowed, ends the whole session.
    await suite.db.query(`UPDATE session SET refreshed_at = now() - interval '31 seconds' WHERE id = $1`, [first.body.refreshToken.split('.')[0]]);
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
    const [audited] = await suite.db.query(`SELECT outcome, detail FROM audit_log WHERE action = 'session.refresh' AND target = $1 ORDER BY at DESC LIMIT 1`, [first.body.refreshToken.split('.')[0]]);
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
    const [refused] = await suite.db.query(`SELECT actor_id, outcome FROM audit_log WHERE action = 'officer.disable' AND target = $1`, [target]);
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
    const [audited] = await suite.db.query(`SELECT actor_id, outcome, detail FROM audit_log WHERE action = 'officer.set_roles' AND target = $1`, [id]);
    expect(audited).toEqual({ actor_id: (await login('linze-mi-admin')).body.principal.id, outcome: 'succeeded', detail: { previous: ['officer'], roles: ['officer', 'legal_reviewer'] } });
    const [event] = await suite.db.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'officer.roles_changed' AND envelope->'payload'->>'officerId' = $1`, [id]);
    expect(event.payload).toMatchObject({ roles: ['officer', 'legal_reviewer'], previous: ['officer'] });

    // The same roles again change nothing: the new session goes on.
    const again = await login('linze-mi-officer2');
    expect((await call('PUT', `/officers/${id}/roles`, admin, { roles: ['officer', 'legal_reviewer'] })).status).toBe(200);
    expect((await call('GET', '/auth/me', again.body.accessToken)).status).toBe(200);
  });

  it('refuses role changes by anyone but the agency’s administrator, and roles that do not exist, writing nothing', async () => {
    const target = (await login('linze-mi-complaint-handler')).body.principal.id;
    const roles = async () => (await suite.db.query(`SELECT roles FROM account WHERE id = $1`, [target]))[0].roles;
    // The bureau's head is not its administrator; the administrator of another bureau does not learn the account exists.
    expect((await call('PUT', `/officers/${target}/roles`, await tokenOf('linze-mi-head'), { roles: ['admin'] })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await call('PUT', `/officers/${target}/roles`, await tokenOf('ganzhou-mi-admin'), { roles: ['admin'] })).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const [refused] = await suite.db.query(`SELECT outcome FROM audit_log WHERE action = 'officer.set_roles' AND target = $1`, [target]);
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
    const admins = await suite.db.query(`SELECT username FROM account WHERE agency_id = $1 AND 'admin' = ANY(roles) AND disabled_at IS NULL`, [admin.body.principal.agencyId]);
    expect(admins).toHaveLength(1);
    // The one who gave the role up has had their session ended, and may no longer change roles.
    const [gaveUp, kept] = first.status === 200 ? [admin.body.accessToken, second.body.accessToken] : [second.body.accessToken, admin.body.accessToken];
    expect((await call('GET', '/auth/me', gaveUp)).status).toBe(401);
    expect((await call('GET', '/auth/me', kept)).status).toBe(200);
    const former = first.status === 200 ? 'linze-mi-admin' : 'linze-mi-head';
    expect((await call('PUT', `/officers/${self}/roles`, await tokenOf(former), { roles: ['admin'] })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('shows a city agency its districts, and a district agency its own and those above it, not another district’s', async () => {
    const city = (await call('GET', '/agencies', await tokenOf('zhangye-health-officer'))).body as { regionCode: string }[];
    expect(new Set(city.map((a) => a.regionCode))).toEqual(new Set(['620700', '620702', '620723']));
    const district = (await call('GET', '/agencies', await tokenOf('ganzhou-police-officer'))).body as { regionCode: string; name: string }[];
    expect(district.filter((a) => a.regionCode === '620702')).toHaveLength(8);
    // The city's agencies: they assign the district clues and campaigns, and it names them.
    expect(new Set(district.map((a) => a.regionCode))).toEqual(new Set(['620702', '620700']));
    expect(district.map((a) => a.name)).toContain('张掖市医疗保障局');
  });

  it('answers 404, not 403, for an agency outside the caller’s region', async () => {
    const [linzeCourt] = await suite.db.query(`SELECT id FROM agency WHERE name = '临泽县人民法院'`);
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
    const [mi] = await suite.db.query(`SELECT a.id, a.display_name, a.agency_id FROM account a WHERE a.username = 'ganzhou-mi-officer'`);
    // The medical insurance officer who sent a transfer to police is named to the police.
    expect(names).toContainEqual({ id: mi.id, displayName: mi.display_name, agencyId: mi.agency_id });
    // Nothing but the name and the agency: no username, roles, account state, phone or e-mail.
    for (const n of names) expect(Object.keys(n).sort()).toEqual(['agencyId', 'displayName', 'id']);
    expect(JSON.stringify(names)).not.toMatch(/ganzhou-mi-officer|username|roles|phone|mail|disabled/i);
    // Only the agencies the caller's directory shows: the district's and the city's above it (whose
    // officers sign steps on the district's assigned clues), not the other district's.
    const agencies: { id: string; region_code: string }[] = await suite.db.query(`SELECT id, region_code FROM agency`);
    const regionOf = new Map(agencies.map((a) => [a.id, a.region_code]));
    expect(new Set(names.map((n) => regionOf.get(n.agencyId)))).toEqual(new Set(['620702', '620700']));
    const [{ n }] = await suite.db.query(`SELECT count(*)::int AS n FROM account a JOIN agency ag ON ag.id = a.agency_id WHERE a.kind = 'officer' AND ag.region_code IN ('620702', '620700')`);
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
