import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventEnvelope } from '@lianban/contracts';
import { NatsBus, publishEvent } from '@lianban/messaging';
import { eventually, TestIsolation } from '@lianban/testing';
import { NotifyService } from '../../notifications/src/inbox/notify.service';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';
import { openEvents } from './sse';

describe('notifications: the live stream ends with the session, refuses ids it never sent, and skips no late item', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let bus: NatsBus;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const streamUrl = () => `${platform.url}/api/v1/inbox/stream`;

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, ids, as } = platform);
    bus = platform.gateway.get(NatsBus);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  /** A reminder for an agency (the police bureau unless said; no look-up needed), its item's link naming a fresh transfer. */
  const dueSoon = (label: string, agency = '张掖市公安局甘州分局'): { e: EventEnvelope; link: string } => {
    const subjectId = randomUUID();
    const e: EventEnvelope = {
      id: randomUUID(),
      type: 'clock.due_soon',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      source: 'clue-transfer',
      actor: { kind: 'system', id: 'clock' },
      correlationId: randomUUID(),
      payload: { subjectType: 'transfer', subjectId, step: 'filing_decision', label, dutyAgencyId: ids[agency], regionCode: '620702', dueAt: new Date(Date.now() + 3600_000).toISOString() },
    };
    return { e, link: `/transfers/${subjectId}` };
  };
  const inboxHas = async (token: string, link: string) => ((await api.call('GET', '/inbox', token)).body as Json[]).some((n) => n.link === link);

  it('answers 400 to a Last-Event-ID that is no id it sent, instead of a stream that never delivers', async () => {
    const token = await as('ganzhou-police-officer');
    for (const id of ['99999999999999999999', '9007199254740992', 'abc', '-1', '1.5']) {
      const s = await openEvents(streamUrl(), token, id);
      expect(s.res.status).toBe(400);
      expect(await s.res.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'Last-Event-ID', codes: ['lastEventIdInvalid'] }] });
    }
    const ok = await openEvents(streamUrl(), token, '9007199254740991');
    expect(ok.res.status).toBe(200);
    ok.close();
  });

  it('sends nothing more once the officer signs out, and ends the stream', async () => {
    const login = await api.login('ganzhou-police-head');
    const token = login.body.accessToken;
    const s = await openEvents(streamUrl(), token);
    expect(s.res.status).toBe(200);
    await sleep(300);
    expect((await api.call('POST', '/auth/logout', token)).body).toEqual({ revoked: true });
    const e = dueSoon('签退后');
    await publishEvent(bus, e.e);
    const colleague = await as('ganzhou-police-officer');
    await eventually(() => inboxHas(colleague, e.link));
    // Well before the 15-second heartbeat: the item's own signal finds the session ended.
    await eventually(() => s.ended, 5000);
    expect(s.events.map((x) => x.data.link)).not.toContain(e.link);
  });

  it('ends the stream of an account its administrator disables, and sends it nothing more', async () => {
    const login = await api.login('ganzhou-mi-officer2');
    const s = await openEvents(streamUrl(), login.body.accessToken);
    expect(s.res.status).toBe(200);
    await sleep(300);
    expect((await api.call('POST', `/officers/${login.body.principal.id}/disable`, await as('ganzhou-mi-admin'))).body).toMatchObject({ disabled: true });
    const e = dueSoon('停用后', '甘州区医疗保障局');
    await publishEvent(bus, e.e);
    await eventually(() => s.ended, 5000);
    expect(s.events.map((x) => x.data.link)).not.toContain(e.link);
  });

  it('streams an item whose transaction commits after a later event’s, once, in id order', async () => {
    const token = await as('ganzhou-police-officer');
    const s = await openEvents(streamUrl(), token);
    expect(s.res.status).toBe(200);
    await sleep(300);
    const notify = platform.services.get('notifications')!.get(NotifyService);
    const slow = dueSoon('慢提交');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The delivery code of the consumers, in a transaction that commits late (as one does under load).
    const held = platform.services.get('notifications')!.get(DataSource).transaction(async (m) => {
      await notify.deliver(slow.e, m);
      await gate;
    });
    await sleep(300);
    const fast = dueSoon('快提交');
    await publishEvent(bus, fast.e);
    await sleep(1500);
    release();
    await held;
    const got = await eventually(() => {
      const links = s.events.map((x) => x.data.link);
      return links.includes(slow.link) && links.includes(fast.link) ? s.events : undefined;
    }, 20_000);
    s.close();
    const mine = got.filter((x) => [slow.link, fast.link].includes(x.data.link));
    expect(mine.map((x) => x.data.link)).toEqual([slow.link, fast.link]);
    expect(Number(mine[0].id)).toBeLessThan(Number(mine[1].id));
  }, 40_000);
});
