import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope } from '@lianban/contracts';
import { EventConsumer, NatsBus } from '@lianban/messaging';
import { idempotentConsumer } from '@lianban/persistence';

export const CONSUMER_SETTINGS = Symbol('CASES_CONSUMER_SETTINGS');

interface TransferEventPayload {
  transferId: string;
  number?: string;
  route: string;
  to?: string;
  caseId?: string | null;
  senderAgencyId: string;
  receiverAgencyId?: string;
  procuratorateAgencyId?: string | null;
  copyTo?: string[];
}

/**
 * Learns what became of the transfers a case produced, from `transfer.*` events (clue-transfer
 * owns transfers; this service never reads its schema). Applied once per event
 * (`idempotentConsumer`), and order-proof: a state is only overwritten by a later event.
 * Agencies a transfer was sent to (and the procuratorate copied) may then read the case.
 */
@Injectable()
export class CaseLinksConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: EventConsumer;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: NatsBus,
    @Inject(CONSUMER_SETTINGS) private readonly settings: { maxDeliver?: number; ackWaitMs?: number },
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = idempotentConsumer(this.ds, this.bus, {
      durable: 'cases-transfers',
      types: ['transfer.*'],
      maxDeliver: this.settings.maxDeliver,
      ackWaitMs: this.settings.ackWaitMs,
      handle: (e, m) => this.apply(e, m),
    });
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  async apply(e: EventEnvelope, m: EntityManager): Promise<void> {
    const p = e.payload as unknown as TransferEventPayload;
    if (!p.caseId || !p.transferId) return;
    // Only the bureau that handles the case links transfers to it.
    const [c] = await m.query(`SELECT id, agency_id FROM enforcement_case WHERE id = $1 FOR UPDATE`, [p.caseId]);
    if (!c || c.agency_id !== p.senderAgencyId) return;
    const state = e.type === 'transfer.drafted' ? 'drafted' : (p.to ?? 'drafted');
    const at = new Date(e.occurredAt);
    await m.query(
      `INSERT INTO case_transfer (case_id, transfer_id, number, route, state, receiver_agency_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (case_id, transfer_id) DO UPDATE SET state = EXCLUDED.state, receiver_agency_id = EXCLUDED.receiver_agency_id, number = COALESCE(EXCLUDED.number, case_transfer.number), updated_at = EXCLUDED.updated_at
       WHERE case_transfer.updated_at <= EXCLUDED.updated_at`,
      [p.caseId, p.transferId, p.number ?? null, p.route, state, p.receiverAgencyId ?? null, at],
    );
    // Once sent (or forwarded), the receiving agency and the copied procuratorate may read the case.
    if (e.type === 'transfer.sent' || e.type === 'transfer.forwarded') {
      const agencies = [p.receiverAgencyId, ...(p.copyTo ?? [])].filter((a): a is string => !!a);
      await m.query(`UPDATE enforcement_case SET linked_agency_ids = ARRAY(SELECT DISTINCT unnest(linked_agency_ids || $2::uuid[])) WHERE id = $1`, [p.caseId, agencies]);
    }
  }
}
