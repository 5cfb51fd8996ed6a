import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ExportedFile, ExportFormat, MessageContext } from '@lianban/contracts';
import { audit } from '@lianban/persistence';
import { LedgerService } from '../ledgers/ledger.service';
import { SummaryService } from '../ledgers/summary.service';
import { annex3Csv, annex3Xlsx, annex4Csv, annex4Xlsx } from './forms';

/**
 * Largest file sent back over NATS (base64 grows it by a third; NATS's default message limit is
 * 1 MiB). A ledger has at most MAX_LEDGER_PROBLEMS rows of bounded text and a summary a row per
 * district, so real files stay far below; this is the guard, not the expected case.
 */
export const MAX_EXPORT_BYTES = 700 * 1024;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** Annexes 3 and 4 as files, for whoever may read the ledger or the summary; every export is audited. */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly ledgers: LedgerService,
    private readonly summaries: SummaryService,
  ) {}

  async ledger(id: string, format: ExportFormat, ctx: MessageContext): Promise<ExportedFile> {
    const ledger = await this.ledgers.get(id, ctx);
    const [{ city_name }] = await this.ds.query(`SELECT city_name FROM campaign WHERE id = $1`, [ledger.campaignId]);
    const data = format === 'xlsx' ? await annex3Xlsx(ledger, city_name) : annex3Csv(ledger, city_name);
    return this.file(`附件3_定点医药机构自查自纠问题台账_${ledger.institution.code}_${ledger.institution.name}.${format}`, format, data, 'ledger.export', id, ctx);
  }

  async summary(campaignId: string, format: ExportFormat, ctx: MessageContext): Promise<ExportedFile> {
    const { summary, campaign } = await this.summaries.summary(campaignId, ctx);
    const data = format === 'xlsx' ? await annex4Xlsx(summary) : annex4Csv(summary);
    const place = summary.regionCode === campaign.region_code ? campaign.region_name : (campaign.districts.find((d) => d.code === summary.regionCode)?.name ?? summary.regionCode);
    return this.file(`附件4_定点医药机构自查自纠汇总情况表_${place}.${format}`, format, data, 'campaign.export_summary', campaignId, ctx);
  }

  private async file(filename: string, format: ExportFormat, data: Buffer, action: string, target: string, ctx: MessageContext): Promise<ExportedFile> {
    if (data.length > MAX_EXPORT_BYTES) throw new DomainError(413, 'EXPORT_TOO_LARGE', `The file would be ${data.length} bytes, more than the ${MAX_EXPORT_BYTES} an export may be.`);
    await this.ds.transaction((m) => audit(m, { actor: ctx.actor, action, target, outcome: 'succeeded', detail: { format, bytes: data.length } }));
    return { filename, contentType: CONTENT_TYPES[format], base64: data.toString('base64') };
  }
}
