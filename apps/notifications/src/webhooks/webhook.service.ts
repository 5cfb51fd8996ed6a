import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CreateWebhookDto, DomainError, ErrorCode, MessageContext, OfficerRole, WebhookView } from '@lianban/contracts';
import { audit } from '@lianban/persistence';
import { CHANNEL_SETTINGS, ChannelSettings, nextAttempt, OutboundChannel } from '../channels/outbound-channel';
import { WebhookDestinations } from './destination';
import { sign, SIGNATURE_HEADER } from './signature';

export const WEBHOOK_DESTINATIONS = Symbol('WEBHOOK_DESTINATIONS');

/** POSTs a body and answers the status; connects only to addresses `destinations` allows (its lookup). */
function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number, destinations: WebhookDestinations): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: destinations.lookup, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A delivery refused by the destination policy: retrying would not help. */
class DestinationRefused extends Error {}

interface Due {
  id: string;
  url: string;
  secret: string;
  attempts: number;
  notification: Record<string, unknown>;
}

/**
 * Signed webhooks (HMAC-SHA256 with a secret per subscriber) so an agency can plug in its own
 * office system. Deliveries are rows written with the notification; a dispatcher posts them and
 * retries with exponential backoff, surviving restarts.
 */
@Injectable()
export class WebhookService implements OutboundChannel {
  readonly name = 'webhook';
  private readonly logger = new Logger(WebhookService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CHANNEL_SETTINGS) private readonly settings: ChannelSettings,
    @Inject(WEBHOOK_DESTINATIONS) private readonly destinations: WebhookDestinations,
  ) {}

  private admin(ctx: MessageContext): string {
    if (ctx.actor.kind !== 'officer' || !ctx.actor.agencyId || !ctx.actor.roles?.includes(OfficerRole.ADMIN)) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only an administrator of the agency manages its webhooks.');
    }
    return ctx.actor.agencyId;
  }

  async create(dto: CreateWebhookDto, ctx: MessageContext): Promise<WebhookView> {
    const agencyId = this.admin(ctx);
    const refused = this.destinations.refusal(dto.url);
    if (refused) throw DomainError.validation([{ field: 'url', messages: [refused] }]);
    const secret = randomBytes(32).toString('base64url');
    return this.ds.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO webhook_subscription (agency_id, url, secret, kinds, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id, url, kinds, created_at AS "createdAt"`,
        [agencyId, dto.url, secret, dto.kinds ?? [], ctx.actor.id],
      );
      await audit(m, { actor: ctx.actor, action: 'webhook.create', target: row.id, outcome: 'succeeded', detail: { url: dto.url } });
      return { ...row, createdAt: row.createdAt.toISOString(), secret };
    });
  }

  async list(ctx: MessageContext): Promise<WebhookView[]> {
    const agencyId = this.admin(ctx);
    const rows = await this.ds.query(`SELECT id, url, kinds, created_at AS "createdAt" FROM webhook_subscription WHERE agency_id = $1 AND disabled_at IS NULL ORDER BY created_at`, [agencyId]);
    return rows.map((r: WebhookView & { createdAt: Date }) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  async disable(id: string, ctx: MessageContext): Promise<{ disabled: true }> {
    const agencyId = this.admin(ctx);
    return this.ds.transaction(async (m) => {
      // In a CTE: the driver returns a bare UPDATE … RETURNING as [rows, count].
      const rows = await m.query(`WITH d AS (UPDATE webhook_subscription SET disabled_at = now() WHERE id = $1 AND agency_id = $2 AND disabled_at IS NULL RETURNING id) SELECT id FROM d`, [id, agencyId]);
      if (!rows.length) throw DomainError.notFound('The webhook');
      await audit(m, { actor: ctx.actor, action: 'webhook.disable', target: id, outcome: 'succeeded' });
      return { disabled: true as const };
    });
  }

  /** Queues a notification for the agency's subscribers (inside the transaction that created it). */
  async enqueue(m: EntityManager, n: Parameters<OutboundChannel['enqueue']>[1]): Promise<void> {
    await m.query(
      `INSERT INTO webhook_delivery (subscription_id, notification_id)
       SELECT id, $1 FROM webhook_subscription WHERE agency_id = $2 AND disabled_at IS NULL AND (kinds = '{}' OR $3 = ANY(kinds))
       ON CONFLICT DO NOTHING`,
      [n.id, n.agencyId, n.kind],
    );
  }

  /**
   * Posts every delivery that is due; returns how many were attempted. Deliveries are claimed in a
   * short transaction (their next attempt moved past the request timeout, a lease another dispatcher
   * respects), posted with no transaction open, and their outcome recorded afterwards.
   */
  async dispatch(): Promise<number> {
    const lease = Math.ceil((this.settings.timeoutMs * 2) / 1000);
    const due: Due[] = await this.ds.query(
      `WITH claimed AS (
         UPDATE webhook_delivery SET next_attempt_at = now() + make_interval(secs => $1)
          WHERE id IN (SELECT d.id FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
                        WHERE d.delivered_at IS NULL AND d.given_up_at IS NULL AND d.next_attempt_at <= now() AND s.disabled_at IS NULL
                        ORDER BY d.next_attempt_at LIMIT 20 FOR UPDATE OF d SKIP LOCKED)
          RETURNING id, subscription_id, notification_id, attempts)
       SELECT c.id, s.url, s.secret, c.attempts,
              json_build_object('id', n.id, 'kind', n.kind, 'priority', n.priority, 'title', n.title, 'body', n.body, 'link', n.link, 'agencyId', n.agency_id, 'officerId', n.officer_id, 'createdAt', n.created_at) AS notification
         FROM claimed c JOIN webhook_subscription s ON s.id = c.subscription_id JOIN notification n ON n.id = c.notification_id`,
      [lease],
    );
    await Promise.all(due.map((d) => this.attempt(d)));
    return due.length;
  }

  private async attempt(d: Due): Promise<void> {
    const attempt = d.attempts + 1;
    const body = JSON.stringify({ deliveryId: Number(d.id), attempt, notification: d.notification });
    let status: number | null = null;
    let error: string | null = null;
    let refused = false;
    try {
      // The policy may have changed since the webhook was registered; the host's addresses are checked on connecting.
      const refusal = this.destinations.refusal(d.url);
      if (refusal) throw new DestinationRefused(`webhook destination refused: ${refusal}`);
      status = await post(d.url, { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(d.secret, body), 'x-lianban-delivery': d.id }, body, this.settings.timeoutMs, this.destinations);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message;
      refused = e instanceof DestinationRefused || (e as NodeJS.ErrnoException).code === 'EDESTINATION';
    }
    if (!error) {
      await this.ds.query(`UPDATE webhook_delivery SET attempts = $2, delivered_at = now(), last_status = $3, last_error = NULL WHERE id = $1`, [d.id, attempt, status]);
      return;
    }
    const { delaySeconds, giveUp: exhausted } = nextAttempt(this.settings, attempt);
    const giveUp = exhausted || refused;
    if (giveUp) this.logger.warn(`webhook delivery ${d.id} to ${d.url} given up after ${attempt} attempts: ${error}`);
    await this.ds.query(
      `UPDATE webhook_delivery SET attempts = $2, last_status = $3, last_error = $4,
              next_attempt_at = now() + make_interval(secs => $5), given_up_at = CASE WHEN $6 THEN now() END WHERE id = $1`,
      [d.id, attempt, status, error.slice(0, 500), delaySeconds, giveUp],
    );
  }
}
