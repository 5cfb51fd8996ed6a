import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { requireOfficer } from '@lianban/authz';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, EventEnvelope, MessageContext, PreferencesDto, ruleError } from '@lianban/contracts';
import { audit } from '@lianban/persistence';

/** SQL: the officer's preference row does not hold this item back (muted kind or quiet hours); overdue items always pass. */
export const NOT_HELD_BACK = (p: string, kind: string, priority: string) =>
  `(${priority} = 'high' OR NOT (${kind} = ANY(${p}.muted_kinds)))`;

/** SQL: the next moment the officer's quiet hours allow a normal item out (now when not quiet). */
export const QUIET_RELEASE = (p: string) => `(
  CASE
    WHEN ${p}.quiet_start IS NULL THEN now()
    WHEN (CASE WHEN ${p}.quiet_start < ${p}.quiet_end
               THEN (now() AT TIME ZONE 'Asia/Shanghai')::time >= ${p}.quiet_start AND (now() AT TIME ZONE 'Asia/Shanghai')::time < ${p}.quiet_end
               ELSE (now() AT TIME ZONE 'Asia/Shanghai')::time >= ${p}.quiet_start OR (now() AT TIME ZONE 'Asia/Shanghai')::time < ${p}.quiet_end END)
    THEN ((now() AT TIME ZONE 'Asia/Shanghai')::date + ${p}.quiet_end
          + CASE WHEN (now() AT TIME ZONE 'Asia/Shanghai')::time >= ${p}.quiet_end THEN interval '1 day' ELSE interval '0' END) AT TIME ZONE 'Asia/Shanghai'
    ELSE now()
  END)`;

/** SQL: the officer's account is enabled, as far as the agencies service has said (mail and digests go to enabled ones only). */
export const ACCOUNT_ENABLED = (p: string) => `${p}.account_disabled_at IS NULL`;

/** Each officer's choices: which kinds, which channels, quiet hours. */
@Injectable()
export class PreferencesService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * An officer's account disabled or enabled again (`officer.disabled`, `officer.enabled`, in the
   * consumer's transaction): a disabled account is mailed nothing, not even what was queued for it
   * (held in quiet hours, or awaiting a retry), and gets no digest, until it is enabled. An event
   * older than the one that set the account's state changes nothing.
   */
  async accountChanged(e: EventEnvelope, m: EntityManager): Promise<void> {
    if (e.type !== 'officer.disabled' && e.type !== 'officer.enabled') return;
    const { officerId, agencyId } = e.payload as { officerId: string; agencyId: string };
    const disabledAt = e.type === 'officer.disabled' ? e.occurredAt : null;
    await m.query(
      `INSERT INTO officer_preference (officer_id, agency_id, account_disabled_at, account_status_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (officer_id) DO UPDATE SET account_disabled_at = EXCLUDED.account_disabled_at, account_status_at = EXCLUDED.account_status_at
        WHERE officer_preference.account_status_at IS NULL OR officer_preference.account_status_at < EXCLUDED.account_status_at`,
      [officerId, agencyId, disabledAt, e.occurredAt],
    );
    await m.query(
      `UPDATE email_delivery d SET given_up_at = now(), last_error = 'the account is disabled'
         FROM officer_preference p
        WHERE d.officer_id = $1 AND p.officer_id = d.officer_id AND NOT ${ACCOUNT_ENABLED('p')} AND d.sent_at IS NULL AND d.given_up_at IS NULL`,
      [officerId],
    );
  }

  private owner(ctx: MessageContext): { officerId: string; agencyId: string } {
    return requireOfficer(ctx.actor, 'Preferences belong to officers of an agency.');
  }

  async get(ctx: MessageContext): Promise<PreferencesDto> {
    const { officerId } = this.owner(ctx);
    const [row] = await this.ds.query(
      `SELECT muted_kinds, email, email_enabled, digest_enabled, to_char(quiet_start, 'HH24:MI') AS quiet_start, to_char(quiet_end, 'HH24:MI') AS quiet_end FROM officer_preference WHERE officer_id = $1`,
      [officerId],
    );
    if (!row) return { mutedKinds: [], email: null, emailEnabled: false, digestEnabled: false, quietHours: null };
    return {
      mutedKinds: row.muted_kinds,
      email: row.email,
      emailEnabled: row.email_enabled,
      digestEnabled: row.digest_enabled,
      quietHours: row.quiet_start ? { start: row.quiet_start, end: row.quiet_end } : null,
    };
  }

  async update(dto: PreferencesDto, ctx: MessageContext): Promise<PreferencesDto> {
    const { officerId, agencyId } = this.owner(ctx);
    if ((dto.emailEnabled || dto.digestEnabled) && !dto.email) {
      throw DomainError.validation([ruleError('email', 'emailNeeded', 'email and the daily digest need an email address')]);
    }
    if (dto.quietHours && dto.quietHours.start === dto.quietHours.end) {
      throw DomainError.validation([ruleError('quietHours', 'quietHoursSameTime', 'quiet hours must start and end at different times')]);
    }
    await this.ds.transaction(async (m) => {
      const [before] = await m.query(`SELECT email FROM officer_preference WHERE officer_id = $1 FOR UPDATE`, [officerId]);
      await m.query(
        `INSERT INTO officer_preference (officer_id, agency_id, muted_kinds, email, email_enabled, digest_enabled, quiet_start, quiet_end)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (officer_id) DO UPDATE SET agency_id = $2, muted_kinds = $3, email = $4, email_enabled = $5, digest_enabled = $6, quiet_start = $7, quiet_end = $8, updated_at = now()`,
        [officerId, agencyId, dto.mutedKinds, dto.email ?? null, dto.emailEnabled, dto.digestEnabled, dto.quietHours?.start ?? null, dto.quietHours?.end ?? null],
      );
      // Where the agency's news is mailed to is the officer's choice and the administrator's concern: the address is recorded.
      await audit(m, {
        actor: ctx.actor,
        action: 'preferences.update',
        target: officerId,
        outcome: 'succeeded',
        detail: { email: dto.email ?? null, previousEmail: before?.email ?? null, emailEnabled: dto.emailEnabled, digestEnabled: dto.digestEnabled, mutedKinds: dto.mutedKinds, quietHours: dto.quietHours ?? null },
      });
    });
    return this.get(ctx);
  }
}
