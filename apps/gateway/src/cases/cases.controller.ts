import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AddMoneyDto, CaseStepDto, CaseSubjects, CaseSummaryView, CaseView, FileCaseDto, ListCasesDto, Page } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { Public } from '../auth/auth.guard';
import { contextOf } from '../http/request-context';

/** Administrative enforcement cases (行政执法案件) of the medical insurance bureaus; docs/cases.md. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly rpc: RpcClient) {}

  /** 立案: opens a case, from zero or more clues, with at least two officers of the bureau. */
  @Post()
  file(@Body() dto: FileCaseDto, @Req() req: FastifyRequest): Promise<CaseView> {
    return this.rpc.request(CaseSubjects.file, dto, contextOf(req));
  }

  /** Cases the caller may read: filtered by stage and text, sorted and paged on the server. */
  @Get()
  list(@Query() query: ListCasesDto, @Req() req: FastifyRequest): Promise<Page<CaseSummaryView>> {
    return this.rpc.request(CaseSubjects.list, query, contextOf(req));
  }

  /** The procedure of a case and its clocks, as the platform enforces them. */
  @Public()
  @Get('procedure')
  procedure(@Req() req: FastifyRequest): Promise<unknown> {
    return this.rpc.request(CaseSubjects.procedure, {}, contextOf(req));
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<CaseView> {
    return this.rpc.request(CaseSubjects.get, { id }, contextOf(req));
  }

  /** Takes the next step; a step the procedure does not allow now answers 409 with the allowed ones. */
  @Post(':id/steps')
  act(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CaseStepDto, @Req() req: FastifyRequest): Promise<CaseView> {
    return this.rpc.request(CaseSubjects.act, { ...dto, id }, contextOf(req));
  }

  /** Records money of the case in fen: violating funds, refunds, fines paid, recoveries after judgment. */
  @Post(':id/money')
  addMoney(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AddMoneyDto, @Req() req: FastifyRequest): Promise<CaseView> {
    return this.rpc.request(CaseSubjects.addMoney, { ...dto, id }, contextOf(req));
  }
}
