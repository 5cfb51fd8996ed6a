import { Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, JsMsg, JSONCodec, nanos, RetentionPolicy, StorageType } from 'nats';
import { ALL_EVENTS_SUBJECT, EventEnvelope, EventEnvelopeDto, EVENTS_STREAM, eventSubject, MessageHeaders, validateDto } from '@lianban/contracts';
import { contextHeaders, runInContext } from './context';
import { NatsBus } from './nats-bus';

const codec = JSONCodec<EventEnvelope>();

/** How long JetStream remembers a message id to drop a republished duplicate. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** Creates (or updates) the one stream all domain events are kept in. Idempotent. */
export async function ensureEventStream(bus: NatsBus): Promise<string> {
  const jsm = await bus.jsm();
  const name = bus.streamName(EVENTS_STREAM);
  const config = {
    name,
    subjects: [bus.subject(ALL_EVENTS_SUBJECT)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(30 * 24 * 3600_000),
  };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch {
    await jsm.streams.add(config);
  }
  return name;
}

/**
 * Publishes one event with `Nats-Msg-Id` = the event id, so a retry after a lost
 * acknowledgement is dropped by JetStream instead of delivered twice.
 */
export async function publishEvent(bus: NatsBus, envelope: EventEnvelope, timeoutMs = 2000): Promise<{ duplicate: boolean; seq: number }> {
  const headers = contextHeaders(envelope, {
    [MessageHeaders.eventType]: envelope.type,
    [MessageHeaders.schemaVersion]: String(envelope.schemaVersion),
  });
  const ack = await bus.js.publish(bus.subject(eventSubject(envelope.type)), codec.encode(envelope), {
    msgID: envelope.id,
    headers,
    timeout: timeoutMs,
  });
  return { duplicate: ack.duplicate, seq: ack.seq };
}

export interface EventConsumerOptions {
  /** Durable consumer name: one per purpose, survives restarts. */
  durable: string;
  /** Event types to receive, e.g. ['transfer.sent']; empty for every event. */
  types: string[];
  /** Redeliveries before a message is given up (issue: dead-letter stream). */
  maxDeliver?: number;
  ackWaitMs?: number;
  /** Handles one validated envelope; resolve to ack, throw to have it redelivered. */
  handle: (envelope: EventEnvelope, msg: JsMsg) => Promise<void>;
}

/**
 * A durable, explicitly acknowledged pull consumer. Handlers must be idempotent: JetStream
 * delivers at least once (see persistence's IdempotentConsumer, which records processed ids).
 */
export class EventConsumer {
  private readonly logger: Logger;
  private stopped = false;
  private stopping?: () => void;
  private loop?: Promise<void>;
  private wanted?: Set<string>;

  constructor(
    private readonly bus: NatsBus,
    private readonly options: EventConsumerOptions,
  ) {
    this.logger = new Logger(`EventConsumer:${options.durable}`);
  }

  async start(): Promise<void> {
    const stream = await ensureEventStream(this.bus);
    const jsm = await this.bus.jsm();
    // Debian's nats-server (2.9) knows one filter subject per consumer: a consumer of several
    // types reads every event and acknowledges the others unhandled.
    const types = this.options.types;
    const filter = types.length === 1 ? this.bus.subject(eventSubject(types[0])) : this.bus.subject(ALL_EVENTS_SUBJECT);
    this.wanted = types.length > 1 ? new Set(types) : undefined;
    await jsm.consumers.add(stream, {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      max_deliver: this.options.maxDeliver ?? 10,
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
    });
    const consumer = await this.bus.js.consumers.get(stream, this.options.durable);
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          const messages = await consumer.consume({ max_messages: 64 });
          this.stopping = () => void messages.stop();
          for await (const m of messages) await this.process(m);
        } catch (e) {
          if (!this.stopped) this.logger.warn(`consume interrupted: ${(e as Error).message}; resuming`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
  }

  private async process(m: JsMsg): Promise<void> {
    let envelope: EventEnvelope;
    try {
      envelope = await validateDto(EventEnvelopeDto, codec.decode(m.data));
    } catch (e) {
      this.logger.error(`malformed event on ${m.subject} (seq ${m.seq}): ${(e as Error).message}`);
      m.term();
      return;
    }
    if (this.wanted && !this.wanted.has(envelope.type)) {
      m.ack();
      return;
    }
    try {
      await runInContext({ actor: envelope.actor, correlationId: envelope.correlationId }, () => this.options.handle(envelope, m));
      m.ack();
    } catch (e) {
      const delay = Math.min(30_000, 500 * 2 ** Math.min(m.info.redeliveryCount, 6));
      this.logger.warn(`event ${envelope.id} (${envelope.type}) failed, redelivery in ${delay} ms: ${(e as Error).message}`);
      m.nak(delay);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping?.();
    await this.loop;
  }
}
