import { randomUUID } from 'node:crypto';
import { NatsBus } from '@lianban/messaging';
import { eventually, TestIsolation } from '@lianban/testing';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

describe('notifications: dead letters page by page, and who changed preferences or read dead letters (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let bus: NatsBus;
  let as: DemoPlatform['as'];

  beforeAll(async () => {
    platform = await startDemoPlatform(iso, { config: { smtpUrl: 'smtp://127.0.0.1:1' } });
    ({ api, as } = platform);
    bus = platform.gateway.get(NatsBus);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  const letters = async (query = '') => {
    const res = await api.call('GET', `/admin/dead-letters${query}`, await as('zhangye-mi-admin'));
    expect(res.status).toBe(200);
    return res.body as Json[];
  };

  it('shows an administrator every dead letter, a page at a time, the 101st as well', async () => {
    // 101 unusable messages on a subject only notify-ledgers consumes.
    const marker = randomUUID();
    for (let i = 0; i < 101; i++) await bus.js.publish(bus.subject('lianban.events.ledger.submitted'), new TextEncoder().encode(`{"${marker}": ${i}`), { msgID: randomUUID() });
    const mine = (page: Json[]) => page.filter((l) => l.data.startsWith(`{"${marker}"`));
    await eventually(async () => mine(await letters('?limit=200')).length === 101, 30_000);

    // The first page is the oldest hundred; the next starts after its last sequence.
    const first = await letters();
    expect(first).toHaveLength(100);
    const second = await letters(`?after=${first[99].seq}`);
    expect(mine(second).map((l) => l.data)).toEqual([`{"${marker}": 100`]);
    expect(await letters(`?after=${second[second.length - 1].seq}`)).toEqual([]);

    const seen: number[] = [];
    for (let after = 0, pages = 0; pages < 30; pages++) {
      const page = await letters(`?after=${after}&limit=7`);
      if (!page.length) break;
      expect(page.length).toBeLessThanOrEqual(7);
      seen.push(...page.map((l) => l.seq));
      after = page[page.length - 1].seq;
    }
    expect(seen).toEqual([...first, ...second].map((l) => l.seq));
  }, 60_000);

  it('refuses a page it cannot read with a 400 that names the field', async () => {
    const admin = await as('zhangye-mi-admin');
    for (const [query, field] of [
      ['?after=-1', 'after'],
      ['?after=abc', 'after'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?after=99999999999999999999', 'after'],
    ]) {
      expect((await api.call('GET', `/admin/dead-letters${query}`, admin)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field })] });
    }
  });

  it('records who read which dead letters, for the administrator’s own agency', async () => {
    const admin = await api.login('zhangye-mi-admin');
    const page = (await api.call('GET', '/admin/dead-letters?limit=3', admin.body.accessToken)).body as Json[];
    const trail = (await api.call('GET', '/audit?action=dead_letter.list', admin.body.accessToken)).body.items as Json[];
    expect(trail[0]).toMatchObject({ service: 'notifications', actorId: admin.body.principal.id, action: 'dead_letter.list', outcome: 'succeeded', detail: { after: 0, seqs: page.map((l) => l.seq) } });
  });

  it('records an officer’s change of the address the agency’s news is mailed to, with the old and the new address', async () => {
    const officer = await api.login('ganzhou-mi-officer2');
    const set = (email: string) => api.call('PUT', '/inbox/preferences', officer.body.accessToken, { mutedKinds: ['transfer.receipted'], email, emailEnabled: true, digestEnabled: false });
    expect((await set('duty@ylbz.ganzhou.example')).status).toBe(200);
    expect((await set('someone@mail.example')).status).toBe(200);
    const trail = (await api.call('GET', '/audit?action=preferences.update', await as('ganzhou-mi-admin'))).body.items as Json[];
    expect(trail.map((e) => e.detail.email)).toEqual(['someone@mail.example', 'duty@ylbz.ganzhou.example']);
    expect(trail[0]).toMatchObject({
      service: 'notifications',
      actorId: officer.body.principal.id,
      target: officer.body.principal.id,
      outcome: 'succeeded',
      detail: { email: 'someone@mail.example', previousEmail: 'duty@ylbz.ganzhou.example', emailEnabled: true, digestEnabled: false, mutedKinds: ['transfer.receipted'] },
    });
    // A refused change changes nothing and records nothing.
    expect((await api.call('PUT', '/inbox/preferences', officer.body.accessToken, { mutedKinds: [], emailEnabled: true, digestEnabled: false })).status).toBe(400);
    expect((await api.call('GET', '/audit?action=preferences.update', await as('ganzhou-mi-admin'))).body.items).toHaveLength(2);
  });
});
