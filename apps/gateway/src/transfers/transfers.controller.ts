import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DraftTransferDto, ListTransfersQueryDto, Page, TransferStepDto, TransferSubjects, TransferView } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { Public } from '../auth/auth.guard';
import { contextOf } from '../http/request-context';

@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
export class TransfersController {
  constructor(private readonly rpc: RpcClient) {}

  /** Drafts a transfer on one of the routes; the drafting team signs it. */
  @Post()
  draft(@Body() dto: DraftTransferDto, @Req() req: FastifyRequest): Promise<TransferView> {
    return this.rpc.request(TransferSubjects.draft, dto, contextOf(req));
  }

  /** The latest 500 as an array; with `page` or `pageSize`, one page `{ items, total, page, pageSize }`. */
  @Get()
  list(@Query() query: ListTransfersQueryDto, @Req() req: FastifyRequest): Promise<TransferView[] | Page<TransferView>> {
    return this.rpc.request(TransferSubjects.list, query, contextOf(req));
  }

  /** The statutory procedure of every route and its clocks, as the platform enforces them. */
  @Public()
  @Get('procedures')
  procedures(@Req() req: FastifyRequest): Promise<unknown> {
    return this.rpc.request(TransferSubjects.procedures, {}, contextOf(req));
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<TransferView> {
    return this.rpc.request(TransferSubjects.get, { id }, contextOf(req));
  }

  /** Takes the next step; a step the procedure does not allow now answers 409 with the allowed ones. */
  @Post(':id/steps')
  act(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: TransferStepDto, @Req() req: FastifyRequest): Promise<TransferView> {
    return this.rpc.request(TransferSubjects.act, { ...dto, id }, contextOf(req));
  }
}
