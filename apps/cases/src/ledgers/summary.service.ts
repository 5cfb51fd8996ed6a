import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CampaignSummary, CampaignUnfiled, DESIGNATED_AGREEMENT_STATUSES, DomainError, ErrorCode, InstitutionView, LedgerStatus, MessageContext, SummaryRow } from '@lianban/contracts';
import { defineAbilityFor, regionLevel, regionPrefix, regionReaches, sqlFilter } from '@lianban/authz';
import { CampaignRow, CampaignService } from '../campaigns/campaign.service';
import { RegisterClient } from '../campaigns/register.client';

interface Figures {
  region_code: string;
  kind: 'hospital' | 'pharmacy';
  with_problems: number;
  problems: number;
  ve: number;
  vr: number;
  re: number;
  rr: number;
  rectified: number;
  not_rectified: number;
}

/**
 * The regional summary (定点医药机构自查自纠汇总情况表, seed 002 Annex 4): one table for hospitals,
 * one for pharmacies; rows 合计, 市本级 and each district or county. Designated institutions are
 * counted from the agencies register; everything else from the campaign's ACCEPTED ledgers only,
 * with their refunds and rectification as recorded today. Ledgers filed but not yet accepted are
 * reported as `pending`, not counted.
 */
@Injectable()
export class SummaryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly campaigns: CampaignService,
    private readonly register: RegisterClient,
  ) {}

  /**
   * The campaign, the caller's filter on its ledgers (parameters from $2) and the region the
   * caller reports on: the campaign's, or a district bureau's own district of a city campaign
   * (seed 002: 各县医保部门…汇总本辖区). 404 for whoever may not see the campaign, 403 for anyone
   * but the region's bureaus and offices.
   */
  private async scopeOf(campaignId: string, ctx: MessageContext, what: string) {
    const actor = ctx.actor;
    const campaign = await this.campaigns.row(this.ds.manager, campaignId, ctx);
    const filter = sqlFilter(defineAbilityFor(actor), 'read', 'Ledger', { regionCode: 'l.region_code', institutionId: 'l.institution_id' }, 2);
    if (actor.kind !== 'officer' || !actor.regionCode || !actor.agencyId || !filter) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, `${what} is for the medical insurance bureaus and leading-group offices of the region.`);
    }
    const scope = regionReaches(actor.regionCode, campaign.region_code) ? campaign.region_code : actor.regionCode;
    return { campaign, filter, scope, agencyId: actor.agencyId };
  }

  /** The designated institutions (agreement active or suspended) within the caller's reach, from the register. */
  private async designated(ctx: MessageContext): Promise<InstitutionView[]> {
    return (await this.register.institutions(ctx)).filter((i) => DESIGNATED_AGREEMENT_STATUSES.includes(i.agreementStatus));
  }

  /**
   * Who is still to file (催报): the designated institutions the campaign targets in the caller's
   * region whose ledger is not submitted, with no ledger at all or only a draft, by code.
   */
  async unfiled(campaignId: string, ctx: MessageContext): Promise<CampaignUnfiled> {
    const { campaign, filter, scope } = await this.scopeOf(campaignId, ctx, 'The list of institutions yet to file');
    const ledgers: { institution_id: string; id: string; status: LedgerStatus }[] = await this.ds.query(
      `SELECT l.institution_id, l.id, l.status FROM self_inspection_ledger l WHERE l.campaign_id = $1 AND ${filter.sql}`,
      [campaign.id, ...filter.params],
    );
    const ledgerOf = new Map(ledgers.map((l) => [l.institution_id, l]));
    const targeted = (await this.designated(ctx)).filter((i) => campaign.targets.includes(i.kind) && regionReaches(scope, i.regionCode));
    const items = targeted
      .filter((i) => (ledgerOf.get(i.id)?.status ?? 'draft') === 'draft')
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((i) => ({ id: i.id, code: i.code, name: i.name, kind: i.kind, regionCode: i.regionCode, ledgerId: ledgerOf.get(i.id)?.id ?? null }));
    return { campaignId: campaign.id, regionCode: scope, designated: targeted.length, submitted: targeted.length - items.length, items };
  }

  async summary(campaignId: string, ctx: MessageContext): Promise<{ summary: CampaignSummary; campaign: CampaignRow }> {
    const { campaign, filter, scope, agencyId } = await this.scopeOf(campaignId, ctx, 'The regional summary');
    const districts = regionLevel(scope) === 'city' ? campaign.districts : campaign.districts.filter((d) => d.code === scope);
    const rowsOf = (): { key: string; label: string; regionCode: string | null; match: (code: string) => boolean }[] => [
      { key: 'total', label: '合计', regionCode: null, match: (code) => regionReaches(scope, code) },
      ...(regionLevel(scope) === 'city' ? [{ key: 'city', label: '市本级', regionCode: scope, match: (code: string) => code === scope }] : []),
      ...districts.map((d) => ({ key: d.code, label: d.name, regionCode: d.code, match: (code: string) => code === d.code })),
    ];

    const figures: Figures[] = await this.ds.query(
      `SELECT l.region_code, l.institution_kind AS kind,
              count(DISTINCT l.id) FILTER (WHERE p.seq IS NOT NULL)::int AS with_problems, count(p.seq)::int AS problems,
              COALESCE(sum(p.violating_employees_fen), 0)::float8 AS ve, COALESCE(sum(p.violating_residents_fen), 0)::float8 AS vr,
              COALESCE(sum(p.refunded_employees_fen), 0)::float8 AS re, COALESCE(sum(p.refunded_residents_fen), 0)::float8 AS rr,
              count(p.seq) FILTER (WHERE p.rectified)::int AS rectified, count(p.seq) FILTER (WHERE NOT p.rectified)::int AS not_rectified
         FROM self_inspection_ledger l LEFT JOIN self_inspection_problem p ON p.ledger_id = l.id
        WHERE l.campaign_id = $1 AND ${filter.sql} AND l.status = 'accepted' AND l.region_code LIKE $${filter.params.length + 2}
        GROUP BY l.region_code, l.institution_kind`,
      [campaign.id, ...filter.params, `${regionPrefix(scope)}%`],
    );
    const [{ pending }] = await this.ds.query(
      `SELECT count(*)::int AS pending FROM self_inspection_ledger l WHERE l.campaign_id = $1 AND ${filter.sql} AND l.status IN ('submitted', 'returned', 'resubmitted')`,
      [campaign.id, ...filter.params],
    );
    const institutions = await this.designated(ctx);
    const agency = await this.register.agency(agencyId, ctx);

    const table = (kind: 'hospital' | 'pharmacy'): SummaryRow[] =>
      rowsOf().map((r) => {
        const f = figures.filter((x) => x.kind === kind && r.match(x.region_code));
        const sum = (k: keyof Figures) => f.reduce((s, x) => s + Number(x[k]), 0);
        return {
          key: r.key,
          label: r.label,
          regionCode: r.regionCode,
          // The institutions the campaign asked to file: none of a kind it does not target.
          designated: campaign.targets.includes(kind) ? institutions.filter((i) => i.kind === kind && r.match(i.regionCode)).length : 0,
          institutionsWithProblems: sum('with_problems'),
          problems: sum('problems'),
          violatingEmployeesFen: sum('ve'),
          violatingResidentsFen: sum('vr'),
          refundedEmployeesFen: sum('re'),
          refundedResidentsFen: sum('rr'),
          rectified: sum('rectified'),
          notRectified: sum('not_rectified'),
        };
      });

    return {
      campaign,
      summary: {
        campaignId: campaign.id,
        regionCode: scope,
        reportingAgency: agency.name,
        cityName: campaign.city_name,
        counts: 'accepted',
        pending,
        hospitals: table('hospital'),
        pharmacies: table('pharmacy'),
      },
    };
  }
}
