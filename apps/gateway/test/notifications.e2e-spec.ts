import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { EventEnvelope } from '@lianban/contracts';
import { NatsBus, publishEvent } from '@lianban/messaging';
import { eventually, TestIsolation } from '@lianban/testing';
import { apiClient, Json } from './api';
import { verifySignature } from '../../notifications/src/webhooks/signature';
import { DemoPlatform, startDemoPlatform } from './platform';
import { readEvents } from './sse';

describe('notifications: inboxes, live delivery, dead letters (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let bus: NatsBus;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];

  beforeAll(async () => {
    // Webhooks may post to the suite's own receiver on loopback, and nowhere else.
    platform = await startDemoPlatform(iso, { maxDeliver: 3, ackWaitMs: 2000, channelTickMs: 100, channelBackoffMs: 200, config: { webhookAllowedDestinations: '127.0.0.1/32' } });
    ({ api, ids, as } = platform);
    bus = platform.gateway.get(NatsBus);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  async function sendTransfer(): Promise<string> {
    const draft = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
      route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '通知测试移送', summary: '用于检查收件箱与实时推送。', teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    await api.call('POST', `/transfers/${draft.body.id}/steps`, await as('ganzhou-mi-officer'), { action: 'submit' });
    await api.call('POST', `/transfers/${draft.body.id}/steps`, await as('ganzhou-mi-head'), { action: 'approve' });
    await api.call('POST', `/transfers/${draft.body.id}/steps`, await as('ganzhou-mi-officer'), { action: 'send', documentNumber: '甘医保移〔2026〕20号' });
    return draft.body.id;
  }

  const inbox = async (user: string, query = '') => (await api.call('GET', `/inbox${query}`, await as(user))).body as Json[];

  it('tells the receiving police and the procuratorate when a transfer is sent, and the sender when police act', async () => {
    const id = await sendTransfer();
    const police = await eventually(async () => (await inbox('ganzhou-police-officer')).find((n) => n.link === `/transfers/${id}`));
    expect(police).toMatchObject({ kind: 'transfer.sent', read: false, priority: 'normal' });
    await eventually(async () => (await inbox('ganzhou-procuratorate-officer')).some((n) => n.link === `/transfers/${id}` && n.kind === 'transfer.sent'));
    // An officer who was not even signed in when it arrived sees the agency's item.
    await eventually(async () => (await inbox('ganzhou-police-head')).some((n) => n.link === `/transfers/${id}`));
    expect((await inbox('linze-police-officer')).some((n) => n.link === `/transfers/${id}`)).toBe(false);

    await api.call('POST', `/transfers/${id}/steps`, await as('ganzhou-police-officer'), { action: 'receipt' });
    await eventually(async () => (await inbox('ganzhou-mi-officer')).some((n) => n.link === `/transfers/${id}` && n.kind === 'transfer.receipted'));

    // Read marks are the officer's own.
    expect((await api.call('POST', `/inbox/${police.id}/read`, await as('ganzhou-police-officer'))).body).toEqual({ read: true });
    expect((await inbox('ganzhou-police-officer', '?unread=true')).some((n) => n.id === police.id)).toBe(false);
    expect((await inbox('ganzhou-police-head', '?unread=true')).some((n) => n.id === police.id)).toBe(true);
    expect((await api.call('POST', `/inbox/${police.id}/read`, await as('linze-police-officer'))).status).toBe(404);
    expect((await api.call('POST', '/inbox/read-all', await as('ganzhou-police-head'))).body.marked).toBeGreaterThan(0);
    expect(await inbox('ganzhou-police-head', '?unread=true')).toEqual([]);
    // An id beyond what the inbox can hold is a 400 naming it, not a database error.
    const big = '100000000000000000000';
    expect((await api.call('POST', `/inbox/${big}/read`, await as('ganzhou-police-officer'))).body).toMatchObject({ status: 400, errors: [{ field: 'id' }] });
    expect((await api.call('GET', `/inbox?before=${big}`, await as('ganzhou-police-officer'))).body).toMatchObject({ status: 400, errors: [{ field: 'before' }] });
  });

  it('tells nobody outside the sending bureau about a transfer before it is sent', async () => {
    const id = await sendTransfer();
    const link = `/transfers/${id}`;
    const kinds = async (user: string) => (await inbox(user)).filter((n) => n.link === link).map((n) => n.kind);
    // The events reach the inbox in order: once the police have the sent transfer, they would already have anything earlier.
    await eventually(async () => (await kinds('ganzhou-police-officer')).includes('transfer.sent'));
    await eventually(async () => (await kinds('ganzhou-procuratorate-officer')).includes('transfer.sent'));
    expect(await kinds('ganzhou-police-officer')).toEqual(['transfer.sent']);
    expect(await kinds('ganzhou-procuratorate-officer')).toEqual(['transfer.sent']);
    expect(await kinds('ganzhou-lgo-officer')).toEqual([]);
    // The bureau itself heard of its own submission and approval.
    expect((await kinds('ganzhou-mi-head')).sort()).toEqual(['transfer.approved', 'transfer.submitted']);
  });

  it('creates one notification for an event delivered twice', async () => {
    const event: EventEnvelope = {
      id: randomUUID(), type: 'clock.overdue', schemaVersion: 1, occurredAt: new Date().toISOString(), source: 'clue-transfer', actor: { kind: 'system', id: 'clock' }, correlationId: 'twice',
      payload: { subjectType: 'transfer', subjectId: randomUUID(), step: 'filing_decision', label: '公安决定是否立案', dutyAgencyId: ids['张掖市公安局甘州分局'], regionCode: '620702', dueAt: new Date().toISOString(), escalateTo: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'] },
    };
    await publishEvent(bus, event);
    // A second copy with a different message id, as after the broker's duplicate window.
    await bus.js.publish(bus.subject('lianban.events.clock.overdue'), new TextEncoder().encode(JSON.stringify(event)), { msgID: `${event.id}-again` });
    const link = `/transfers/${event.payload.subjectId}`;
    // Escalated: the police station, the district procuratorate and the district leading-group office.
    for (const user of ['ganzhou-police-officer', 'ganzhou-procuratorate-officer', 'ganzhou-lgo-officer']) {
      await eventually(async () => (await inbox(user)).some((n) => n.link === link));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const items = (await inbox('ganzhou-lgo-officer')).filter((n) => n.link === link);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'clock.overdue', priority: 'high' });
  });

  it('parks a malformed event in the dead letters and keeps going; an administrator can inspect and replay it', async () => {
    await bus.js.publish(bus.subject('lianban.events.transfer.sent'), new TextEncoder().encode('{"not": "an envelope"'), { msgID: randomUUID() });
    const id = await sendTransfer();
    await eventually(async () => (await inbox('ganzhou-police-officer')).some((n) => n.link === `/transfers/${id}`));
    const admin = await as('zhangye-mi-admin');
    const letters = await eventually(async () => {
      // Every consumer of transfer.* parks it (the cases service follows transfers too): notifications' copy is the one looked at here.
      const list = ((await api.call('GET', '/admin/dead-letters', admin)).body as Json[]).filter((l) => l.consumer === 'notify-transfers');
      return list.length ? list : undefined;
    });
    expect(letters[0]).toMatchObject({ consumer: 'notify-transfers', reason: expect.stringContaining('malformed'), data: '{"not": "an envelope"' });
    expect((await api.call('GET', '/admin/dead-letters', await as('ganzhou-mi-officer'))).status).toBe(403);
    expect((await api.call('POST', `/admin/dead-letters/${letters[0].seq}/replay`, admin)).body).toEqual({ replayed: letters[0].seq });
    // Replayed, it is still malformed: it comes back to the dead letters under a new number.
    await eventually(async () => ((await api.call('GET', '/admin/dead-letters', admin)).body as Json[]).some((l: Json) => l.seq > letters[0].seq));
  });

  it('resumes a dropped live stream with Last-Event-ID: exactly the missed items, none twice', async () => {
    const token = await as('ganzhou-police-head');
    const url = `${platform.url}/api/v1/inbox/stream`;
    const first = readEvents(url, token, 1);
    await new Promise((r) => setTimeout(r, 300));
    const a = await sendTransfer();
    const [live] = await first;
    expect(live.data).toMatchObject({ kind: 'transfer.sent', link: `/transfers/${a}` });

    // While disconnected, two more transfers arrive.
    const b = await sendTransfer();
    const c = await sendTransfer();
    await eventually(async () => (await inbox('ganzhou-police-head')).some((n) => n.link === `/transfers/${c}`));
    const missed = await readEvents(url, token, 2, live.id);
    expect(missed.map((e) => e.data.link)).toEqual([`/transfers/${b}`, `/transfers/${c}`]);
    expect(Number(missed[0].id)).toBeGreaterThan(Number(live.id));
  });

  it('delivers to an agency’s webhook, retrying until the receiver answers, each attempt signed', async () => {
    const received: { status: number; body: string; signature: string; delivery: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const status = received.length < 2 ? 503 : 204; // fails twice, then takes it
        received.push({ status, body, signature: String(req.headers['x-lianban-signature']), delivery: String(req.headers['x-lianban-delivery']) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const admin = await as('zhangye-mi-admin');
      expect((await api.call('POST', '/webhooks', await as('zhangye-mi-officer'), { url })).status).toBe(403);
      expect((await api.call('POST', '/webhooks', admin, { url: 'ftp://example/x' })).body).toMatchObject({ status: 400, errors: [{ field: 'url' }] });
      // Not this machine's other services, the cloud metadata address or a host the operators did not list.
      for (const [refused, why] of [
        ['http://127.0.0.2:5432/', 'this machine or a special address'],
        ['http://169.254.169.254/latest/meta-data/', 'this machine or a special address'],
        ['https://example.com/hook', 'not among the destinations'],
      ]) {
        const res = await api.call('POST', '/webhooks', admin, { url: refused });
        expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'url', messages: [expect.stringContaining(why)] }] });
      }
      const hook = await api.call('POST', '/webhooks', admin, { url, kinds: ['transfer.submitted'] });
      expect(hook.body).toMatchObject({ url, kinds: ['transfer.submitted'], secret: expect.any(String) });
      expect((await api.call('GET', '/webhooks', admin)).body).toEqual([{ id: hook.body.id, url, kinds: ['transfer.submitted'], createdAt: expect.any(String) }]);

      const draft = await api.call('POST', '/transfers', await as('zhangye-mi-officer'), { route: 'mi_to_health', receiverAgencyId: ids['张掖市卫生健康委员会'], title: '网络钩子测试', summary: '提交审批时通知本局办公系统。' });
      await api.call('POST', `/transfers/${draft.body.id}/steps`, await as('zhangye-mi-officer'), { action: 'submit' });

      await eventually(() => received.length >= 3, 15_000);
      expect(received.map((r) => r.status)).toEqual([503, 503, 204]);
      // The same delivery each time, and every attempt carries a signature that verifies.
      expect(new Set(received.map((r) => r.delivery)).size).toBe(1);
      for (const r of received) expect(verifySignature(hook.body.secret, r.body, r.signature)).toBe(true);
      expect(verifySignature('not-the-secret', received[2].body, received[2].signature)).toBe(false);
      expect(JSON.parse(received[2].body)).toMatchObject({ attempt: 3, notification: { kind: 'transfer.submitted', link: `/transfers/${draft.body.id}` } });
      await new Promise((r) => setTimeout(r, 600));
      expect(received).toHaveLength(3);

      // Switched off by its agency's administrator; another agency's administrator cannot even see it.
      expect((await api.call('DELETE', `/webhooks/${hook.body.id}`, await as('ganzhou-mi-admin'))).status).toBe(404);
      expect((await api.call('DELETE', `/webhooks/${hook.body.id}`, admin)).body).toEqual({ disabled: true });
      expect((await api.call('DELETE', `/webhooks/${hook.body.id}`, admin)).status).toBe(404);
      expect((await api.call('GET', '/webhooks', admin)).body).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('refuses the live stream without a valid token', async () => {
    const res = await fetch(`${platform.url}/api/v1/inbox/stream?access_token=forged`);
    expect(res.status).toBe(401);
  });
});
