import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgencyKind, DeadLetterQueryDto, DomainError, ErrorCode, InboxQueryDto, MessageContext, NotificationView, OfficerRole } from '@lianban/contracts';
import { DeadLetter, listDeadLetters, NatsBus, replayDeadLetter } from '@lianban/messaging';
import { requireOfficer } from '@lianban/authz';
import { audit } from '@lianban/persistence';
import { NOT_HELD_BACK } from '../preferences/preferences.service';

/**
 * Whose items a reader sees ($1 the reading account, $2 its agency or institution): an officer
 * those addressed to the whole agency or to the officer; an institution account those addressed
 * to its institution. Agency items have no institution and institution items no agency, so
 * neither side can reach the other's.
 */
const MINE = {
  agency: `n.agency_id = $2 AND (n.officer_id IS NULL OR n.officer_id = $1)`,
  institution: `n.institution_id = $2`,
} as const;

const VIEW = (mine: string) => `SELECT n.id::int AS id, n.kind, n.priority, n.title, n.body, n.link, n.agency_id AS "agencyId", n.institution_id AS "institutionId", n.created_at AS "createdAt", r.read_at IS NOT NULL AS read
  FROM notification n LEFT JOIN notification_read r ON r.notification_id = n.id AND r.officer_id = $1
 WHERE ${mine}`;

/** The reading account, the agency or institution whose items it reads, and the SQL that picks them. */
interface InboxOwner {
  readerId: string;
  ownerId: string;
  mine: string;
}

/**
 * An inbox: for an officer everything addressed to the officer's agency (so someone who joins
 * later sees its open items) or to the officer; for an institution portal account everything
 * addressed to its institution (news of its own ledgers). Each account keeps its own read marks.
 */
@Injectable()
export class InboxService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: NatsBus,
  ) {}

  private owner(ctx: MessageContext): InboxOwner {
    const a = ctx.actor;
    if (a.kind === 'institution' && a.institutionId) return { readerId: a.id, ownerId: a.institutionId, mine: MINE.institution };
    const { officerId, agencyId } = requireOfficer(a, 'Inboxes belong to officers of an agency and to institution accounts.');
    return { readerId: officerId, ownerId: agencyId, mine: MINE.agency };
  }

  async list(q: InboxQueryDto, ctx: MessageContext): Promise<NotificationView[]> {
    const { readerId, ownerId, mine } = this.owner(ctx);
    const params: unknown[] = [readerId, ownerId];
    let sql = VIEW(mine);
    if (q.unread) sql += ` AND r.read_at IS NULL`;
    if (q.kind) sql += ` AND n.kind = $${params.push(q.kind)}`;
    if (q.before) sql += ` AND n.id < $${params.push(q.before)}`;
    sql += ` ORDER BY n.id DESC LIMIT $${params.push(q.limit ?? 50)}`;
    return this.views(await this.ds.query(sql, params));
  }

  /** Items after `after`, oldest first, without the kinds the officer muted (institution accounts mute nothing): what the live stream sends. */
  async since(after: number, ctx: MessageContext): Promise<NotificationView[]> {
    const { readerId, ownerId, mine } = this.owner(ctx);
    return this.views(
      await this.ds.query(
        `${VIEW(mine)} AND n.id > $3
           AND NOT EXISTS (SELECT 1 FROM officer_preference p WHERE p.officer_id = $1 AND NOT ${NOT_HELD_BACK('p', 'n.kind', 'n.priority')})
         ORDER BY n.id LIMIT 500`,
        [readerId, ownerId, after],
      ),
    );
  }

  async markRead(id: number, ctx: MessageContext): Promise<{ read: true }> {
    const { readerId, ownerId, mine } = this.owner(ctx);
    const [n] = await this.ds.query(
      `WITH item AS (SELECT n.id FROM notification n WHERE n.id = $3 AND ${mine}),
            marked AS (INSERT INTO notification_read (officer_id, notification_id) SELECT $1, id FROM item ON CONFLICT DO NOTHING)
       SELECT id FROM item`,
      [readerId, ownerId, id],
    );
    if (!n) throw DomainError.notFound('The notification');
    return { read: true };
  }

  async markAllRead(ctx: MessageContext): Promise<{ marked: number }> {
    const { readerId, ownerId, mine } = this.owner(ctx);
    const rows = await this.ds.query(
      `INSERT INTO notification_read (officer_id, notification_id)
       SELECT $1, n.id FROM notification n WHERE ${mine}
       ON CONFLICT DO NOTHING RETURNING notification_id`,
      [readerId, ownerId],
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

  /** A page of the dead letters, oldest first; each read is audited (they hold payloads about every agency). */
  async deadLetters(q: DeadLetterQueryDto, ctx: MessageContext): Promise<DeadLetter[]> {
    this.admin(ctx);
    const page = await listDeadLetters(this.bus, q);
    await this.ds.transaction((m) =>
      audit(m, { actor: ctx.actor, action: 'dead_letter.list', outcome: 'succeeded', detail: { after: q.after ?? 0, seqs: page.map((l) => l.seq) } }),
    );
    return page;
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
