import { Injectable } from '@nestjs/common';
import { MessageContext, ReportSubjects, StatisticsQueryDto } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { StatisticsService } from './statistics.service';

/** The NATS face of the leading-group office's reports. */
@Injectable()
export class ReportsHandlers {
  constructor(private readonly stats: StatisticsService) {}

  @RpcHandler(ReportSubjects.statistics, { dto: StatisticsQueryDto })
  statistics(dto: StatisticsQueryDto, ctx: MessageContext) {
    return this.stats.statistics(dto, ctx);
  }
}
