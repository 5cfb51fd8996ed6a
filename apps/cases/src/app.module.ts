import { DynamicModule, Module } from '@nestjs/common';
import { loadCalendar } from '@lianban/clocks';
import { ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { CaseLinksConsumer, CONSUMER_SETTINGS } from './cases/case-links.consumer';
import { CaseService } from './cases/case.service';
import { CasesHandlers } from './cases/cases.handlers';
import { CASE_CLOCK_SETTINGS, CaseClockService } from './clocks/case-clock.service';
import { migrations } from './migrations';

/** The cases service: administrative cases, evidence, self-inspection ledgers, reports. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, options: { clockTickMs?: number; maxDeliver?: number; ackWaitMs?: number } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations })],
      providers: [
        // Administrative enforcement cases (docs/cases.md).
        { provide: CASE_CLOCK_SETTINGS, useValue: { calendar: loadCalendar(config.holidayCalendarFile), tickMs: options.clockTickMs ?? config.clockTickMs, reminderLeadsMinutes: config.clockReminderLeadsMinutes } },
        { provide: CONSUMER_SETTINGS, useValue: { maxDeliver: options.maxDeliver ?? 8, ackWaitMs: options.ackWaitMs ?? 30_000 } },
        CaseClockService,
        CaseService,
        CaseLinksConsumer,
        CasesHandlers,
      ],
    };
  }
}
