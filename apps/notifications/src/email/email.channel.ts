import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CHANNEL_SETTINGS, ChannelSettings, nextAttempt, OutboundChannel } from '../channels/outbound-channel';
import { ACCOUNT_ENABLED, NOT_HELD_BACK, QUIET_RELEASE } from '../preferences/preferences.service';
import { MAILER, Mailer } from './mailer';

/** The email channel: one mail per notification to each officer of the agency who asked for it. */
@Injectable()
export class EmailChannel implements OutboundChannel {
  readonly name = 'email';
  private readonly logger = new Logger(EmailChannel.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(CHANNEL_SETTINGS) private readonly settings: ChannelSettings,
  ) {}

  async enqueue(m: EntityManager, n: Parameters<OutboundChannel['enqueue']>[1]): Promise<void> {
    if (!this.mailer.enabled) return;
    await m.query(
      `INSERT INTO email_delivery (officer_id, notification_id, to_address, subject, body, next_attempt_at)
       SELECT p.officer_id, $1, p.email, $4, $5, CASE WHEN $3 = 'high' THEN now() ELSE ${QUIET_RELEASE('p')} END
         FROM officer_preference p
        WHERE p.agency_id = $2 AND ($7::uuid IS NULL OR p.officer_id = $7) AND p.email_enabled AND p.email IS NOT NULL AND ${ACCOUNT_ENABLED('p')} AND ${NOT_HELD_BACK('p', '$6', '$3')}
       ON CONFLICT DO NOTHING`,
      [n.id, n.agencyId, n.priority, n.title, `${n.body}\n\n${n.link}`, n.kind, n.officerId],
    );
  }

  /** Sends the due mails: claimed with a lease in one statement, sent with no transaction open. */
  async dispatch(): Promise<number> {
    if (!this.mailer.enabled) return 0;
    const lease = Math.ceil((this.settings.timeoutMs * 2) / 1000);
    const due: { id: string; to_address: string; subject: string; body: string; attempts: number }[] = await this.ds.query(
      // A CTE, so the driver returns the claimed rows (a bare UPDATE … RETURNING comes back as [rows, count]).
      `WITH claimed AS (
         UPDATE email_delivery SET next_attempt_at = now() + make_interval(secs => $1)
          WHERE id IN (SELECT id FROM email_delivery WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= now()
                        ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)
          RETURNING id, to_address, subject, body, attempts)
       SELECT * FROM claimed`,
      [lease],
    );
    await Promise.all(
      due.map(async (d) => {
        const attempt = d.attempts + 1;
        try {
          await this.mailer.send(d.to_address, d.subject, d.body);
          await this.ds.query(`UPDATE email_delivery SET attempts = $2, sent_at = now(), last_error = NULL WHERE id = $1`, [d.id, attempt]);
        } catch (e) {
          const { delaySeconds, giveUp } = nextAttempt(this.settings, attempt);
          if (giveUp) this.logger.warn(`mail ${d.id} given up after ${attempt} attempts: ${(e as Error).message}`);
          await this.ds.query(
            `UPDATE email_delivery SET attempts = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4), given_up_at = CASE WHEN $5 THEN now() END WHERE id = $1`,
            [d.id, attempt, (e as Error).message.slice(0, 500), delaySeconds, giveUp],
          );
        }
      }),
    );
    return due.length;
  }
}
