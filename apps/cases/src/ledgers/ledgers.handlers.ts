import { Injectable } from '@nestjs/common';
import {
  CampaignSubjects,
  CreateCampaignDto,
  CreateLedgerRequestDto,
  ExportRequestDto,
  IdDto,
  LedgerActionRequestDto,
  LedgerHistoryRequestDto,
  LedgerProgressRequestDto,
  LedgerSubjects,
  ListCampaignsDto,
  ListLedgersRequestDto,
  MessageContext,
  UpdateLedgerRequestDto,
} from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { CampaignService } from '../campaigns/campaign.service';
import { ExportService } from '../exports/export.service';
import { LedgerService } from './ledger.service';
import { SummaryService } from './summary.service';

/** The NATS face of campaigns, self-inspection ledgers, the Annex 4 summary and the exports. */
@Injectable()
export class LedgersHandlers {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly ledgers: LedgerService,
    private readonly summaries: SummaryService,
    private readonly exports: ExportService,
  ) {}

  @RpcHandler(CampaignSubjects.create, { dto: CreateCampaignDto })
  createCampaign(dto: CreateCampaignDto, ctx: MessageContext) {
    return this.campaigns.create(dto, ctx);
  }

  @RpcHandler(CampaignSubjects.list, { dto: ListCampaignsDto })
  listCampaigns(dto: ListCampaignsDto, ctx: MessageContext) {
    return this.campaigns.list(dto, ctx);
  }

  @RpcHandler(CampaignSubjects.get, { dto: IdDto })
  getCampaign(dto: IdDto, ctx: MessageContext) {
    return this.campaigns.get(dto.id, ctx);
  }

  @RpcHandler(CampaignSubjects.summary, { dto: IdDto })
  async summary(dto: IdDto, ctx: MessageContext) {
    return (await this.summaries.summary(dto.id, ctx)).summary;
  }

  @RpcHandler(CampaignSubjects.unfiled, { dto: IdDto })
  unfiled(dto: IdDto, ctx: MessageContext) {
    return this.summaries.unfiled(dto.id, ctx);
  }

  @RpcHandler(CampaignSubjects.exportSummary, { dto: ExportRequestDto })
  exportSummary(dto: ExportRequestDto, ctx: MessageContext) {
    return this.exports.summary(dto.id, dto.format, ctx);
  }

  @RpcHandler(LedgerSubjects.create, { dto: CreateLedgerRequestDto })
  createLedger(dto: CreateLedgerRequestDto, ctx: MessageContext) {
    return this.ledgers.create(dto, ctx);
  }

  @RpcHandler(LedgerSubjects.list, { dto: ListLedgersRequestDto })
  listLedgers(dto: ListLedgersRequestDto, ctx: MessageContext) {
    return this.ledgers.list(dto, ctx);
  }

  @RpcHandler(LedgerSubjects.get, { dto: IdDto })
  getLedger(dto: IdDto, ctx: MessageContext) {
    return this.ledgers.get(dto.id, ctx);
  }

  @RpcHandler(LedgerSubjects.update, { dto: UpdateLedgerRequestDto })
  updateLedger(dto: UpdateLedgerRequestDto, ctx: MessageContext) {
    return this.ledgers.update(dto, ctx);
  }

  @RpcHandler(LedgerSubjects.act, { dto: LedgerActionRequestDto })
  act(dto: LedgerActionRequestDto, ctx: MessageContext) {
    return this.ledgers.act(dto, ctx);
  }

  @RpcHandler(LedgerSubjects.progress, { dto: LedgerProgressRequestDto })
  progress(dto: LedgerProgressRequestDto, ctx: MessageContext) {
    return this.ledgers.progress(dto, ctx);
  }

  @RpcHandler(LedgerSubjects.history, { dto: LedgerHistoryRequestDto })
  history(dto: LedgerHistoryRequestDto, ctx: MessageContext) {
    return this.ledgers.history(dto, ctx);
  }

  @RpcHandler(LedgerSubjects.export, { dto: ExportRequestDto })
  exportLedger(dto: ExportRequestDto, ctx: MessageContext) {
    return this.exports.ledger(dto.id, dto.format, ctx);
  }
}
