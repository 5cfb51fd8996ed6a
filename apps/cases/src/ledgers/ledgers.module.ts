import { Module } from '@nestjs/common';
import { CampaignService } from '../campaigns/campaign.service';
import { RegisterClient } from '../campaigns/register.client';
import { ExportService } from '../exports/export.service';
import { LedgerService } from './ledger.service';
import { LedgersHandlers } from './ledgers.handlers';
import { SummaryService } from './summary.service';

/** Campaigns, self-inspection ledgers (Annex 3), the regional summary (Annex 4) and their exports. */
@Module({
  providers: [RegisterClient, CampaignService, LedgerService, SummaryService, ExportService, LedgersHandlers],
})
export class LedgersModule {}
