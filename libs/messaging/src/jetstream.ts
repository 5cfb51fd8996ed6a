import { Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, headers as natsHeaders, JsMsg, JSONCodec, MsgRequest, nanos, RetentionPolicy, StorageType } from 'nats';
import { ALL_EVENTS_SUBJECT, DomainError, EventEnvelope, EventEnvelopeDto, EVENTS_STREAM, eventSubject, MAX_DEAD_LETTER_PAGE, MessageHeaders, validateDto } from '@lianban/contracts';
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

/**
 * A page of the messages parked in the dead-letter stream, oldest first: those with a sequence
 * above `after` (0: from the oldest), at most `limit`. The next page starts after the last
 * sequence of this one; an empty page is the end.
 */
export async function listDeadLetters(bus: NatsBus, { after = 0, limit = 100 }: { after?: number; limit?: number } = {}): Promise<DeadLetter[]> {
  const jsm = await bus.jsm();
  const name = await ensureDeadLetterStream(bus);
  const info = await jsm.streams.info(name);
  const subjects = bus.subject(`${DEAD_LETTER_ROOT}.>`);
  const out: DeadLetter[] = [];
  let seq = Math.max(info.state.first_seq, after + 1);
  while (seq <= info.state.last_seq && out.length < Math.min(limit, MAX_DEAD_LETTER_PAGE)) {
    // The next message at or after `seq`: replayed (deleted) sequences are skipped by the server.
    // STREAM.MSG.GET takes `next_by_subj` (nats-server 2.9+); nats.js types it for direct gets only.
    const next = { seq, next_by_subj: subjects } as unknown as MsgRequest;
    const m = await jsm.streams.getMessage(name, next).catch(() => null);
    if (!m) break;
    out.push({
      seq: m.seq,
      consumer: m.header.get(DeadLetterHeaders.consumer),
      subject: m.header.get(DeadLetterHeaders.subject),
      reason: m.header.get(DeadLetterHeaders.reason),
      at: m.time.toISOString(),
      data: new TextDecoder().decode(m.data),
    });
    seq = m.seq + 1;
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
  /**
   * Failed attempts (other than transient failures) before a message is dead-lettered. Transient
   * failures (a dependency down) are retried until it is back; a poison message is parked at once.
   */
  maxDeliver?: number;
  ackWaitMs?: number;
  /**
   * How long a handler may run (default four ack waits). While it runs, JetStream is told every
   * third of the ack wait that the message is being worked on, so a slow handler is not handed the
   * same message again; one that runs past this limit has failed (an "other" failure, counted
   * towards `maxDeliver`) and the consumer goes on with the next message instead of waiting on it.
   */
  handlerTimeoutMs?: number;
  /** The first redelivery delay, doubling up to `maxRetryDelayMs` (default 1 s up to 30 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * Handles one validated envelope; resolve to ack, throw to have it redelivered. `signal` aborts
   * when the handler has run out of time: the message will be tried again, so stop working on it.
   */
  handle: (envelope: EventEnvelope, msg: JsMsg, signal: AbortSignal) => Promise<void>;
}

/** What a failed handler's error says about trying again. */
export type FailureKind = 'transient' | 'poison' | 'other';

/** SQLSTATEs of a database that is unreachable, restarting or overloaded, or of a transaction to try again. */
const TRANSIENT_SQLSTATE = /^(08...|57P0[1-3]|53300|40001|40P01)$/;
const TRANSIENT_NODE_CODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres' errors of a lost or refused connection carry no code. */
const TRANSIENT_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

/**
 * Transient: another service not answering (the RPC client's 503 and 504), too many requests, the
 * database or the broker unreachable; it goes away by itself. Poison: the message itself is wrong
 * (a 4xx DomainError, validation included); retrying changes nothing. Other: a bug or an
 * unexpected state, tried a bounded number of times.
 */
export function classifyFailure(e: unknown): FailureKind {
  if (e instanceof DomainError) {
    if (e.status === 503 || e.status === 504 || e.status === 429 || e.status === 408) return 'transient';
    return e.status >= 400 && e.status < 500 ? 'poison' : 'other';
  }
  const err = e as { code?: unknown; message?: unknown; driverError?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE_CODE.has(code)) return 'transient';
  if (typeof err?.message === 'string' && TRANSIENT_MESSAGE.test(err.message)) return 'transient';
  if (err?.driverError && err.driverError !== e) return classifyFailure(err.driverError);
  return 'other';
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
  /** Failures that count towards dead-lettering, by stream sequence. */
  private readonly failures = new Map<number, number>();

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
    // No limit on deliveries in JetStream: this consumer decides when to give up (see process),
    // so that an event is retried for as long as a dependency is down. Adding an existing durable
    // with these settings updates it (a consumer created by an older release had max_deliver 10).
    await jsm.consumers.add(stream, {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      max_deliver: -1,
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
      await this.run(envelope, m);
      this.failures.delete(m.seq);
      m.ack();
    } catch (e) {
      const message = (e as Error).message;
      const kind = classifyFailure(e);
      if (kind === 'poison') {
        this.failures.delete(m.seq);
        this.logger.error(`event ${envelope.id} (${envelope.type}) cannot be handled; dead-lettered: ${message}`);
        await this.deadLetter(m, `refused: ${message}`);
        return;
      }
      // Only failures that are not transient count towards giving up (in this process: a restart
      // starts counting again). JetStream's redeliveryCount (1 on the first delivery) counts them all.
      const failed = kind === 'other' ? (this.failures.get(m.seq) ?? 0) + 1 : (this.failures.get(m.seq) ?? 0);
      if (kind === 'other' && failed >= (this.options.maxDeliver ?? 10)) {
        this.failures.delete(m.seq);
        this.logger.error(`event ${envelope.id} (${envelope.type}) failed ${failed} times; dead-lettered: ${message}`);
        await this.deadLetter(m, `failed ${failed} times: ${message}`);
        return;
      }
      if (kind === 'other') this.remember(m.seq, failed);
      const base = this.options.retryDelayMs ?? 1000;
      const delay = Math.min(this.options.maxRetryDelayMs ?? 30_000, base * 2 ** Math.min(m.info.redeliveryCount - 1, 20));
      this.logger.warn(`event ${envelope.id} (${envelope.type}) failed (${kind}, delivery ${m.info.redeliveryCount}), redelivery in ${delay} ms: ${message}`);
      m.nak(delay);
    }
  }

  /** Runs the handler, telling JetStream it is at work, and gives up on it after `handlerTimeoutMs`. */
  private async run(envelope: EventEnvelope, m: JsMsg): Promise<void> {
    const ackWait = this.options.ackWaitMs ?? 30_000;
    const limit = this.options.handlerTimeoutMs ?? 4 * ackWait;
    const abort = new AbortController();
    const heartbeat = setInterval(() => m.working(), Math.max(100, Math.floor(ackWait / 3)));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const e = new Error(`the handler did not finish within ${limit} ms`);
        abort.abort(e);
        reject(e);
      }, limit);
    });
    const work = runInContext({ actor: envelope.actor, correlationId: envelope.correlationId }, () => this.options.handle(envelope, m, abort.signal));
    // A handler that fails after it was given up on has nothing left to report.
    work.catch(() => undefined);
    try {
      await Promise.race([work, timedOut]);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timer);
    }
  }

  /** Counts a message's failures; bounded, since a message may leave without this process seeing it again. */
  private remember(seq: number, failed: number): void {
    if (this.failures.size >= 10_000 && !this.failures.has(seq)) this.failures.delete(this.failures.keys().next().value as number);
    this.failures.set(seq, failed);
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
