import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { EventEnvelope } from '@lianban/contracts';
import { NatsBus, publishEvent } from '@lianban/messaging';
import { eventually, TestIsolation } from '@lianban/testing';
import { ChannelDispatcher } from '../../notifications/src/channels/channel-dispatcher';
import { apiClient } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

interface Mail {
  to: string;
  raw: string;
}

/** Email and the daily digest, against a real SMTP server on this machine, honouring each officer's preferences. */
describe('email channel, daily digest and preferences (through the gateway)', () => {
  const iso = new TestIsolation();
  const mails: Mail[] = [];
  let smtp: SMTPServer;
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let bus: NatsBus;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, done) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        stream.on('end', () => {
          for (const rcpt of session.envelope.rcptTo) mails.push({ to: rcpt.address, raw });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    platform = await startDemoPlatform(iso, { config: { smtpUrl: `smtp://127.0.0.1:${port}`, digestHour: 0 }, channelTickMs: 100, channelBackoffMs: 200 });
    ({ api, ids, as } = platform);
    bus = platform.gateway.get(NatsBus);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await new Promise<void>((r) => smtp.close(() => r()));
    await iso.cleanup();
  });

  async function sendTransfer(): Promise<{ id: string; number: string }> {
    const draft = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
      route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '邮件测试移送', summary: '检查邮件通知与偏好设置。', teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    await api.call('POST', `/transfers/${draft.body.id}/steps`, await as('ganzhou-mi-officer'), { action: 'submit' });
    await api.call('POST', `/transfers/${draft.body.id}/steps`, await as('ganzhou-mi-head'), { action: 'approve' });
    await api.call('POST', `/transfers/${draft.body.id}/steps`, await as('ganzhou-mi-officer'), { action: 'send', documentNumber: '甘医保移〔2026〕30号' });
    return { id: draft.body.id, number: draft.body.number };
  }

  const overdue = (): EventEnvelope => ({
    id: randomUUID(), type: 'clock.overdue', schemaVersion: 1, occurredAt: new Date().toISOString(), source: 'clue-transfer', actor: { kind: 'system', id: 'clock' }, correlationId: randomUUID(),
    payload: { subjectType: 'transfer', subjectId: randomUUID(), step: 'filing_decision', label: '公安决定是否立案', dutyAgencyId: ids['张掖市公安局甘州分局'], regionCode: '620702', dueAt: new Date().toISOString(), escalateTo: [] },
  });

  const mailsTo = (address: string) => mails.filter((m) => m.to === address);
  const inboxDb = () => platform.services.get('notifications')!.get(DataSource);
  /** Mails the service handed to the SMTP server, by what they were about (bodies are encoded on the wire). */
  const sent = async (address: string): Promise<{ body: string; digest: boolean }[]> =>
    inboxDb().query(`SELECT body, digest_on IS NOT NULL AS digest FROM email_delivery WHERE to_address = $1 AND sent_at IS NOT NULL ORDER BY id`, [address]);

  it('keeps each officer’s preferences, and refuses email without an address', async () => {
    const token = await as('ganzhou-police-officer');
    expect((await api.call('GET', '/inbox/preferences', token)).body).toEqual({ mutedKinds: [], email: null, emailEnabled: false, digestEnabled: false, quietHours: null });
    expect((await api.call('PUT', '/inbox/preferences', token, { mutedKinds: [], emailEnabled: true, digestEnabled: false })).body).toMatchObject({ status: 400, errors: [{ field: 'email', codes: ['emailNeeded'] }] });
    expect((await api.call('PUT', '/inbox/preferences', token, { mutedKinds: ['nonsense'], emailEnabled: false, digestEnabled: false })).body).toMatchObject({ status: 400, errors: [{ field: 'mutedKinds' }] });
    const saved = await api.call('PUT', '/inbox/preferences', token, { mutedKinds: [], email: 'officer@gz-police.example', emailEnabled: true, digestEnabled: true, quietHours: null });
    expect(saved.body).toEqual({ mutedKinds: [], email: 'officer@gz-police.example', emailEnabled: true, digestEnabled: true, quietHours: null });
    await api.call('PUT', '/inbox/preferences', await as('ganzhou-police-head'), { mutedKinds: ['transfer.sent'], email: 'head@gz-police.example', emailEnabled: true, digestEnabled: false });
  });

  it('mails a new transfer to the officers who asked for it, not to one who muted that kind', async () => {
    const t = await sendTransfer();
    await eventually(async () => (await sent('officer@gz-police.example')).some((m) => m.body.includes(t.id)), 15_000);
    // Overdue items break through any muting: the head, who muted transfer.sent, still gets this.
    const e = overdue();
    await publishEvent(bus, e);
    await eventually(async () => (await sent('head@gz-police.example')).some((m) => m.body.includes(String(e.payload.subjectId))), 15_000);
    expect((await sent('head@gz-police.example')).some((m) => m.body.includes(t.id))).toBe(false);
    // What the service counts as sent did reach the SMTP server.
    expect(mailsTo('officer@gz-police.example')).toHaveLength((await sent('officer@gz-police.example')).length);
    expect(mailsTo('head@gz-police.example')).toHaveLength((await sent('head@gz-police.example')).length);
  });

  it('holds normal mail during quiet hours but lets an overdue item through at once', async () => {
    // Quiet from an hour ago until an hour from now, Shanghai time.
    const hhmm = (offsetHours: number) => new Date(Date.now() + (8 + offsetHours) * 3600_000).toISOString().slice(11, 16);
    await api.call('PUT', '/inbox/preferences', await as('ganzhou-police-officer'), { mutedKinds: [], email: 'officer@gz-police.example', emailEnabled: true, digestEnabled: true, quietHours: { start: hhmm(-1), end: hhmm(1) } });
    const t = await sendTransfer();
    const e = overdue();
    await publishEvent(bus, e);
    await eventually(async () => (await sent('officer@gz-police.example')).some((m) => m.body.includes(String(e.payload.subjectId))), 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await sent('officer@gz-police.example')).some((m) => m.body.includes(t.id))).toBe(false);
    const held = await inboxDb().query(
      `SELECT next_attempt_at > now() + interval '30 minutes' AS later FROM email_delivery WHERE to_address = 'officer@gz-police.example' AND body LIKE '%' || $1 || '%'`,
      [t.id],
    );
    expect(held).toEqual([{ later: true }]);
  });

  it('sends one daily digest of unread items per officer and day', async () => {
    const dispatcher = platform.services.get('notifications')!.get(ChannelDispatcher);
    // The background loop already did today's round (before there was anything unread): a new day
    // begins. The loop keeps running, so it may send the digest before this test's own tick does.
    const before = mailsTo('officer@gz-police.example').length;
    await inboxDb().query(`UPDATE officer_preference SET last_digest_on = NULL`);
    await dispatcher.tick();
    // find, not filter: an empty array is truthy, so eventually() would not wait for the digest.
    const digest = await eventually(async () => (await sent('officer@gz-police.example')).find((m) => m.digest), 15_000);
    // It lists the unread transfers of the officer's agency.
    expect(digest.body).toMatch(/\/transfers\/[0-9a-f-]{36}/);
    await dispatcher.tick();
    await dispatcher.tick();
    expect(await inboxDb().query(`SELECT count(*)::int AS n FROM email_delivery WHERE digest_on IS NOT NULL`)).toEqual([{ n: 1 }]);
    await eventually(() => mailsTo('officer@gz-police.example').length >= before + 1);
    expect(mailsTo('officer@gz-police.example')).toHaveLength(before + 1);
    // The head did not ask for a digest.
    expect((await sent('head@gz-police.example')).some((m) => m.digest)).toBe(false);
  });

  it('mails a disabled account nothing, drops what was queued for it, and resumes once it is enabled again', async () => {
    const bureau = ids['甘州区医疗保障局'];
    const officerId = ids['ganzhou-mi-officer2'];
    const clock = (type: string): EventEnvelope => {
      const e = overdue();
      return { ...e, type, payload: { ...e.payload, subjectType: 'case', dutyAgencyId: bureau } };
    };
    const about = (e: EventEnvelope) => String(e.payload.subjectId);
    const queued = async (where: string, ...params: unknown[]) => (await inboxDb().query(`SELECT count(*)::int AS n FROM email_delivery WHERE officer_id = $1 AND ${where}`, [officerId, ...params]))[0].n;
    const hhmm = (offsetHours: number) => new Date(Date.now() + (8 + offsetHours) * 3600_000).toISOString().slice(11, 16);
    await api.call('PUT', '/inbox/preferences', await as('ganzhou-mi-officer2'), { mutedKinds: [], email: 'officer2@gz-mi.example', emailEnabled: true, digestEnabled: true, quietHours: { start: hhmm(-1), end: hhmm(1) } });
    // A reminder held in the officer's quiet hours waits for them.
    const held = clock('clock.due_soon');
    await publishEvent(bus, held);
    await eventually(async () => (await queued(`sent_at IS NULL AND given_up_at IS NULL AND body LIKE '%' || $2 || '%'`, about(held))) === 1, 15_000);

    expect((await api.call('POST', `/officers/${officerId}/disable`, await as('ganzhou-mi-admin'), {})).status).toBe(201);
    await eventually(async () => (await queued('sent_at IS NULL AND given_up_at IS NULL')) === 0, 15_000);
    expect(await queued(`given_up_at IS NOT NULL AND last_error = 'the account is disabled' AND body LIKE '%' || $2 || '%'`, about(held))).toBe(1);
    // An overdue item reaches the bureau's inbox, and no mail is queued for the disabled officer; nor a digest.
    const missed = clock('clock.overdue');
    await publishEvent(bus, missed);
    await eventually(async () => (await inboxDb().query(`SELECT 1 FROM notification WHERE agency_id = $1 AND body IS NOT NULL AND link LIKE '%' || $2`, [bureau, about(missed)])).length === 1, 15_000);
    expect(await queued(`body LIKE '%' || $2 || '%'`, about(missed))).toBe(0);
    // (Today's digest may have gone out before the account was disabled: a new day begins.)
    await inboxDb().query(`DELETE FROM email_delivery WHERE officer_id = $1 AND digest_on IS NOT NULL`, [officerId]);
    await inboxDb().query(`UPDATE officer_preference SET last_digest_on = NULL WHERE officer_id = $1`, [officerId]);
    await platform.services.get('notifications')!.get(ChannelDispatcher).tick();
    expect(await queued('digest_on IS NOT NULL')).toBe(0);
    // The officer's own choices are kept.
    expect(await inboxDb().query(`SELECT email, email_enabled, digest_enabled FROM officer_preference WHERE officer_id = $1`, [officerId])).toEqual([{ email: 'officer2@gz-mi.example', email_enabled: true, digest_enabled: true }]);

    // Enabled again, the officer is mailed as before.
    expect((await api.call('POST', `/officers/${officerId}/enable`, await as('ganzhou-mi-admin'), {})).status).toBe(200);
    await eventually(async () => (await inboxDb().query(`SELECT account_disabled_at FROM officer_preference WHERE officer_id = $1`, [officerId]))[0].account_disabled_at === null, 15_000);
    const again = clock('clock.overdue');
    await publishEvent(bus, again);
    await eventually(async () => (await sent('officer2@gz-mi.example')).some((m) => m.body.includes(about(again))), 15_000);
  });
});
