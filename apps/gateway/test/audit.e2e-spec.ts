import { DataSource } from 'typeorm';
import { shanghaiDate } from '@lianban/clocks';
import { Json } from './api';
import { demoPlatformForSuite } from './platform';

/**
 * The audit trail through the gateway: an agency's administrator reads what the agency's officers
 * did, every service's log merged newest first, narrowed and paged; nobody else reads it.
 */
describe('audit trail (through the gateway)', () => {
  // The administrator's webhook (a notifications act) may point at loopback; no event it asks for happens here.
  const suite = demoPlatformForSuite({ config: { webhookAllowedDestinations: '127.0.0.1/32' } });
  const { call, tokenOf } = suite;
  const reporter = { name: '举报人赵某某', phone: '13987654321', idNumber: '620702198502021234' };
  let clueId: string;
  let officerId: string;
  let deskId: string;

  const trail = async (token: string, query = ''): Promise<Json> => {
    const res = await call('GET', `/audit${query}`, token);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    // What the district bureau's officers do across three services: a clue taken in and its
    // reporter read (clue-transfer), a refused look at the reporter, a webhook (notifications),
    // the agency's contacts (agencies) and every sign-in (agencies).
    const officer = await suite.login('ganzhou-mi-officer');
    officerId = officer.body.principal.id;
    const desk = await suite.login('ganzhou-mi-complaint-handler');
    deskId = desk.body.principal.id;
    const clue = await call('POST', '/clues', officer.body.accessToken, {
      source: 'tip_off_hotline',
      subject: { kind: 'institution', name: '张掖康泰医院（示例民营）', institutionCode: 'H62070200004' },
      categories: ['H04'],
      periodFrom: '2025-01-01',
      periodTo: '2025-06-30',
      amountFen: 1_200_000,
      description: '举报该院挂床住院。',
      reporter,
    });
    expect(clue.status).toBe(201);
    clueId = clue.body.id;
    expect((await call('POST', `/clues/${clueId}/reporter`, desk.body.accessToken)).status).toBe(200);
    expect((await call('POST', `/clues/${clueId}/reporter`, officer.body.accessToken)).status).toBe(403);
    const admin = await tokenOf('ganzhou-mi-admin');
    expect((await call('PATCH', `/agencies/${officer.body.principal.agencyId}`, admin, { contactPhone: '0936-8212393' })).status).toBe(200);
    expect((await call('POST', '/webhooks', admin, { url: 'http://127.0.0.1:9/hook', kinds: ['transfer.submitted'] })).status).toBe(201);
  });

  it('shows the agency’s administrator what its officers did in every service, newest first, with no reporter in it', async () => {
    const page = await trail(await tokenOf('ganzhou-mi-admin'), '?limit=200');
    const entries: Json[] = page.items;
    expect(page.next).toBeNull();
    const actions = entries.map((e) => `${e.service} ${e.action} ${e.outcome}`);
    for (const expected of [
      'clue-transfer clue.create succeeded',
      'clue-transfer clue.reveal_reporter succeeded',
      'clue-transfer clue.reveal_reporter refused',
      'agencies agency.update_contacts succeeded',
      'notifications webhook.create succeeded',
      'agencies session.create succeeded',
    ]) {
      expect(actions).toContain(expected);
    }
    const reveal = entries.find((e) => e.action === 'clue.reveal_reporter' && e.outcome === 'succeeded');
    expect(reveal).toMatchObject({ actorKind: 'officer', actorId: deskId, target: clueId, correlationId: expect.any(String) });
    // Everything that request did, in every service: the one look at the reporter.
    const request: Json[] = (await trail(await tokenOf('ganzhou-mi-admin'), `?correlationId=${encodeURIComponent(reveal.correlationId)}`)).items;
    expect(request.map((e) => e.action)).toEqual(['clue.reveal_reporter']);
    // Newest first, across the services: the administrator's sign-in to read it, then the webhook (the last act before).
    expect(entries.slice(0, 2).map((e) => e.action)).toEqual(['session.create', 'webhook.create']);
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Only the agency's own officers, and nothing of the reporter.
    const agencyOfficers = new Set(((await call('GET', '/officers', await tokenOf('ganzhou-mi-admin'))).body as Json[]).map((o) => o.id));
    for (const e of entries) expect(agencyOfficers.has(e.actorId)).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/赵某某|13987654321|620702198502021234/);

    // Reading the trail is itself recorded, once a page (not once in each service asked), with the query, after the page it read.
    const admin = await suite.login('ganzhou-mi-admin');
    await trail(admin.body.accessToken, '?action=clue.&outcome=refused');
    const [read] = (await trail(admin.body.accessToken, '?limit=1')).items as Json[];
    expect(read).toMatchObject({ service: 'agencies', actorId: admin.body.principal.id, action: 'audit_trail.read', outcome: 'succeeded', target: null, detail: { query: { action: 'clue.', outcome: 'refused' } } });
    const reads = await suite.db.query(`SELECT detail FROM audit_log WHERE action = 'audit_trail.read' ORDER BY id`);
    expect(reads.map((r: Json) => r.detail)).toEqual([{ query: { limit: 200 } }, { query: { correlationId: reveal.correlationId } }, { query: { action: 'clue.', outcome: 'refused' } }, { query: { limit: 1 } }]);
    const clueDb = suite.platform.services.get('clue-transfer')!.get(DataSource);
    expect(await clueDb.query(`SELECT id FROM audit_log WHERE action = 'audit_trail.read'`)).toEqual([]);
  });

  it('narrows the trail by action, prefix, officer, record, outcome and period', async () => {
    const admin = await tokenOf('ganzhou-mi-admin');
    const actionsOf = async (query: string) => ((await trail(admin, query)).items as Json[]).map((e) => `${e.action} ${e.outcome}`);
    expect(await actionsOf('?action=clue.')).toEqual(['clue.reveal_reporter refused', 'clue.reveal_reporter succeeded', 'clue.create succeeded']);
    expect(await actionsOf('?action=clue.reveal_reporter&outcome=refused')).toEqual(['clue.reveal_reporter refused']);
    expect(await actionsOf(`?target=${clueId}&actorId=${deskId}`)).toEqual(['clue.reveal_reporter succeeded']);
    expect(await actionsOf(`?actorId=${officerId}&action=clue.`)).toEqual(['clue.reveal_reporter refused', 'clue.create succeeded']);
    const today = shanghaiDate(new Date());
    expect(await actionsOf(`?from=${today}&to=${today}&action=webhook.create`)).toEqual(['webhook.create succeeded']);
    const yesterday = shanghaiDate(new Date(Date.now() - 86_400_000));
    expect(await actionsOf(`?to=${yesterday}`)).toEqual([]);
    expect(await actionsOf(`?from=2099-01-01`)).toEqual([]);
  });

  it('pages the merged trail with a cursor: every entry once, in the same order as one long page', async () => {
    const admin = await tokenOf('ganzhou-mi-admin');
    const whole = ((await trail(admin, '?limit=200')).items as Json[]).map((e) => `${e.service}/${e.id}`);
    expect(whole.length).toBeGreaterThan(6);
    // The first page starts with the reading of the whole trail just made; the pages after it come before it.
    const [reading] = await suite.db.query(`SELECT id FROM audit_log WHERE action = 'audit_trail.read' ORDER BY id DESC LIMIT 1`);
    whole.unshift(`agencies/${reading.id}`);
    const paged: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const page: Json = await trail(admin, `?limit=2${next ? `&before=${next}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((e: Json) => `${e.service}/${e.id}`));
      next = page.next;
      pages++;
    } while (next && pages < 100);
    expect(paged).toEqual(whole);
  });

  it('keeps entries of the same instant in one order across pages and services, and counts days in Shanghai time', async () => {
    const admin = await suite.login('ganzhou-mi-admin');
    const agencyId = admin.body.principal.agencyId;
    const clueDb = suite.platform.services.get('clue-transfer')!.get(DataSource);
    // Three entries in each of two services' logs written in one instant (one transaction writes several), and two around midnight in Shanghai.
    for (const db of [suite.db, clueDb]) {
      await db.query(
        `INSERT INTO audit_log (at, actor_kind, actor_id, agency_id, action, target, outcome)
         SELECT '2026-01-05 10:00:00+08', 'officer', $1, $2, 'test.same_instant', 'T' || n, 'succeeded' FROM generate_series(1, 3) n`,
        [officerId, agencyId],
      );
    }
    await suite.db.query(
      `INSERT INTO audit_log (at, actor_kind, actor_id, agency_id, action, target, outcome)
       VALUES ('2026-01-05 23:59:59+08', 'officer', $1, $2, 'test.midnight', 'before', 'succeeded'), ('2026-01-06 00:00:00+08', 'officer', $1, $2, 'test.midnight', 'after', 'succeeded')`,
      [officerId, agencyId],
    );
    const token = admin.body.accessToken;
    const whole: Json[] = (await trail(token, '?action=test.same_instant')).items;
    expect(whole.map((e) => `${e.service} ${e.target}`)).toEqual(['clue-transfer T3', 'clue-transfer T2', 'clue-transfer T1', 'agencies T3', 'agencies T2', 'agencies T1']);
    const paged: Json[] = [];
    let next: string | null = null;
    do {
      const page: Json = await trail(token, `?action=test.same_instant&limit=1${next ? `&before=${next}` : ''}`);
      paged.push(...page.items);
      next = page.next;
    } while (next && paged.length < 10);
    expect(paged).toEqual(whole);

    const targets = async (query: string) => ((await trail(token, `?action=test.midnight${query}`)).items as Json[]).map((e) => e.target);
    expect(await targets('&from=2026-01-05&to=2026-01-05')).toEqual(['before']);
    expect(await targets('&from=2026-01-06&to=2026-01-06')).toEqual(['after']);
    expect(await targets('&to=2026-01-06')).toEqual(['after', 'before']);
  });

  it('refuses the trail to anyone but the agency’s own administrator, and shows another agency’s administrator none of it', async () => {
    const refusals = async () => (await suite.db.query(`SELECT actor_id FROM audit_log WHERE action = 'audit_trail.read' AND outcome = 'refused' ORDER BY id`)).map((r: Json) => r.actor_id);
    const before = await refusals();
    const refused: string[] = [];
    for (const user of ['ganzhou-mi-officer', 'ganzhou-mi-head', 'ganzhou-police-officer', 'h62070200001']) {
      const other = await suite.login(user);
      refused.push(other.body.principal.id);
      expect((await call('GET', '/audit', other.body.accessToken)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await call('GET', '/audit')).status).toBe(401);
    // Each attempt is recorded once, by whom; the anonymous one never reached a service.
    expect(await refusals()).toEqual([...before, ...refused]);
    for (const admin of ['linze-mi-admin', 'zhangye-mi-admin']) {
      const entries: Json[] = (await trail(await tokenOf(admin), `?target=${clueId}`)).items;
      expect(entries).toEqual([]);
    }
  });

  it('answers a malformed query with 400 and the field, never a 500', async () => {
    const admin = await tokenOf('ganzhou-mi-admin');
    const bad = Buffer.from(JSON.stringify({ at: 'yesterday', service: 'cases', id: '1' })).toString('base64url');
    for (const [query, field] of [
      ['?from=2026-02-30', 'from'],
      ['?to=24-11-2026', 'to'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?action=DROP%20TABLE', 'action'],
      ['?actorId=admin', 'actorId'],
      ['?outcome=maybe', 'outcome'],
      ['?before=not%20a%20cursor', 'before'],
      [`?before=${bad}`, 'before'],
      ['?verbose=1', 'verbose'],
    ] as const) {
      expect((await call('GET', `/audit${query}`, admin)).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field })] });
    }
  });
});
