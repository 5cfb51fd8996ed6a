import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AgenciesSubjects, AgencyKind, AgencyView, EventEnvelope, InstitutionSubjects, institutionNotificationSignalSubject, notificationSignalSubject, OfficerRole, systemActor } from '@lianban/contracts';
import { EventConsumer, NatsBus, newCorrelationId, RpcClient } from '@lianban/messaging';
import { idempotentConsumer } from '@lianban/persistence';
import { OUTBOUND_CHANNELS, OutboundChannel } from '../channels/outbound-channel';
import { PreferencesService } from '../preferences/preferences.service';
import { Delivery, route } from './routing';

export const NOTIFY_SETTINGS = Symbol('NOTIFY_SETTINGS');
const DIRECTORY_TTL_MS = 5 * 60_000;

/** An agency item's owner (all of the agency, or one officer of it) and the subject that wakes its live streams. */
type Recipient = { agencyId: string; officerId: string | null; signal: string };
/** One delivery of an event and the inboxes it reaches. */
type Owners = { d: Delivery; recipients: Recipient[]; institutionIds: string[] };

export interface NotifySettings {
  /** Failed attempts (not counting transient ones: a dependency down) before an event is dead-lettered. */
  maxDeliver: number;
  ackWaitMs: number;
}

/**
 * Turns domain events into inbox items: one durable consumer per purpose, each item written in
 * the transaction that records the event as processed, so a redelivered event adds nothing.
 */
