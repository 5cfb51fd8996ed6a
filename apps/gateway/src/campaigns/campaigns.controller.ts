import { applyDecorators, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CampaignSubjects,
  CampaignSummary,
  CampaignUnfiled,
  CampaignView,
  CreateCampaignDto,
  ExportedFile,
  ExportFormat,
  LedgerActionDto,
  LedgerBodyDto,
  LedgerHistoryDto,
  LedgerHistoryPage,
  LedgerListItem,
  LedgerProgressDto,
  LedgerSubjects,
  LedgerView,
  ListCampaignsDto,
  ListLedgersDto,
  Page,
  UpdateLedgerBodyDto,
} from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';
import { sendFile } from './download';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Workbooks take a little longer to build than a JSON answer. */
const EXPORT_TIMEOUT_MS = 20_000;

/** A download in OpenAPI: its media type and a binary body. */
const FileResponse = (type: string) =>
  applyDecorators(ApiProduces(type), ApiOkResponse({ description: 'The form as a file (Content-Disposition names it, RFC 5987 for Chinese names)', content: { [type]: { schema: { type: 'string', format: 'binary' } } } }));

/** Self-inspection campaigns, their ledgers (Annex 3) and the regional summary (Annex 4). */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller()
export class CampaignsController {
  constructor(private readonly rpc: RpcClient) {}

  /** A medical insurance bureau or its leading-group office sets up a campaign with dated phases. */
  @Post('campaigns')
  create(@Body() dto: CreateCampaignDto, @Req() req: FastifyRequest): Promise<CampaignView> {
    return this.rpc.request(CampaignSubjects.create, dto, contextOf(req));
  }

  @Get('campaigns')
  list(@Query() q: ListCampaignsDto, @Req() req: FastifyRequest): Promise<Page<CampaignView>> {
    return this.rpc.request(CampaignSubjects.list, q, contextOf(req));
  }

  @Get('campaigns/:id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<CampaignView> {
    return this.rpc.request(CampaignSubjects.get, { id }, contextOf(req));
  }

  /** The ledgers of a campaign the caller may see: an institution its own, a bureau those of its region. */
  @Get('campaigns/:id/ledgers')
  ledgers(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: ListLedgersDto, @Req() req: FastifyRequest): Promise<Page<LedgerListItem>> {
    return this.rpc.request(LedgerSubjects.list, { ...q, campaignId: id }, contextOf(req));
  }

  /** An institution opens its ledger (a draft) during the self-inspection phase. */
  @Post('campaigns/:id/ledgers')
  createLedger(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: LedgerBodyDto, @Req() req: FastifyRequest): Promise<LedgerView> {
    return this.rpc.request(LedgerSubjects.create, { ...dto, campaignId: id }, contextOf(req));
  }

  /** Annex 4: hospitals and pharmacies, rows 合计, 市本级 and each district; accepted ledgers only. */
  /** Who is still to file (催报): the targeted designated institutions of the caller's region without a submitted ledger. */
  @Get('campaigns/:id/unfiled')
  unfiled(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<CampaignUnfiled> {
    return this.rpc.request(CampaignSubjects.unfiled, { id }, contextOf(req));
  }

  @Get('campaigns/:id/summary')
  summary(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<CampaignSummary> {
    return this.rpc.request(CampaignSubjects.summary, { id }, contextOf(req));
  }

  @Get('campaigns/:id/summary.xlsx')
  @FileResponse(XLSX)
  summaryXlsx(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.download(CampaignSubjects.exportSummary, id, 'xlsx', req, reply);
  }

  @Get('campaigns/:id/summary.csv')
  @FileResponse('text/csv')
  summaryCsv(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.download(CampaignSubjects.exportSummary, id, 'csv', req, reply);
  }

  @Get('ledgers/:id')
  ledger(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<LedgerView> {
    return this.rpc.request(LedgerSubjects.get, { id }, contextOf(req));
  }

  /** The institution replaces its draft or corrects a returned ledger. */
  /** The ledger's steps, newest first, each with its changed rows; a page is bounded by size, `before` asks for the next. */
  @Get('ledgers/:id/history')
  history(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: LedgerHistoryDto, @Req() req: FastifyRequest): Promise<LedgerHistoryPage> {
    return this.rpc.request(LedgerSubjects.history, { ...q, id }, contextOf(req));
  }

  @Put('ledgers/:id')
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateLedgerBodyDto, @Req() req: FastifyRequest): Promise<LedgerView> {
    return this.rpc.request(LedgerSubjects.update, { ...dto, id }, contextOf(req));
  }

  /** submit / resubmit (the institution), return with reasons / accept (the bureau). */
  @Post('ledgers/:id/steps')
  @HttpCode(200)
  act(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: LedgerActionDto, @Req() req: FastifyRequest): Promise<LedgerView> {
    return this.rpc.request(LedgerSubjects.act, { ...dto, id }, contextOf(req));
  }

  /** After acceptance: refunds made and problems rectified, kept as history. */
  @Post('ledgers/:id/progress')
  @HttpCode(200)
  progress(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: LedgerProgressDto, @Req() req: FastifyRequest): Promise<LedgerView> {
    return this.rpc.request(LedgerSubjects.progress, { ...dto, id }, contextOf(req));
  }

  @Get('ledgers/:id/annex3.xlsx')
  @FileResponse(XLSX)
  ledgerXlsx(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.download(LedgerSubjects.export, id, 'xlsx', req, reply);
  }

  @Get('ledgers/:id/annex3.csv')
  @FileResponse('text/csv')
  ledgerCsv(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.download(LedgerSubjects.export, id, 'csv', req, reply);
  }

  private async download(subject: string, id: string, format: ExportFormat, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    sendFile(reply, await this.rpc.request<ExportedFile>(subject, { id, format }, contextOf(req), EXPORT_TIMEOUT_MS));
  }
}
