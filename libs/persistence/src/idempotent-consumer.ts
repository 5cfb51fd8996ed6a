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
    handle: async (envelope) => {
      const applied = await ds.transaction(async (m) => {
        const inserted: unknown[] = await m.query(
          `INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
          [options.durable, envelope.id],
        );
        if (inserted.length === 0) return false;
        await options.handle(envelope, m);
        return true;
      });
      if (applied) options.afterCommit?.(envelope);
    },
  });
}
