import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@lianban/contracts';
import { listDeadLetters, NatsBus, publishEvent } from '@lianban/messaging';
import { createServiceApp } from '@lianban/platform';
import { eventually, TestIsolation } from '@lianban/testing';
import { AppModule as AgenciesModule } from '../../agencies/src/app.module';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

describe('notifications: an outage of the agencies service loses no item', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let bus: NatsBus;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    // Two failed attempts before an event is given up: with the old rule an outage of a few seconds
    // was enough to dead-letter it (as 8 attempts were for an outage of about 90 s in production).
    platform = await startDemoPlatform(iso, { maxDeliver: 2 });
    ({ api, ids, as } = platform);
    bus = platform.gateway.get(NatsBus);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  const parked = async (text: string) => (await listDeadLetters(bus)).filter((l) => l.data.includes(text));

  it('tells the legal reviewers about a case submitted while the agencies service was down, once it is back; a malformed event is still parked at once', async () => {
    const bureau = ids['甘州区医疗保障局'];
    const reviewer = await as('ganzhou-mi-legal-reviewer');
    const submitted: EventEnvelope = {
      id: randomUUID(),
      type: 'case.submitted_for_review',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      source: 'cases',
      actor: { kind: 'officer', id: ids['ganzhou-mi-officer'], agencyId: bureau },
      correlationId: randomUUID(),
      payload: { caseId: randomUUID(), number: '甘医保案〔2026〕99号', agencyId: bureau },
    };

    await platform.stopService('agencies');
    await publishEvent(bus, submitted);
    // Malformed: refused at once, whatever else is down.
    const broken = `{"outage": "${randomUUID()}"`;
    await bus.js.publish(bus.subject('lianban.events.case.submitted_for_review'), new TextEncoder().encode(broken), { msgID: randomUUID() });
    const [letter] = await eventually(async () => ((await parked(broken)).length ? parked(broken) : undefined), 5000);
    expect(letter).toMatchObject({ consumer: 'notify-cases', reason: expect.stringMatching(/^malformed: /) });

    // Far longer than two attempts take: the event is being retried, not parked.
    await sleep(8000);
    expect(await parked(submitted.id)).toEqual([]);

    const agencies = await createServiceApp(AgenciesModule.forRoot(iso.config('agencies')) as never);
    await agencies.listen(0, '127.0.0.1');
    platform.services.set('agencies', agencies);

    const link = `/cases/${(submitted.payload as { caseId: string }).caseId}`;
    const item = await eventually(async () => ((await api.call('GET', '/inbox', reviewer)).body as Json[]).find((n) => n.link === link), 40_000);
    expect(item).toMatchObject({ kind: 'case.submitted_for_review' });
    expect(await parked(submitted.id)).toEqual([]);
  }, 90_000);
});
