import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope, eventSubject, MessageContext, systemActor } from '@lianban/contracts';
import { currentContext, ensureEventStream, DEAD_LETTERS_MAX_AGE_MS, EVENTS_MAX_AGE_MS, NatsBus, newCorrelationId, publishEvent } from '@lianban/messaging';

export interface NewEvent<P> {
  type: string;
  payload: P;
  schemaVersion?: number;
}

function notifyChannel(schema: string): string {
  return `outbox_${schema}`;
}

/**
 * Writes events into the outbox inside the caller's transaction: the event exists if and only
 * if the change it describes was committed.
 */
export class OutboxWriter {
  constructor(
    private readonly source: string,
    private readonly schema: string,
  ) {}

  async append<P extends object>(manager: EntityManager, event: NewEvent<P>, ctx?: MessageContext): Promise<EventEnvelope<P>> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside the transaction that makes the change');
    }
    eventSubject(event.type); // validates the type's shape before anything is written
    const context = ctx ?? currentContext() ?? { actor: systemActor(this.source), correlationId: newCorrelationId() };
    const envelope: EventEnvelope<P> = {
      id: randomUUID(),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      occurredAt: new Date().toISOString(),
      source: this.source,
      actor: context.actor,
      correlationId: context.correlationId,
      payload: event.payload,
    };
    await manager.query(`INSERT INTO outbox_event (id, type, envelope) VALUES ($1, $2, $3)`, [envelope.id, envelope.type, envelope]);
    // Delivered to the relay's LISTEN only when the transaction commits.
    await manager.query(`SELECT pg_notify($1, '')`, [notifyChannel(this.schema)]);
    return envelope;
  }
}

export interface RelayOptions {
  schema: string;
  /** Fallback poll when no notification arrives (e.g. the listener reconnects). */
  pollMs?: number;
  batchSize?: number;
  /** Longest wait between attempts while NATS is unreachable. */
  maxBackoffMs?: number;
  /** How long a published event stays in the outbox (default 7 days; JetStream keeps it 30). */
  keepPublishedMs?: number;
  /** How often published events and processed-event keys past their time are deleted (default hourly). */
  pruneEveryMs?: number;
}

/** Rows deleted per statement when pruning, so that no prune holds many locks or a long transaction. */
const PRUNE_BATCH = 5000;

/**
 * Publishes committed outbox rows to JetStream in insertion order. A row is marked published
 * only after JetStream acknowledged it; a crash in between republishes it with the same
 * Nats-Msg-Id, which JetStream drops as a duplicate. While NATS is down rows simply wait.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private listener?: Client;
  private failures = 0;
  private streamReady?: Promise<string>;
  private prunedAt = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: NatsBus,
    private readonly options: RelayOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  /**
   * Publishes what is pending now and returns how many rows went out. Throws when NATS refused a
   * row; the rows before it stay marked published, the refused one keeps its place in line.
   */
  async relayOnce(): Promise<number> {
    const batch = this.options.batchSize ?? 100;
    // The stream may not exist yet (a fresh broker, or no consumer has started): the relay makes it.
    this.streamReady ??= ensureEventStream(this.bus).catch((e) => {
      this.streamReady = undefined;
      throw e;
    });
    await this.streamReady;
    const { published, error } = await this.ds.transaction(async (m) => {
      const rows: { id: string; envelope: EventEnvelope }[] = await m.query(
        `SELECT id, envelope FROM outbox_event WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batch],
      );
      const done: string[] = [];
      let failure: Error | undefined;
      for (const row of rows) {
        try {
          await publishEvent(this.bus, row.envelope);
          done.push(row.id);
        } catch (e) {
          failure = e as Error;
          await m.query(`UPDATE outbox_event SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [row.id, failure.message.slice(0, 500)]);
          break;
        }
      }
      if (done.length) {
        await m.query(`UPDATE outbox_event SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])`, [done]);
      }
      return { published: done.length, error: failure };
    });
    if (error) throw error;
    return published;
  }

  /**
   * Deletes what nobody needs any more, a batch at a time: events published longer ago than
   * `keepPublishedMs` (never an unpublished one, however old), and the keys of processed events
   * (processed_event) older than the event stream and the dead letters keep events, a day more:
   * neither a redelivery nor a replayed dead letter can bring those back.
   */
  async pruneOnce(): Promise<{ outbox: number; processed: number }> {
    const keepPublished = `${Math.round((this.options.keepPublishedMs ?? 7 * 24 * 3600_000) / 1000)} seconds`;
    const keepProcessed = `${Math.round((Math.max(EVENTS_MAX_AGE_MS, DEAD_LETTERS_MAX_AGE_MS) + 24 * 3600_000) / 1000)} seconds`;
    const deleteAll = async (sql: string, keep: string): Promise<number> => {
      let total = 0;
      for (;;) {
        const [, count] = (await this.ds.query(sql, [keep, PRUNE_BATCH])) as [unknown, number];
        total += count;
        if (count < PRUNE_BATCH) return total;
      }
    };
    const outbox = await deleteAll(
      `DELETE FROM outbox_event WHERE seq IN (SELECT seq FROM outbox_event WHERE published_at < now() - $1::interval ORDER BY seq LIMIT $2)`,
      keepPublished,
    );
    const processed = await deleteAll(
      `DELETE FROM processed_event WHERE (consumer, event_id) IN (SELECT consumer, event_id FROM processed_event WHERE processed_at < now() - $1::interval LIMIT $2)`,
      keepProcessed,
    );
    return { outbox, processed };
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (Date.now() - this.prunedAt >= (this.options.pruneEveryMs ?? 3600_000)) {
        this.prunedAt = Date.now();
        await this.pruneOnce().then(
          ({ outbox, processed }) => (outbox || processed) && this.logger.log(`pruned ${outbox} published events and ${processed} processed-event keys of ${this.options.schema}`),
          (e) => this.logger.warn(`pruning the outbox of ${this.options.schema} failed: ${(e as Error).message}`),
        );
      }
      let published = 0;
      try {
        published = await this.relayOnce();
        this.failures = 0;
      } catch (e) {
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.logger.warn(`outbox relay of ${this.options.schema} waiting for NATS: ${(e as Error).message}`);
        }
      }
      if (published > 0 && this.failures === 0) continue;
      const backoff = this.failures ? Math.min(this.options.maxBackoffMs ?? 5000, 200 * 2 ** Math.min(this.failures, 5)) : (this.options.pollMs ?? 1000);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, backoff);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async listen(): Promise<void> {
    const opts = this.ds.options as { url: string };
    const client = new Client({ connectionString: opts.url });
    client.on('error', () => {
      // The poll keeps the relay going; reconnect the listener in the background.
      this.listener = undefined;
      if (this.running) setTimeout(() => void this.listen().catch(() => undefined), 1000);
    });
    client.on('notification', () => this.wake?.());
    await client.connect();
    await client.query(`LISTEN ${notifyChannel(this.options.schema)}`);
    this.listener = client;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }
}
