import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope } from '@lianban/contracts';
import { EventConsumer, EventConsumerOptions, NatsBus } from '@lianban/messaging';

export interface IdempotentConsumerOptions extends Omit<EventConsumerOptions, 'handle'> {
  /** Applies the event's effect with the given manager; runs at most once per event id. */
  handle: (envelope: EventEnvelope, manager: EntityManager) => Promise<void>;
  /** Runs after the effect has committed (e.g. to wake live readers); not for anything that must not be lost. */
  afterCommit?: (envelope: EventEnvelope) => void;
}

/**
 * A durable consumer whose effect and the record "this event was processed" commit together,
 * so a redelivery (after a crash before the ack, or a republish) changes nothing.
 */
export function idempotentConsumer(ds: DataSource, bus: NatsBus, options: IdempotentConsumerOptions): EventConsumer {
  return new EventConsumer(bus, {
    ...options,
    handle: async (envelope, _msg, signal) => {
      const limit = Math.max(1, Math.round(options.handlerTimeoutMs ?? 4 * (options.ackWaitMs ?? 30_000)));
      const applied = await ds.transaction(async (m) => {
        // A statement that waits (a lock) or runs longer than the handler may is cancelled by the
        // database, so a handler given up on does not hold its connection and locks for ever.
        await m.query(`SELECT set_config('statement_timeout', $1, true), set_config('idle_in_transaction_session_timeout', $1, true)`, [String(limit)]);
        const inserted: unknown[] = await m.query(
          `INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
          [options.durable, envelope.id],
        );
        if (inserted.length === 0) return false;
        await options.handle(envelope, m);
        // Given up on while it ran: roll back; the redelivery applies the effect.
        signal.throwIfAborted();
        return true;
      });
      if (applied) options.afterCommit?.(envelope);
    },
  });
}
