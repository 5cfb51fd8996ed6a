import { Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, headers as natsHeaders, JsMsg, JSONCodec, nanos, RetentionPolicy, StorageType } from 'nats';
import { ALL_EVENTS_SUBJECT, EventEnvelope, EventEnvelopeDto, EVENTS_STREAM, eventSubject, MessageHeaders, validateDto } from '@lianban/contracts';
import { contextHeaders, runInContext } from './context';
import { NatsBus } from './nats-bus';

/** How long the event stream keeps an event: no consumer can be handed one older than this. */
export const EVENTS_MAX_AGE_MS = 30 * 24 * 3600_000;
/** How long a dead letter is kept, and can be replayed onto its subject (to every consumer of it). */
export const DEAD_LETTERS_MAX_AGE_MS = 90 * 24 * 3600_000;

const codec = JSONCodec<EventEnvelope>();

/** How long JetStream remembers a message id to drop a republished duplicate. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** The subject filter for a type ('transfer.sent') or a family of types ('transfer.*'). */
function typeFilter(type: string): string {
  if (!type.endsWith('.*')) return eventSubject(type);
  if (!/^[a-z][a-z0-9_]*\.\*$/.test(type)) throw new Error(`"${type}" is not a family of event types like "transfer.*"`);
  return `${ALL_EVENTS_SUBJECT.slice(0, -1)}${type}`;
}

function typeMatches(wanted: string, type: string): boolean {
  return wanted.endsWith('.*') ? type.startsWith(wanted.slice(0, -1)) : wanted === type;
}

export const DEAD_LETTER_STREAM = 'LIANBAN_DEAD_LETTERS';
export const DEAD_LETTER_ROOT = 'lianban.dlq';
export const DeadLetterHeaders = { subject: 'Lianban-Original-Subject', consumer: 'Lianban-Consumer', reason: 'Lianban-Dead-Letter-Reason' } as const;

/** The stream poison messages are parked in, per consumer, for an administrator to inspect and replay. */
export async function ensureDeadLetterStream(bus: NatsBus): Promise<string> {
  const jsm = await bus.jsm();
  const name = bus.streamName(DEAD_LETTER_STREAM);
  const config = { name, subjects: [bus.subject(`${DEAD_LETTER_ROOT}.>`)], retention: RetentionPolicy.Limits, storage: StorageType.File, max_age: nanos(DEAD_LETTERS_MAX_AGE_MS) };
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add(config);
  }
  return name;
}

export interface DeadLetter {
  seq: number;
  consumer: string;
  subject: string;
  reason: string;
  at: string;
  data: string;
}

/** The messages parked in the dead-letter stream, oldest first. */
export async function listDeadLetters(bus: NatsBus, limit = 100): Promise<DeadLetter[]> {
  const jsm = await bus.jsm();
  const name = await ensureDeadLetterStream(bus);
  const info = await jsm.streams.info(name);
  const out: DeadLetter[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && out.length < limit; seq++) {
    const m = await jsm.streams.getMessage(name, { seq }).catch(() => null);
    if (!m) continue;
    out.push({
      seq,
      consumer: m.header.get(DeadLetterHeaders.consumer),
      subject: m.header.get(DeadLetterHeaders.subject),
      reason: m.header.get(DeadLetterHeaders.reason),
      at: m.time.toISOString(),
      data: new TextDecoder().decode(m.data),
    });
  }
  return out;
}

/** Puts a parked message back on its original subject (its consumers see it again) and removes it from the dead letters. */
export async function replayDeadLetter(bus: NatsBus, seq: number): Promise<void> {
  const jsm = await bus.jsm();
  const name = await ensureDeadLetterStream(bus);
  const m = await jsm.streams.getMessage(name, { seq });
  await bus.js.publish(m.header.get(DeadLetterHeaders.subject), m.data, { msgID: `replay-${name}-${seq}` });
  await jsm.streams.deleteMessage(name, seq);
}

