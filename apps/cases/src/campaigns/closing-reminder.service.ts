import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HolidayCalendar, shanghaiDate } from '@lianban/clocks';
import { systemActor } from '@lianban/contracts';
import { newCorrelationId } from '@lianban/messaging';
import { OutboxWriter } from '@lianban/persistence';
import { PeriodicTask } from '@lianban/platform';
import { closingReminderOn } from './phases';

export const CLOSING_REMINDER_SETTINGS = Symbol('CLOSING_REMINDER_SETTINGS');

export interface ClosingReminderSettings {
  calendar: HolidayCalendar;
  /** How often campaigns are looked at. */
  tickMs: number;
  /** The reminder's lead: working days before self-inspection closes, the last day counting. */
  workingDays: number;
}

/** A campaign whose self-inspection is open today and whose closing reminder has not gone out. */
interface OpenCampaign {
  id: string;
  name: string;
  region_code: string;
  agency_id: string;
  targets: string[];
  starts_on: string;
  ends_on: string;
}

/**
 * Reminds the institutions a campaign targets that its self-inspection phase is closing, when
 * `workingDays` working days are left (the holiday calendar's): one `campaign.self_inspection_closing`
 * per campaign, naming the institutions whose ledger is already submitted so that only the others
 * are told. Sent once: the reminder's row and its event are written in one transaction.
 */
@Injectable()
export class ClosingReminderService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ClosingReminderService.name);
  private readonly loop: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(CLOSING_REMINDER_SETTINGS) private readonly settings: ClosingReminderSettings,
  ) {
    this.loop = new PeriodicTask(() => this.remindDue(), settings.tickMs, (e) => this.logger.error(`self-inspection reminders failed: ${e.message}`));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Sends the reminders due on `now`'s day (Asia/Shanghai); how many were sent. */
  async remindDue(now = new Date()): Promise<number> {
    const today = shanghaiDate(now);
    const open: OpenCampaign[] = await this.ds.query(
      `SELECT c.id, c.name, c.region_code, c.agency_id, c.targets, to_char(p.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(p.ends_on, 'YYYY-MM-DD') AS ends_on
         FROM campaign c JOIN campaign_phase p ON p.campaign_id = c.id AND p.kind = 'self_inspection'
        WHERE p.starts_on <= $1 AND p.ends_on >= $1
          AND NOT EXISTS (SELECT 1 FROM campaign_reminder r WHERE r.campaign_id = c.id AND r.kind = 'self_inspection_closing')`,
      [today],
    );
    let sent = 0;
    for (const c of open) {
      if (today < closingReminderOn({ startsOn: c.starts_on, endsOn: c.ends_on }, this.settings.workingDays, this.settings.calendar)) continue;
      if (await this.remind(c)) sent++;
    }
    return sent;
  }

  /** One campaign's reminder; false when another instance has just sent it. */
  private remind(c: OpenCampaign): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      // Those who have submitted (whatever became of the ledger since) have filed: they are not reminded.
      const submitted: string[] = (
        await m.query(`SELECT institution_id FROM self_inspection_ledger WHERE campaign_id = $1 AND status <> 'draft' ORDER BY institution_id`, [c.id])
      ).map((r: { institution_id: string }) => r.institution_id);
      const [claimed] = await m.query(
        `INSERT INTO campaign_reminder (campaign_id, kind, submitted) VALUES ($1, 'self_inspection_closing', $2) ON CONFLICT DO NOTHING RETURNING campaign_id`,
        [c.id, submitted.length],
      );
      if (!claimed) return false;
      await this.outbox.append(
        m,
        {
          type: 'campaign.self_inspection_closing',
          payload: { campaignId: c.id, name: c.name, regionCode: c.region_code, agencyId: c.agency_id, targets: c.targets, selfInspection: { startsOn: c.starts_on, endsOn: c.ends_on }, submitted },
        },
        { actor: systemActor('campaign-reminder'), correlationId: newCorrelationId() },
      );
      return true;
    });
  }
}
