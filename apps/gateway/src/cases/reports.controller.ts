import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ReportSubjects, Statistics, StatisticsQueryDto } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';

/** Reports for the leading-group office; docs/cases.md, "Statistics". */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly rpc: RpcClient) {}

  /** Clues by source, cases opened and closed, transfers by route and state, missed deadlines per agency, funds — for a region and period. */
  @Get('statistics')
  statistics(@Query() query: StatisticsQueryDto, @Req() req: FastifyRequest): Promise<Statistics> {
    return this.rpc.request(ReportSubjects.statistics, query, contextOf(req), 30_000);
  }
}
