import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventEnvelope } from '@lianban/contracts';

/** An event waiting in (or already relayed from) the service's transactional outbox. */
@Entity({ name: 'outbox_event' })
@Index('outbox_event_unpublished', ['seq'], { where: 'published_at IS NULL' })
export class OutboxEventEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Insertion order; the relay publishes in this order. */
  @Column({ type: 'bigint', generated: 'increment', unique: true })
  seq: string;

  @Column('text')
  type: string;

  @Column('jsonb')
  envelope: EventEnvelope;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}

/** Marks an event as handled by one consumer, in the same transaction as the handling. */
@Entity({ name: 'processed_event' })
export class ProcessedEventEntity {
  @PrimaryColumn('text')
  consumer: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