/**
 * Creates the one stream all domain events are kept in, or brings its settings to these when they
 * differ (a new release). Idempotent. Where the broker lets no process change a stream (the
 * per-process permissions of deploy/nats-server.conf, so that none can add subjects to it), a
 * difference is logged for an administrator and the stream is used as it is.
 */
export async function ensureEventStream(bus: NatsBus): Promise<string> {
  const jsm = await bus.jsm();
  const name = bus.streamName(EVENTS_STREAM);
  const config = {
    name,
    subjects: [bus.subject(ALL_EVENTS_SUBJECT)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(EVENTS_MAX_AGE_MS),
  };
  const current = await jsm.streams.info(name).catch(() => null);
  if (!current) {
    await jsm.streams.add(config);
    return name;
  }
  const c = current.config;
  const same = c.subjects?.join() === config.subjects.join() && c.retention === config.retention && c.storage === config.storage && c.duplicate_window === config.duplicate_window && c.max_age === config.max_age;
  if (!same) {
    await jsm.streams.update(name, config).catch((e: Error) => {
      new Logger('EventStream').warn(`the stream ${name} keeps settings other than this release's, and could not be changed (${e.message}): an administrator changes it`);
    });
  }
  return name;
}

/**
 * Publishes one event with `Nats-Msg-Id` = the event id, so a retry after a lost
 * acknowledgement is dropped by JetStream instead of delivered twice.
 */
export async function publishEvent(bus: NatsBus, envelope: EventEnvelope, timeoutMs = 2000): Promise<{ duplicate: boolean; seq: number }> {
  const headers = contextHeaders(envelope, bus.options.signingKey, {
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
  /** Event types to receive, e.g. ['transfer.sent'], or a family, 'transfer.*'; empty for every event. */
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
  private wanted?: string[];

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
    const filter = types.length === 1 ? this.bus.subject(typeFilter(types[0])) : this.bus.subject(ALL_EVENTS_SUBJECT);
    this.wanted = types.length > 1 ? types : undefined;
    await ensureDeadLetterStream(this.bus);
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
      await this.deadLetter(m, `malformed: ${(e as Error).message}`);
      return;
    }
    if (this.wanted && !this.wanted.some((t) => typeMatches(t, envelope.type))) {
      m.ack();
      return;
    }
    try {
      await runInContext({ actor: envelope.actor, correlationId: envelope.correlationId }, () => this.options.handle(envelope, m));
      m.ack();
    } catch (e) {
      // redeliveryCount is 1 on the first delivery.
      if (m.info.redeliveryCount >= (this.options.maxDeliver ?? 10)) {
        this.logger.error(`event ${envelope.id} (${envelope.type}) failed ${m.info.redeliveryCount} times; dead-lettered: ${(e as Error).message}`);
        await this.deadLetter(m, `failed ${m.info.redeliveryCount} times: ${(e as Error).message}`);
        return;
      }
      const delay = Math.min(30_000, 500 * 2 ** Math.min(m.info.redeliveryCount, 6));
      this.logger.warn(`event ${envelope.id} (${envelope.type}) failed, redelivery in ${delay} ms: ${(e as Error).message}`);
      m.nak(delay);
    }
  }

  /** Parks a message the consumer cannot use in the dead-letter stream, then stops its redelivery. */
  private async deadLetter(m: JsMsg, reason: string): Promise<void> {
    const h = natsHeaders();
    h.set(DeadLetterHeaders.subject, m.subject);
    h.set(DeadLetterHeaders.consumer, this.options.durable);
    h.set(DeadLetterHeaders.reason, reason.replace(/[\r\n]+/g, ' ').slice(0, 500));
    try {
      await this.bus.js.publish(this.bus.subject(`${DEAD_LETTER_ROOT}.${this.options.durable}`), m.data, { headers: h });
      m.term();
    } catch (e) {
      // Without a dead-letter copy the message must not be dropped: let JetStream redeliver it.
      this.logger.error(`could not dead-letter seq ${m.seq}: ${(e as Error).message}`);
      m.nak(5000);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping?.();
    await this.loop;
  }
}
