import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { IssueSupervisionDto, ListSupervisionsDto, Page, SupervisionReportDto, SupervisionSubjects, SupervisionView } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';

class CloseSupervisionDto {
  @ApiProperty({ description: 'Why the order is closed (办结情况)' })
  @IsString()
  @Length(1, 5000)
  note: string;
}

/** Supervision (督办) and listed supervision (挂牌督办) of cases by the leading-group office; docs/cases.md. */
@ApiTags('supervisions')
@ApiBearerAuth()
@Controller('supervisions')
export class SupervisionsController {
  constructor(private readonly rpc: RpcClient) {}

  /** The leading-group office issues an order on a case of its region. */
  @Post()
  issue(@Body() dto: IssueSupervisionDto, @Req() req: FastifyRequest): Promise<SupervisionView> {
    return this.rpc.request(SupervisionSubjects.issue, dto, contextOf(req));
  }

  /** Orders the caller may see: the office its region's, a bureau those on its cases. */
  @Get()
  list(@Query() query: ListSupervisionsDto, @Req() req: FastifyRequest): Promise<Page<SupervisionView>> {
    return this.rpc.request(SupervisionSubjects.list, query, contextOf(req));
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<SupervisionView> {
    return this.rpc.request(SupervisionSubjects.get, { id }, contextOf(req));
  }

  /** The supervised bureau reports progress. */
  @Post(':id/reports')
  report(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: SupervisionReportDto, @Req() req: FastifyRequest): Promise<SupervisionView> {
    return this.rpc.request(SupervisionSubjects.report, { ...dto, id }, contextOf(req));
  }

  @Post(':id/close')
  @HttpCode(200)
  close(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CloseSupervisionDto, @Req() req: FastifyRequest): Promise<SupervisionView> {
    return this.rpc.request(SupervisionSubjects.close, { ...dto, id }, contextOf(req));
  }
}
