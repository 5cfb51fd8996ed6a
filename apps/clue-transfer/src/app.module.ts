import { DynamicModule, Module } from '@nestjs/common';
import { loadCalendar } from '@lianban/clocks';
import { PiiCipher, ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { ClockService, CLOCK_SETTINGS } from './clocks/clock.service';
import { CLUE_CIPHER, ClueService } from './clues/clue.service';
import { migrations } from './migrations';
import { ReportsHandlers } from './reports/reports.handlers';
import { StatisticsService } from './reports/statistics.service';
import { ClueTransferHandlers } from './transfers/clue-transfer.handlers';
import { DirectoryClient } from './transfers/directory.client';
import { TransferService } from './transfers/transfer.service';

/** The clue-transfer service: clues and every transfer between agencies, with statutory clocks. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, options: { clockTickMs?: number } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations })],
      providers: [
        { provide: CLOCK_SETTINGS, useValue: { calendar: loadCalendar(config.holidayCalendarFile), tickMs: options.clockTickMs ?? config.clockTickMs, reminderLeadsMinutes: config.clockReminderLeadsMinutes } },
        { provide: CLUE_CIPHER, useValue: new PiiCipher(config.piiKey) },
        ClockService,
        DirectoryClient,
        ClueService,
        TransferService,
        ClueTransferHandlers,
        StatisticsService,
        ReportsHandlers,
      ],
    };
  }
}
