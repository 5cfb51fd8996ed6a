import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignPhaseView, CampaignView, CreateCampaignDto, DomainError, ErrorCode, likePattern, ListCampaignsDto, MessageContext, Page, pageOf, PHASE_NAMES, ruleError, sortOrder } from '@lianban/contracts';
import { defineAbilityFor, parentRegion, regionLevel, sqlFilter } from '@lianban/authz';
import { shanghaiDate } from '@lianban/clocks';
import { audit, OutboxWriter } from '@lianban/persistence';
import { filingOpen, stageOn, validateCampaignDates } from './phases';
import { RegisterClient } from './register.client';

export interface CampaignRow {
  id: string;
  name: string;
  document_number: string | null;
  region_code: string;
  region_name: string;
  city_name: string;
  districts: { code: string; name: string }[];
  agency_id: string;
  targets: ('hospital' | 'pharmacy')[];
  audit_period_from: string;
  audit_period_to: string;
  starts_on: string;
  ends_on: string;
  phases: CampaignPhaseView[];
  created_at: Date;
}

const SELECT = `
  SELECT c.id, c.name, c.document_number, c.region_code, c.region_name, c.city_name, c.districts, c.agency_id, c.targets,
         to_char(c.audit_period_from, 'YYYY-MM-DD') AS audit_period_from, to_char(c.audit_period_to, 'YYYY-MM-DD') AS audit_period_to,
         to_char(c.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(c.ends_on, 'YYYY-MM-DD') AS ends_on, c.created_at,
         (SELECT json_agg(json_build_object('kind', p.kind, 'name', p.name, 'startsOn', to_char(p.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(p.ends_on, 'YYYY-MM-DD')) ORDER BY p.seq)
            FROM campaign_phase p WHERE p.campaign_id = c.id) AS phases
    FROM campaign c`;

const SORTS: Record<string, string> = { startsOn: 'c.starts_on', createdAt: 'c.created_at', name: 'c.name' };

/** Today on the Shanghai calendar: the day phases are compared with. */
export function today(): string {
  return shanghaiDate(new Date());
}

/**
 * Self-inspection campaigns (专项整治): created by a medical insurance bureau or its
 * leading-group office for a region within its jurisdiction, with dated phases; the phase a
 * campaign is in is derived from today's date in Asia/Shanghai, never stored.
 */
@Injectable()
export class CampaignService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly register: RegisterClient,
  ) {}

  async create(dto: CreateCampaignDto, ctx: MessageContext): Promise<CampaignView> {
    const actor = ctx.actor;
    const regionCode = dto.regionCode ?? actor.regionCode;
    if (!regionCode || actor.kind !== 'officer' || !defineAbilityFor(actor).can('create', subject('Campaign', { regionCode }))) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Campaigns are set up by a medical insurance bureau or its leading-group office, for a region within its jurisdiction.');
    }
    if (regionLevel(regionCode) === 'province') throw DomainError.validation([ruleError('regionCode', 'campaignNotProvince', 'a campaign here is for a city or a district; the summary forms have no province layout')]);
    const errors = validateCampaignDates(dto);
    if (errors.length) throw DomainError.validation(errors);

    const regions = await this.register.regions(ctx);
    const region = regions.find((r) => r.code === regionCode);
    if (!region) throw new DomainError(400, 'UNKNOWN_REGION', `Region ${regionCode} is not in the region register.`);
    const cityCode = regionLevel(regionCode) === 'city' ? regionCode : parentRegion(regionCode)!;
    const cityName = regions.find((r) => r.code === cityCode)?.name ?? region.name;
    const districts = regionLevel(regionCode) === 'city' ? regions.filter((r) => r.parentCode === regionCode).map((r) => ({ code: r.code, name: r.name })) : [{ code: region.code, name: region.name }];

    return this.ds.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO campaign (name, document_number, region_code, region_name, city_name, districts, agency_id, targets, audit_period_from, audit_period_to, starts_on, ends_on, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [dto.name, dto.documentNumber ?? null, regionCode, region.name, cityName, JSON.stringify(districts), actor.agencyId, dto.targets, dto.auditPeriodFrom, dto.auditPeriodTo, dto.startsOn, dto.endsOn, actor.id],
      );
      for (const [i, p] of dto.phases.entries()) {
        await m.query(`INSERT INTO campaign_phase (campaign_id, seq, kind, name, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5, $6)`, [id, i + 1, p.kind, p.name ?? PHASE_NAMES[p.kind], p.startsOn, p.endsOn]);
      }
      await audit(m, { actor, action: 'campaign.create', target: id, outcome: 'succeeded', detail: { regionCode, name: dto.name } });
      // The institutions it concerns are told when their self-inspection (the filing window) runs.
      const selfInspection = dto.phases.find((p) => p.kind === 'self_inspection');
      await this.outbox.append(
        m,
        {
          type: 'campaign.created',
          payload: {
            campaignId: id,
            name: dto.name,
            regionCode,
            agencyId: actor.agencyId,
            targets: dto.targets,
            startsOn: dto.startsOn,
            endsOn: dto.endsOn,
            selfInspection: selfInspection ? { startsOn: selfInspection.startsOn, endsOn: selfInspection.endsOn } : null,
          },
        },
        ctx,
      );
      return this.view(await this.row(m, id, ctx));
    });
  }

  /** One page of the campaigns the caller may read, the latest start first unless sorted otherwise. */
  async list(dto: ListCampaignsDto, ctx: MessageContext): Promise<Page<CampaignView>> {
    const order = sortOrder(dto.sort, SORTS, 'c.starts_on DESC, c.id');
    const { page, pageSize, offset } = pageOf(dto);
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Campaign', { regionCode: 'c.region_code' });
    if (!filter) return { items: [], total: 0, page, pageSize };
    const params = [...filter.params];
    const where = [filter.sql];
    if (dto.regionCode) where.push(`c.region_code = $${params.push(dto.regionCode)}`);
    if (dto.q?.trim()) where.push(`c.name ILIKE $${params.push(likePattern(dto.q))}`);
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM campaign c WHERE ${where.join(' AND ')}`, params);
    const rows: CampaignRow[] = await this.ds.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${offset}`, params);
    return { items: rows.map((r) => this.view(r)), total, page, pageSize };
  }

  async get(id: string, ctx: MessageContext): Promise<CampaignView> {
    return this.view(await this.row(this.ds.manager, id, ctx));
  }

  /** The campaign, or 404 when it does not exist or the caller may not see it. */
  async row(m: EntityManager, id: string, ctx: MessageContext): Promise<CampaignRow> {
    const [row] = (await m.query(`${SELECT} WHERE c.id = $1`, [id])) as CampaignRow[];
    if (!row || !defineAbilityFor(ctx.actor).can('read', subject('Campaign', { regionCode: row.region_code }))) throw DomainError.notFound('The campaign');
    return row;
  }

  view(c: CampaignRow): CampaignView {
    const day = today();
    const phases = c.phases ?? [];
    return {
      id: c.id,
      name: c.name,
      documentNumber: c.document_number,
      regionCode: c.region_code,
      agencyId: c.agency_id,
      targets: c.targets,
      auditPeriodFrom: c.audit_period_from,
      auditPeriodTo: c.audit_period_to,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      phases,
      today: day,
      ...stageOn(day, { startsOn: c.starts_on, endsOn: c.ends_on, phases }),
      filingOpen: filingOpen(day, phases),
      createdAt: c.created_at.toISOString(),
    };
  }
}
