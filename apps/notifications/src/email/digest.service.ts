import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { shanghaiDate, shanghaiHour } from '@lianban/clocks';
import { ACCOUNT_ENABLED, NOT_HELD_BACK } from '../preferences/preferences.service';
import { MAILER, Mailer } from './mailer';

export const DIGEST_HOUR = Symbol('DIGEST_HOUR');

/**
 * The daily digest: once a day, from the configured hour (Asia/Shanghai), each officer who asked
 * for it gets the unread items of the last day in one mail. At most one per officer and day, even
 * across restarts or with several instances (the queue's unique key and the officer's row say so).
 */
@Injectable()
export class DigestService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(DIGEST_HOUR) private readonly hour: number,
  ) {}

  /** Queues today's digests if their hour has come; returns how many were queued. */
  async compose(now = new Date()): Promise<number> {
    if (!this.mailer.enabled) return 0;
    const today = shanghaiDate(now);
    if (shanghaiHour(now) < this.hour) return 0;
    return this.ds.transaction(async (m) => {
      const officers: { officer_id: string; agency_id: string; email: string; muted_kinds: string[] }[] = await m.query(
        `SELECT officer_id, agency_id, email, muted_kinds FROM officer_preference
          WHERE digest_enabled AND email IS NOT NULL AND ${ACCOUNT_ENABLED('officer_preference')} AND (last_digest_on IS NULL OR last_digest_on < $1) FOR UPDATE SKIP LOCKED`,
        [today],
      );
      for (const o of officers) {
        const items: { title: string; link: string }[] = await m.query(
          `SELECT n.title, n.link FROM notification n JOIN officer_preference p ON p.officer_id = $1
            WHERE n.agency_id = $2 AND (n.officer_id IS NULL OR n.officer_id = $1) AND n.created_at > $3::timestamptz - interval '1 day'
              AND NOT EXISTS (SELECT 1 FROM notification_read r WHERE r.notification_id = n.id AND r.officer_id = $1)
              AND ${NOT_HELD_BACK('p', 'n.kind', 'n.priority')}
            ORDER BY n.id`,
          [o.officer_id, o.agency_id, now],
        );
        await m.query(`UPDATE officer_preference SET last_digest_on = $2 WHERE officer_id = $1`, [o.officer_id, today]);
        if (items.length === 0) continue;
        await m.query(
          `INSERT INTO email_delivery (officer_id, digest_on, to_address, subject, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [o.officer_id, today, o.email, `联办每日摘要 ${today}：${items.length} 条未读`, items.map((i) => `- ${i.title}  ${i.link}`).join('\n')],
        );
      }
      return officers.length;
    });
  }
}
