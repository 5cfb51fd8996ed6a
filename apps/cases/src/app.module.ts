import { DynamicModule, Module } from '@nestjs/common';
import { loadCalendar } from '@lianban/clocks';
import { BLOB_STORE, evidenceStoreFor, ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { CLOSING_REMINDER_SETTINGS, ClosingReminderService } from './campaigns/closing-reminder.service';
import { CaseLinksConsumer, CONSUMER_SETTINGS } from './cases/case-links.consumer';
import { CaseService } from './cases/case.service';
import { CasesHandlers } from './cases/cases.handlers';
import { CASE_CLOCK_SETTINGS, CaseClockService } from './clocks/case-clock.service';
import { EVIDENCE_SETTINGS, EvidenceService } from './evidence/evidence.service';
import { EvidenceHandlers } from './evidence/evidence.handlers';
import { LedgersModule } from './ledgers/ledgers.module';
import { migrations } from './migrations';
import { ReportsHandlers } from './reports/reports.handlers';
import { StatisticsService } from './reports/statistics.service';
import { SupervisionHandlers } from './supervision/supervision.handlers';
import { SupervisionService } from './supervision/supervision.service';

/** The cases service: administrative cases, evidence, self-inspection ledgers, reports. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, options: { clockTickMs?: number; maxDeliver?: number; ackWaitMs?: number } = {}): DynamicModule {
    const calendar = loadCalendar(config.holidayCalendarFile);
    const tickMs = options.clockTickMs ?? config.clockTickMs;
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations }), LedgersModule],
      providers: [
        // Administrative enforcement cases (docs/cases.md).
        { provide: CASE_CLOCK_SETTINGS, useValue: { calendar, tickMs, reminderLeadsMinutes: config.clockReminderLeadsMinutes } },
        { provide: CONSUMER_SETTINGS, useValue: { maxDeliver: options.maxDeliver ?? 8, ackWaitMs: options.ackWaitMs ?? 30_000 } },
        CaseClockService,
        CaseService,
        CaseLinksConsumer,
        CasesHandlers,
        // Evidence files: bytes in the blob store, records and custody here.
        { provide: BLOB_STORE, useValue: evidenceStoreFor(config) },
        { provide: EVIDENCE_SETTINGS, useValue: { maxBytes: config.evidenceMaxBytes } },
        EvidenceService,
        EvidenceHandlers,
        // Supervision orders of the leading-group office.
        SupervisionService,
        SupervisionHandlers,
        // Campaigns: the reminder to institutions that self-inspection is closing.
        { provide: CLOSING_REMINDER_SETTINGS, useValue: { calendar, tickMs, workingDays: config.campaignReminderWorkingDays } },
        ClosingReminderService,
        // The leading-group office's statistics.
        StatisticsService,
        ReportsHandlers,
      ],
    };
  }
}