@Injectable()
export class NotifyService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotifyService.name);
  private consumers: EventConsumer[] = [];
  private readonly directory = new Map<string, { id: string | null; until: number }>();
  /** Signal subjects of the inboxes events reached, whose transaction has not committed yet. */
  private readonly signals = new Map<string, string[]>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: NatsBus,
    private readonly rpc: RpcClient,
    @Inject(OUTBOUND_CHANNELS) private readonly channels: OutboundChannel[],
    @Inject(NOTIFY_SETTINGS) private readonly settings: NotifySettings,
    private readonly preferences: PreferencesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const purposes: { durable: string; types: string[]; handle?: (e: EventEnvelope, m: EntityManager) => Promise<void> }[] = [
      { durable: 'notify-transfers', types: ['transfer.*'] },
      { durable: 'notify-clocks', types: ['clock.*'] },
      { durable: 'notify-clues', types: ['clue.*'] },
      // One family per consumer: nats-server 2.9 filters on one subject only (docs/architecture.md).
      { durable: 'notify-cases', types: ['case.*'] },
      { durable: 'notify-supervisions', types: ['supervision.*'] },
      { durable: 'notify-ledgers', types: ['ledger.*'] },
      { durable: 'notify-campaigns', types: ['campaign.*'] },
      { durable: 'notify-invoices', types: ['invoice.*'] },
      // Not inbox items: which accounts are disabled, so that nothing is mailed to them.
      { durable: 'notify-accounts', types: ['officer.*'], handle: (e, m) => this.preferences.accountChanged(e, m) },
    ];
    for (const { durable, types, handle } of purposes) {
      const consumer = idempotentConsumer(this.ds, this.bus, {
        durable,
        types,
        maxDeliver: this.settings.maxDeliver,
        ackWaitMs: this.settings.ackWaitMs,
        handle: handle ?? ((e, m) => this.deliver(e, m)),
        afterCommit: (e) => this.signal(e),
      });
      await consumer.start();
      this.consumers.push(consumer);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  /**
   * Writes the inbox items of one event (inside the consumer's transaction). Every look-up runs
   * first; then the items are written under a lock held to the commit, so that item ids become
   * visible in the order they were given: a live stream that has sent id n never finds n - 1
   * committed later (it reads `id > last`). No look-up ever waits while the lock is held.
   */
  async deliver(e: EventEnvelope, m: EntityManager): Promise<void> {
    const owners: Owners[] = [];
    for (const d of route(e)) owners.push(await this.ownersOf(e, d));
    if (!owners.some((o) => o.recipients.length || o.institutionIds.length)) return;
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('notification.id order'), hashtext(current_schema()))`);
    const signals: string[] = [];
    for (const o of owners) signals.push(...(await this.write(e, o, m)));
    if (signals.length) this.signals.set(e.id, [...new Set(signals)]);
  }

  /** Whose inboxes one delivery reaches, looked up in the directory where the route names a role or a region. */
  private async ownersOf(e: EventEnvelope, d: Delivery): Promise<Owners> {
    const agencyIds = new Set(d.agencyIds);
    if (d.byKind) {
      for (const kind of d.byKind.kinds) {
        const agencyId = await this.agencyOf(kind, d.byKind.regionCode, e.correlationId);
        if (agencyId) agencyIds.add(agencyId);
        else this.logger.warn(`no ${kind} in region ${d.byKind.regionCode} to escalate ${e.type} to`);
      }
    }
    // Agency-wide items, then one per officer the event waits for (never the officer who acted), then the institutions'.
    const recipients: Recipient[] = [...agencyIds].map((agencyId) => ({ agencyId, officerId: null, signal: notificationSignalSubject(agencyId) }));
    if (d.officers) {
      const { agencyId, role } = d.officers;
      const ids = role ? await this.officersWith(agencyId, role, e.correlationId) : (d.officers.ids ?? []);
      for (const officerId of new Set(ids)) if (officerId !== e.actor.id) recipients.push({ agencyId, officerId, signal: notificationSignalSubject(agencyId) });
      if (!ids.length) this.logger.warn(`nobody in agency ${agencyId} to tell about ${e.type}${role ? ` (no officer with the ${role} role)` : ''}`);
    }
    const institutionIds = new Set(d.institutionId ? [d.institutionId] : []);
    if (d.institutionsIn) {
      const { regionCode, kinds, except } = d.institutionsIn;
      const found = await this.designatedInstitutions({ regionCode, kinds }, e.correlationId);
      const skip = new Set(except);
      for (const id of found) if (!skip.has(id)) institutionIds.add(id);
      if (!found.length) this.logger.warn(`no designated ${kinds.join(' or ')} in region ${regionCode} to tell about ${e.type}`);
    }
    return { d, recipients, institutionIds: [...institutionIds] };
  }

  /** Writes one delivery's items; the signal subjects of the inboxes it reached. */
  private async write(e: EventEnvelope, { d, recipients, institutionIds }: Owners, m: EntityManager): Promise<string[]> {
    for (const { agencyId, officerId } of recipients) {
      const [created] = await m.query(
        `INSERT INTO notification (event_id, kind, priority, agency_id, officer_id, title, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())
         ON CONFLICT (event_id, agency_id, officer_id, institution_id) DO NOTHING RETURNING id`,
        [e.id, e.type, d.priority, agencyId, officerId, d.title, d.body, d.link],
      );
      if (!created) continue;
      const n = { id: Number(created.id), agencyId, officerId, kind: e.type, priority: d.priority, title: d.title, body: d.body, link: d.link };
      for (const channel of this.channels) await channel.enqueue(m, n);
    }
    // The institutions' items, in one statement (a city campaign reaches hundreds). Email and
    // webhooks are the agencies' channels: an institution's item stays in its inbox.
    if (institutionIds.length) {
      await m.query(
        `INSERT INTO notification (event_id, kind, priority, institution_id, title, body, link, created_at)
         SELECT $1, $2, $3, i, $5, $6, $7, clock_timestamp() FROM unnest($4::uuid[]) AS i
         ON CONFLICT (event_id, agency_id, officer_id, institution_id) DO NOTHING`,
        [e.id, e.type, d.priority, institutionIds, d.title, d.body, d.link],
      );
    }
    return [...recipients.map((r) => r.signal), ...institutionIds.map(institutionNotificationSignalSubject)];
  }

  /** The active officers of an agency holding a role, from the agencies service, as the event is delivered. */
  private officersWith(agencyId: string, role: OfficerRole, correlationId: string): Promise<string[]> {
    return this.rpc.request<string[]>(AgenciesSubjects.findOfficers, { agencyId, role }, { actor: systemActor('notifications'), correlationId: correlationId || newCorrelationId() });
  }

  /** The designated institutions of some kinds in a region, from the agencies service, as the event is delivered. */
  private designatedInstitutions(where: { regionCode: string; kinds: string[] }, correlationId: string): Promise<string[]> {
    return this.rpc.request<string[]>(InstitutionSubjects.findDesignated, where, { actor: systemActor('notifications'), correlationId: correlationId || newCorrelationId() });
  }

  /**
   * The agency of a kind in a region, from the agencies service. Remembered for a few minutes: the
   * look-up runs inside the consumer's transaction, and the directory changes rarely.
   */
  private async agencyOf(kind: AgencyKind, regionCode: string, correlationId: string): Promise<string | null> {
    const key = `${kind}:${regionCode}`;
    const known = this.directory.get(key);
    if (known && known.until > Date.now()) return known.id;
    const agency = await this.rpc.request<AgencyView | null>(AgenciesSubjects.findAgency, { kind, regionCode }, { actor: systemActor('notifications'), correlationId: correlationId || newCorrelationId() });
    this.directory.set(key, { id: agency?.id ?? null, until: Date.now() + DIRECTORY_TTL_MS });
    return agency?.id ?? null;
  }

  /** Wakes the live streams of the agencies and institutions an event reached, once its items are committed (a lost ping is caught by their poll). */
  private signal(e: EventEnvelope): void {
    for (const subject of this.signals.get(e.id) ?? []) this.bus.nc.publish(this.bus.subject(subject));
    this.signals.delete(e.id);
  }
}
