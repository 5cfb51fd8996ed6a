import { Injectable } from '@nestjs/common';
import { ClueTransferStatsSubject, MessageContext, StatisticsQueryDto } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { StatisticsService } from './statistics.service';

/** Figures clue-transfer contributes to reports. */
@Injectable()
export class ReportsHandlers {
  constructor(private readonly stats: StatisticsService) {}

  @RpcHandler(ClueTransferStatsSubject, { dto: StatisticsQueryDto })
  statistics(dto: StatisticsQueryDto, ctx: MessageContext) {
    return this.stats.statistics(dto, ctx);
  }
}
