import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgencyKind, DomainError, ErrorCode, InboxQueryDto, MessageContext, NotificationView, OfficerRole } from '@lianban/contracts';
import { DeadLetter, listDeadLetters, NatsBus, replayDeadLetter } from '@lianban/messaging';
import { requireOfficer } from '@lianban/authz';
import { audit } from '@lianban/persistence';
import { NOT_HELD_BACK } from '../preferences/preferences.service';

const VIEW = `SELECT n.id::int AS id, n.kind, n.priority, n.title, n.body, n.link, n.agency_id AS "agencyId", n.created_at AS "createdAt", r.read_at IS NOT NULL AS read
  FROM notification n LEFT JOIN notification_read r ON r.notification_id = n.id AND r.officer_id = $1
 WHERE n.agency_id = $2 AND (n.officer_id IS NULL OR n.officer_id = $1)`;

/**
 * An officer's inbox: everything addressed to the officer's agency (so someone who joins later
 * sees its open items) or to the officer, with the officer's own read marks.
 */
@Injectable()
export class InboxService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: NatsBus,
  ) {}

  private owner(ctx: MessageContext): { officerId: string; agencyId: string } {
    return requireOfficer(ctx.actor, 'Inboxes belong to officers of an agency.');
  }

  async list(q: InboxQueryDto, ctx: MessageContext): Promise<NotificationView[]> {
    const { officerId, agencyId } = this.owner(ctx);
    const params: unknown[] = [officerId, agencyId];
    let sql = VIEW;
    if (q.unread) sql += ` AND r.read_at IS NULL`;
    if (q.kind) sql += ` AND n.kind = $${params.push(q.kind)}`;
    if (q.before) sql += ` AND n.id < $${params.push(q.before)}`;
    sql += ` ORDER BY n.id DESC LIMIT $${params.push(q.limit ?? 50)}`;
    return this.views(await this.ds.query(sql, params));
  }

  /** Items after `after`, oldest first, without the kinds the officer muted: what the live stream sends. */
  async since(after: number, ctx: MessageContext): Promise<NotificationView[]> {
    const { officerId, agencyId } = this.owner(ctx);
    return this.views(
      await this.ds.query(
        `${VIEW} AND n.id > $3
           AND NOT EXISTS (SELECT 1 FROM officer_preference p WHERE p.officer_id = $1 AND NOT ${NOT_HELD_BACK('p', 'n.kind', 'n.priority')})
         ORDER BY n.id LIMIT 500`,
        [officerId, agencyId, after],
      ),
    );
  }

  async markRead(id: number, ctx: MessageContext): Promise<{ read: true }> {
    const { officerId, agencyId } = this.owner(ctx);
    const [n] = await this.ds.query(`SELECT 1 FROM notification WHERE id = $1 AND agency_id = $2 AND (officer_id IS NULL OR officer_id = $3)`, [id, agencyId, officerId]);
    if (!n) throw DomainError.notFound('The notification');
    await this.ds.query(`INSERT INTO notification_read (officer_id, notification_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [officerId, id]);
    return { read: true };
  }

  async markAllRead(ctx: MessageContext): Promise<{ marked: number }> {
    const { officerId, agencyId } = this.owner(ctx);
    const rows = await this.ds.query(
      `INSERT INTO notification_read (officer_id, notification_id)
       SELECT $1, n.id FROM notification n WHERE n.agency_id = $2 AND (n.officer_id IS NULL OR n.officer_id = $1)
       ON CONFLICT DO NOTHING RETURNING notification_id`,
      [officerId, agencyId],
    );
    return { marked: rows.length };
  }

  /**
   * Dead letters hold payloads about every agency: only an administrator of a city-level (or
   * higher) medical insurance bureau or leading-group office, who run the platform, sees them.
   */
  private admin(ctx: MessageContext): void {
    const a = ctx.actor;
    const platformAgency = a.agencyKind === AgencyKind.MEDICAL_INSURANCE || a.agencyKind === AgencyKind.LEADING_GROUP_OFFICE;
    const cityOrAbove = !!a.regionCode && a.regionCode.endsWith('00');
    if (!a.roles?.includes(OfficerRole.ADMIN) || !platformAgency || !cityOrAbove) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only a platform administrator (city medical insurance bureau or leading-group office) may inspect or replay dead letters.');
    }
  }

  async deadLetters(ctx: MessageContext): Promise<DeadLetter[]> {
    this.admin(ctx);
    return listDeadLetters(this.bus);
  }

  async replay(seq: number, ctx: MessageContext): Promise<{ replayed: number }> {
    this.admin(ctx);
    await replayDeadLetter(this.bus, seq).catch((e) => {
      throw new DomainError(404, ErrorCode.NOT_FOUND, `No dead letter with sequence ${seq} (${(e as Error).message}).`);
    });
    await this.ds.transaction((m) => audit(m, { actor: ctx.actor, action: 'dead_letter.replay', target: String(seq), outcome: 'succeeded' }));
    return { replayed: seq };
  }

  private views(rows: (Omit<NotificationView, 'createdAt'> & { createdAt: Date })[]): NotificationView[] {
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }
}
