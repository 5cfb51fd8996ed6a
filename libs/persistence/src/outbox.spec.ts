import { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { AgencyKind, EventEnvelope, OfficerRole } from '@lianban/contracts';
import { EventConsumer, NatsBus, publishEvent } from '@lianban/messaging';
import { eventually, TestIsolation, TestNatsServer } from '@lianban/testing';
import { openDataSource } from './data-source';
import { idempotentConsumer } from './idempotent-consumer';
import { OutboxRelay, OutboxWriter } from './outbox';

class CreateThing1763856000001 implements MigrationInterface {
  name = 'CreateThing1763856000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE thing (id serial PRIMARY KEY, name text NOT NULL)`);
    await q.query(`CREATE TABLE seen (event_id uuid NOT NULL, name text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE seen; DROP TABLE thing`);
  }
}

// An officer with every field an actor can carry: consumers must accept the envelope as written.
const ctx = {
  actor: { kind: 'officer' as const, id: 'officer-1', agencyId: 'agency-1', agencyKind: AgencyKind.POLICE, regionCode: '620702', roles: [OfficerRole.HEAD], sessionId: 'session-1' },
  correlationId: 'corr-outbox-test',
};

describe('transactional outbox (real PostgreSQL and a NATS server that goes down)', () => {
  let nats: TestNatsServer;
  let iso: TestIsolation;
  let ds: DataSource;
  let bus: NatsBus;
  let relay: OutboxRelay;
  let consumer: EventConsumer;
  const writer = () => new OutboxWriter('outbox-test', iso.schema('svc'));

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    iso = new TestIsolation(undefined, nats.url);
    ds = await openDataSource({ url: iso.databaseUrl, schema: iso.schema('svc'), entities: [], migrations: [CreateThing1763856000001] });
    bus = new NatsBus({ servers: nats.url, serviceName: 'outbox-test', subjectPrefix: iso.subjectPrefix });
    await bus.connect();
    relay = new OutboxRelay(ds, bus, { schema: iso.schema('svc'), pollMs: 100, maxBackoffMs: 300 });
    await relay.start();
    consumer = idempotentConsumer(ds, bus, {
      durable: 'thing-watcher',
      types: ['thing.created'],
      handle: async (e, m) => {
        await m.query(`INSERT INTO seen (event_id, name) VALUES ($1, $2)`, [e.id, (e.payload as { name: string }).name]);
      },
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await bus?.close();
    await ds?.destroy();
    await iso?.cleanup();
    await nats?.dispose();
  });

  async function createThing(name: string, fail = false): Promise<EventEnvelope> {
    return ds.transaction(async (m) => {
      await m.query(`INSERT INTO thing (name) VALUES ($1)`, [name]);
      const envelope = await writer().append(m, { type: 'thing.created', payload: { name } }, ctx);
      if (fail) throw new Error('the change is refused after the event was written');
      return envelope;
    });
  }

  /** A consumer of thing.created that gives up on a handler after half a second and retries soon. */
  const impatient = (durable: string, handle: (e: EventEnvelope, m: EntityManager) => Promise<void>) =>
    idempotentConsumer(ds, bus, { durable, types: ['thing.created'], ackWaitMs: 1000, handlerTimeoutMs: 500, retryDelayMs: 100, maxRetryDelayMs: 200, handle });

  const seen = async (name: string) => (await ds.query(`SELECT event_id FROM seen WHERE name = $1`, [name])) as { event_id: string }[];

  it('delivers an event once its transaction commits, with the envelope intact', async () => {
    const envelope = await createThing('first');
    const rows = await eventually(async () => ((await seen('first')).length ? seen('first') : undefined));
    expect(rows).toEqual([{ event_id: envelope.id }]);
    expect(envelope).toMatchObject({ type: 'thing.created', schemaVersion: 1, source: 'outbox-test', actor: ctx.actor, correlationId: ctx.correlationId });
  });

  it('never publishes the event of a change that rolled back', async () => {
    await expect(createThing('rolled-back', true)).rejects.toThrow('refused');
    await createThing('after-rollback');
    await eventually(async () => (await seen('after-rollback')).length === 1);
    expect(await seen('rolled-back')).toEqual([]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM outbox_event WHERE envelope->'payload'->>'name' = 'rolled-back'`)).toEqual([{ n: 0 }]);
  });

  it('refuses to write an event outside a transaction', async () => {
    await expect(writer().append(ds.manager, { type: 'thing.created', payload: { name: 'x' } }, ctx)).rejects.toThrow('inside the transaction');
  });

  it('delivers an event written while NATS is stopped exactly once after NATS comes back', async () => {
    await nats.halt();
    const envelope = await createThing('during-outage');
    // The relay keeps trying while the broker is away; the row waits, unpublished.
    await eventually(async () => {
      const [row] = await ds.query(`SELECT attempts, published_at FROM outbox_event WHERE id = $1`, [envelope.id]);
      return row.attempts >= 1 && row.published_at === null;
    });
    expect(await seen('during-outage')).toEqual([]);

    await nats.resume();
    await eventually(async () => (await seen('during-outage')).length > 0, 20_000);
    // Give any duplicate a fair chance to arrive before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await seen('during-outage')).toEqual([{ event_id: envelope.id }]);
    const [row] = await ds.query(`SELECT published_at FROM outbox_event WHERE id = $1`, [envelope.id]);
    expect(row.published_at).not.toBeNull();
  }, 40_000);

  it('drops a republished event (same Nats-Msg-Id) and applies a redelivered one only once', async () => {
    const envelope = await createThing('republished');
    await eventually(async () => (await seen('republished')).length === 1);
    // The relay crashed after publishing but before marking the row: it publishes again.
    const again = await publishEvent(bus, envelope);
    expect(again.duplicate).toBe(true);
    // Past the duplicate window JetStream would accept it: the consumer must still ignore it.
    const fresh = { ...envelope };
    await bus.js.publish(bus.subject('lianban.events.thing.created'), new TextEncoder().encode(JSON.stringify(fresh)), { msgID: `${envelope.id}-late` });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await seen('republished')).toEqual([{ event_id: envelope.id }]);
  });

  it('applies an event once when the consumer fails after committing and before acknowledging', async () => {
    let crashes = 0;
    const effects: string[] = [];
    const fragile = idempotentConsumer(ds, bus, {
      durable: 'crash-before-ack',
      types: ['thing.created'],
      ackWaitMs: 1000,
      handle: async (e) => {
        effects.push((e.payload as { name: string }).name);
      },
      afterCommit: (e) => {
        // The effect is committed; the process "dies" before the ack, so JetStream delivers again.
        if ((e.payload as { name: string }).name === 'crash-before-ack' && crashes++ === 0) throw new Error('crashed before the ack');
      },
    });
    await fragile.start();
    try {
      await createThing('crash-before-ack');
      const jsm = await bus.jsm();
      // Redelivered, and acknowledged the second time.
      await eventually(async () => {
        const info = await jsm.consumers.info(bus.streamName('LIANBAN_EVENTS'), 'crash-before-ack');
        // Each delivery advances the consumer's sequence: one more than the stream's means one redelivery.
        return crashes === 1 && info.delivered.consumer_seq > info.delivered.stream_seq && info.num_ack_pending === 0 && info.num_pending === 0;
      }, 15_000);
      expect(effects.filter((n) => n === 'crash-before-ack')).toEqual(['crash-before-ack']);
    } finally {
      await fragile.stop();
    }
  }, 30_000);

  it('gives up on a handler stuck on a lock without leaving its statement waiting, and applies the event once the lock is free', async () => {
    const stuck = impatient('stuck-on-lock', async (e, m) => {
      if ((e.payload as { name: string }).name !== 'behind-a-lock') return;
      await m.query(`INSERT INTO seen (event_id, name) VALUES ($1, 'stuck-on-lock')`, [e.id]);
    });
    const blocker = ds.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`LOCK TABLE seen IN EXCLUSIVE MODE`);
    const waiting = async () =>
      // This consumer's attempts: on the lock, or on the first attempt's processed-event row.
      Number((await blocker.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND (query LIKE 'INSERT INTO seen%stuck-on-lock%' OR query LIKE 'INSERT INTO processed_event%')`))[0].n);
    try {
      await stuck.start();
      await createThing('behind-a-lock');
      // Several attempts given up on; each one's statement was cancelled by the database, so only
      // the latest waits (they piled up, one connection each, before: five after five attempts).
      const jsm = await bus.jsm();
      await eventually(async () => (await jsm.consumers.info(bus.streamName('LIANBAN_EVENTS'), 'stuck-on-lock')).delivered.consumer_seq >= 5, 15_000);
      expect(await waiting()).toBeLessThanOrEqual(2);
      expect(await ds.query(`SELECT count(*)::int AS n FROM seen WHERE name = 'stuck-on-lock'`)).toEqual([{ n: 0 }]);
      await blocker.commitTransaction();
      await eventually(async () => Number((await ds.query(`SELECT count(*) AS n FROM seen WHERE name = 'stuck-on-lock'`))[0].n) === 1, 15_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await ds.query(`SELECT count(*)::int AS n FROM seen WHERE name = 'stuck-on-lock'`)).toEqual([{ n: 1 }]);
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
      await stuck.stop();
    }
  }, 40_000);

  it('gives up on a handler that holds its transaction open waiting on something else: the database ends the session, the retry applies the event once', async () => {
    let attempts = 0;
    const idle = impatient('idle-in-transaction', async (e, m) => {
      if ((e.payload as { name: string }).name !== 'waits-elsewhere') return;
      await m.query(`INSERT INTO seen (event_id, name) VALUES ($1, 'idle-in-transaction')`, [e.id]);
      // The first attempt waits on a call that never answers, its transaction open and idle.
      if (++attempts === 1) await new Promise<void>(() => undefined);
    });
    try {
      await idle.start();
      await createThing('waits-elsewhere');
      await eventually(async () => attempts >= 2 && Number((await ds.query(`SELECT count(*) AS n FROM seen WHERE name = 'idle-in-transaction'`))[0].n) === 1, 15_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await ds.query(`SELECT count(*)::int AS n FROM seen WHERE name = 'idle-in-transaction'`)).toEqual([{ n: 1 }]);
      // Nobody is left idle in a transaction: the abandoned attempt's session was ended by the database.
      expect(await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE 'INSERT INTO seen%idle-in-transaction%'`)).toEqual([{ n: 0 }]);
    } finally {
      await idle.stop();
    }
  }, 40_000);

  it('prunes events published longer ago than it keeps them and old processed-event keys, never an unpublished event', async () => {
    // A schema of its own with no relay running, so that nothing publishes the rows meanwhile.
    const store = await openDataSource({ url: iso.databaseUrl, schema: iso.schema('prune'), entities: [], migrations: [CreateThing1763856000001] });
    try {
      const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      await store.query(`
        INSERT INTO outbox_event (id, type, envelope, created_at, published_at) VALUES
          ($1, 'thing.created', '{}', now() - interval '40 days', NULL),
          ($2, 'thing.created', '{}', now() - interval '9 days', now() - interval '8 days'),
          ($3, 'thing.created', '{}', now() - interval '2 days', now() - interval '1 day')`, [id(1), id(2), id(3)]);
      await store.query(`
        INSERT INTO processed_event (consumer, event_id, processed_at) VALUES
          ('c', $1, now() - interval '92 days'), ('c', $2, now() - interval '89 days')`, [id(4), id(5)]);
      const pruner = new OutboxRelay(store, bus, { schema: iso.schema('prune'), keepPublishedMs: 7 * 24 * 3600_000 });
      expect(await pruner.pruneOnce()).toEqual({ outbox: 1, processed: 1 });
      // Unpublished however old (NATS kept refusing it), published a day ago, processed 89 days ago (a dead letter may still be replayed).
      expect((await store.query(`SELECT id FROM outbox_event ORDER BY seq`)).map((r: { id: string }) => r.id)).toEqual([id(1), id(3)]);
      expect((await store.query(`SELECT event_id FROM processed_event`)).map((r: { event_id: string }) => r.event_id)).toEqual([id(5)]);
      expect(await pruner.pruneOnce()).toEqual({ outbox: 0, processed: 0 });
    } finally {
      await store.destroy();
    }
  });

  it('publishes even when no consumer has created the event stream yet', async () => {
    const lonelyBus = new NatsBus({ servers: nats.url, serviceName: 'lonely', subjectPrefix: `${iso.subjectPrefix}lonely.` });
    await lonelyBus.connect();
    const lonely = await openDataSource({ url: iso.databaseUrl, schema: iso.schema('lonely'), entities: [], migrations: [CreateThing1763856000001] });
    const lonelyRelay = new OutboxRelay(lonely, lonelyBus, { schema: iso.schema('lonely'), pollMs: 100 });
    await lonelyRelay.start();
    try {
      await lonely.transaction((m) => new OutboxWriter('lonely', iso.schema('lonely')).append(m, { type: 'thing.created', payload: { name: 'alone' } }, ctx));
      const jsm = await lonelyBus.jsm();
      await eventually(async () => (await jsm.streams.info(lonelyBus.streamName('LIANBAN_EVENTS'))).state.messages === 1);
    } finally {
      await lonelyRelay.stop();
      await lonelyBus.close();
      await lonely.destroy();
    }
  });
});
