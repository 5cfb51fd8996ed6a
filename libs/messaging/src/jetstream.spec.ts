import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import { DomainError, ErrorCode, EventEnvelope } from '@lianban/contracts';
import { eventually, TestIsolation } from '@lianban/testing';
import { classifyFailure, EventConsumer, ensureEventStream, listDeadLetters, publishEvent, replayDeadLetter } from './jetstream';
import { NatsBus } from './nats-bus';

const envelope = (type: string, name: string): EventEnvelope => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  source: 'jetstream-test',
  actor: { kind: 'system', id: 'test' },
  correlationId: randomUUID(),
  payload: { name },
});

const unavailable = () => new DomainError(503, ErrorCode.SERVICE_UNAVAILABLE, 'No instance of the service behind agencies.officer.find is running.');

describe('event consumers: transient failures, poison messages, dead letters (real NATS JetStream)', () => {
  const iso = new TestIsolation();
  let bus: NatsBus;
  const consumers: EventConsumer[] = [];
  const named = async (name: string) => (await listDeadLetters(bus)).filter((l) => l.data.includes(`"${name}"`));
  /** The dead letters of an event, once there are some. */
  const parked = (name: string) => async () => ((await named(name)).length ? named(name) : undefined);

  beforeAll(async () => {
    bus = new NatsBus({ servers: iso.natsUrl, serviceName: 'jetstream-test', subjectPrefix: iso.subjectPrefix });
    await bus.connect();
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await bus?.close();
    await iso.cleanup();
  });

  /** A consumer of `<durable>.created` (each test its own type) whose handler is `handle`, with short retry delays. */
  async function consume(durable: string, handle: (e: EventEnvelope, signal: AbortSignal) => Promise<void>, maxDeliver = 3, timing: { ackWaitMs?: number; handlerTimeoutMs?: number } = {}): Promise<void> {
    const c = new EventConsumer(bus, { durable, types: [`${durable}.created`], maxDeliver, retryDelayMs: 50, maxRetryDelayMs: 200, ...timing, handle: (e, _m, signal) => handle(e, signal) });
    await c.start();
    consumers.push(c);
  }

  it('classifies failures: a dependency down is transient, a refused message poison, anything else other', () => {
    const pgDown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const adminShutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const cases: [unknown, string][] = [
      [unavailable(), 'transient'],
      [new DomainError(504, ErrorCode.UPSTREAM_TIMEOUT, 'The service behind agencies.agency.find did not answer in time.'), 'transient'],
      [pgDown, 'transient'],
      [adminShutdown, 'transient'],
      [new Error('Connection terminated unexpectedly'), 'transient'],
      [Object.assign(new Error('query failed'), { driverError: pgDown }), 'transient'],
      [DomainError.validation([{ field: 'agencyId', messages: ['agencyId must be a UUID'] }]), 'poison'],
      [new DomainError(404, ErrorCode.NOT_FOUND, 'The agency was not found.'), 'poison'],
      [new DomainError(500, ErrorCode.INTERNAL, 'Something broke.'), 'other'],
      [Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }), 'other'],
      [new TypeError("Cannot read properties of undefined (reading 'id')"), 'other'],
    ];
    expect(cases.map(([e]) => classifyFailure(e))).toEqual(cases.map(([, kind]) => kind));
  });

  it('keeps retrying an event while a service it needs is down, far beyond maxDeliver, and handles it once the service is back', async () => {
    let down = true;
    let attempts = 0;
    const handled: string[] = [];
    await consume('outage', async (e) => {
      attempts++;
      if (down) throw unavailable();
      handled.push((e.payload as { name: string }).name);
    });
    await publishEvent(bus, envelope('outage.created', 'during-outage'));
    // maxDeliver is 3: the old consumer had dead-lettered it after the third attempt.
    await eventually(() => attempts >= 8, 15_000);
    expect(await named('during-outage')).toEqual([]);
    down = false;
    await eventually(() => handled.length === 1, 10_000);
    expect(handled).toEqual(['during-outage']);
    expect(await named('during-outage')).toEqual([]);
  }, 30_000);

  it('dead-letters a message its handler refuses (a 4xx) at the first failure, and counts only other failures towards maxDeliver', async () => {
    const attempts: Record<string, number> = {};
    await consume(
      'refusals',
      async (e) => {
        const name = (e.payload as { name: string }).name;
        attempts[name] = (attempts[name] ?? 0) + 1;
        if (name === 'refused') throw DomainError.validation([{ field: 'agencyId', messages: ['agencyId must be a UUID'] }]);
        // Five transient failures, then a bug: dead-lettered after 3 failures of the bug, not at once.
        if (attempts[name] <= 5) throw unavailable();
        throw new TypeError("Cannot read properties of undefined (reading 'id')");
      },
      3,
    );
    await publishEvent(bus, envelope('refusals.created', 'refused'));
    await publishEvent(bus, envelope('refusals.created', 'buggy'));
    const [refused] = await eventually(parked('refused'), 10_000);
    expect(refused.consumer).toBe('refusals');
    expect(refused.reason).toMatch(/^refused: /);
    expect(attempts.refused).toBe(1);
    const [buggy] = await eventually(parked('buggy'), 15_000);
    expect(buggy.reason).toMatch(/^failed 3 times: Cannot read properties/);
    expect(attempts.buggy).toBe(8);
  }, 30_000);

  it('gives up on a handler that hangs, goes on with the next event, and dead-letters the hung one after maxDeliver attempts', async () => {
    const attempts: Record<string, number> = {};
    const aborted: string[] = [];
    const handled: string[] = [];
    await consume(
      'hanging',
      (e, signal) => {
        const name = (e.payload as { name: string }).name;
        attempts[name] = (attempts[name] ?? 0) + 1;
        if (name !== 'hangs') {
          handled.push(name);
          return Promise.resolve();
        }
        // Never settles: a handler waiting on something that will not come.
        signal.addEventListener('abort', () => aborted.push(name));
        return new Promise<void>(() => undefined);
      },
      2,
      { ackWaitMs: 1000, handlerTimeoutMs: 600 },
    );
    await publishEvent(bus, envelope('hanging.created', 'hangs'));
    await publishEvent(bus, envelope('hanging.created', 'next'));
    // Before this consumer gave up on handlers, the event after a hung one was never handled.
    await eventually(() => handled.includes('next'), 10_000);
    const [letter] = await eventually(parked('hangs'), 15_000);
    expect(letter.consumer).toBe('hanging');
    expect(letter.reason).toBe('failed 2 times: the handler did not finish within 600 ms');
    expect(attempts.hangs).toBe(2);
    expect(aborted).toEqual(['hangs', 'hangs']);
    expect(handled).toEqual(['next']);
  }, 30_000);

  it('keeps a slow handler\'s message its own while it works, past the ack wait, so it is handled once', async () => {
    let attempts = 0;
    let handled = 0;
    await consume(
      'slow',
      async () => {
        attempts++;
        // Three ack waits: without the consumer saying it is at work, JetStream hands the message out again.
        await new Promise((r) => setTimeout(r, 3000));
        handled++;
      },
      3,
      { ackWaitMs: 1000, handlerTimeoutMs: 10_000 },
    );
    await publishEvent(bus, envelope('slow.created', 'slow'));
    await eventually(() => handled === 1, 10_000);
    // Long enough for a redelivery to have come, had there been one.
    await new Promise((r) => setTimeout(r, 2500));
    expect(attempts).toBe(1);
    expect(await named('slow')).toEqual([]);
  }, 30_000);

  it('still dead-letters a malformed message at once', async () => {
    let attempts = 0;
    await consume('malformed', async () => {
      attempts++;
    });
    await bus.js.publish(bus.subject('lianban.events.malformed.created'), new TextEncoder().encode('{"name": "malformed"'), { msgID: randomUUID() });
    const [letter] = await eventually(parked('malformed'), 10_000);
    expect(letter.reason).toMatch(/^malformed: /);
    expect(attempts).toBe(0);
  });

  it('lifts the delivery limit of a durable consumer an older release created with max_deliver 10', async () => {
    const jsm = await bus.jsm();
    const stream = await ensureEventStream(bus);
    await jsm.consumers.add(stream, { durable_name: 'older', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: bus.subject('lianban.events.older.created'), max_deliver: 10, ack_wait: nanos(30_000) });
    await consume('older', async () => undefined);
    expect((await jsm.consumers.info(stream, 'older')).config.max_deliver).toBe(-1);
  });

  it('lists dead letters page by page after a sequence, skipping replayed ones', async () => {
    await consume('paging', async () => undefined);
    // 7 more dead letters on top of those the tests above parked.
    for (let i = 0; i < 7; i++) await bus.js.publish(bus.subject('lianban.events.paging.created'), new TextEncoder().encode(`{"page": ${i}`), { msgID: randomUUID() });
    await eventually(async () => (await listDeadLetters(bus)).filter((l) => l.data.startsWith('{"page"')).length === 7, 10_000);
    const all = await listDeadLetters(bus);
    await replayDeadLetter(bus, all[2].seq);
    const rest = all.filter((_, i) => i !== 2).map((l) => l.seq);

    const seen: number[] = [];
    // At most 20 pages: a cursor that does not move would otherwise page forever.
    for (let after = 0, pages = 0; pages < 20; pages++) {
      const page = await listDeadLetters(bus, { after, limit: 2 });
      if (!page.length) break;
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((l) => l.seq));
      after = page[page.length - 1].seq;
    }
    // Every letter once, in order; the replayed one is gone (and came back under a new sequence, as it is still malformed).
    expect(seen.slice(0, rest.length)).toEqual(rest);
    expect(seen).not.toContain(all[2].seq);
    expect(new Set(seen).size).toBe(seen.length);
  }, 30_000);
});
