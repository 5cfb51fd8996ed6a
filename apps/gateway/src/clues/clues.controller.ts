import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AdvanceClueDto, ClueSubjects, ClueView, CreateClueDto, ListCluesQueryDto, Page, ReporterDto } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';

@ApiTags('clues')
@ApiBearerAuth()
@Controller('clues')
export class CluesController {
  constructor(private readonly rpc: RpcClient) {}

  /** Takes in a clue from any source; a tip-off's reporter is sealed and never shown in views. */
  @Post()
  create(@Body() dto: CreateClueDto, @Req() req: FastifyRequest): Promise<ClueView> {
    return this.rpc.request(ClueSubjects.create, dto, contextOf(req));
  }

  /** The latest 500 as an array; with `page` or `pageSize`, one page `{ items, total, page, pageSize }`. */
  @Get()
  list(@Query() query: ListCluesQueryDto, @Req() req: FastifyRequest): Promise<ClueView[] | Page<ClueView>> {
    return this.rpc.request(ClueSubjects.list, query, contextOf(req));
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<ClueView> {
    return this.rpc.request(ClueSubjects.get, { id }, contextOf(req));
  }

  /** Triage, start verification, conclude (with the outcome), or record the notice to a real-name reporter. */
  @Post(':id/steps')
  advance(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AdvanceClueDto, @Req() req: FastifyRequest): Promise<ClueView> {
    return this.rpc.request(ClueSubjects.advance, { ...dto, id }, contextOf(req));
  }

  /** The reporter's identity: the receiving bureau's tip-off desk only; every request is audited. */
  @Post(':id/reporter')
  @HttpCode(200)
  reporter(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<ReporterDto | null> {
    return this.rpc.request(ClueSubjects.revealReporter, { id }, contextOf(req));
  }
}
