import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { INSTITUTION_KINDS, INSTITUTION_LEVELS, OWNERSHIPS } from './agencies';
import { ListQueryDto } from './paging';
import { commandSubject } from './services';

/**
 * Self-inspection campaigns (专项整治 / 自查自纠) and the institutions' ledgers: seed 002
 * Annexes 3 and 4, seed 003. See docs/self-inspection.md.
 */
export const CampaignSubjects = {
  create: commandSubject('cases', 'campaign', 'create'),
  list: commandSubject('cases', 'campaign', 'list'),
  get: commandSubject('cases', 'campaign', 'get'),
  summary: commandSubject('cases', 'campaign', 'summary'),
  unfiled: commandSubject('cases', 'campaign', 'unfiled'),
  exportSummary: commandSubject('cases', 'campaign', 'export_summary'),
} as const;

export const LedgerSubjects = {
  create: commandSubject('cases', 'ledger', 'create'),
  list: commandSubject('cases', 'ledger', 'list'),
  get: commandSubject('cases', 'ledger', 'get'),
  update: commandSubject('cases', 'ledger', 'update'),
  act: commandSubject('cases', 'ledger', 'act'),
  progress: commandSubject('cases', 'ledger', 'progress'),
  history: commandSubject('cases', 'ledger', 'history'),
  export: commandSubject('cases', 'ledger', 'export'),
} as const;

/**
 * Phases of a campaign, in the order they must come: 动员部署 → 自查自纠 → 督导检查/集中整治 →
 * 抽查复查 → 巩固提升 (回头看) → 总结. A kind may repeat (seed 003 splits the spot check into
 * 分级复查, 市级抽查, 省级复查), never go back.
 */
export const PHASE_KINDS = ['mobilisation', 'self_inspection', 'inspection', 'spot_check', 'consolidation', 'summary'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];
export const PHASE_NAMES: Record<PhaseKind, string> = {
  mobilisation: '动员部署',
  self_inspection: '自查自纠',
  inspection: '督导检查（集中整治）',
  spot_check: '抽查复查',
  consolidation: '巩固提升',
  summary: '总结',
};

const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = { message: '$property must be a date like 2026-07-01' };

export class CampaignPhaseDto {
  @ApiProperty({ enum: PHASE_KINDS })
  @IsIn(PHASE_KINDS)
  kind: PhaseKind;

  @ApiPropertyOptional({ example: '分级复查', description: 'Own name of the phase; defaults to the kind’s Chinese name.' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  name?: string;

  @ApiProperty({ example: '2026-07-01' })
  @Matches(CIVIL_DATE, DATE_MESSAGE)
  startsOn: string;

  @ApiProperty({ example: '2026-07-31' })
  @Matches(CIVIL_DATE, DATE_MESSAGE)
  endsOn: string;
}

export class CreateCampaignDto {
  @ApiProperty({ example: '2026年张掖市打击欺诈骗保专项整治行动' })
  @IsString()
  @Length(2, 100)
  name: string;

  @ApiPropertyOptional({ example: '张医保发〔2026〕21号' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  documentNumber?: string;

  @ApiPropertyOptional({ example: '620700', description: 'GB/T 2260 code; defaults to the creating agency’s region. Must be within its jurisdiction.' })
  @IsOptional()
  @Matches(/^[1-9]\d{5}$/)
  regionCode?: string;

  @ApiProperty({ enum: INSTITUTION_KINDS, isArray: true, description: 'Which kinds of institution self-inspect.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(INSTITUTION_KINDS, { each: true })
  targets: (typeof INSTITUTION_KINDS)[number][];

  @ApiProperty({ example: '2025-01-01', description: 'First day of the period whose fund use is inspected (自查数据起止时间).' })
  @Matches(CIVIL_DATE, DATE_MESSAGE)
  auditPeriodFrom: string;

  @ApiProperty({ example: '2026-05-31' })
  @Matches(CIVIL_DATE, DATE_MESSAGE)
  auditPeriodTo: string;

  @ApiProperty({ example: '2026-06-01' })
  @Matches(CIVIL_DATE, DATE_MESSAGE)
  startsOn: string;

  @ApiProperty({ example: '2026-12-31' })
  @Matches(CIVIL_DATE, DATE_MESSAGE)
  endsOn: string;

  @ApiProperty({ type: [CampaignPhaseDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CampaignPhaseDto)
  phases: CampaignPhaseDto[];
}

export interface CampaignPhaseView {
  kind: PhaseKind;
  name: string;
  startsOn: string;
  endsOn: string;
}

/** Where the campaign stands today (Asia/Shanghai). */
export type CampaignStage = 'not_started' | 'in_phase' | 'between_phases' | 'ended';

export interface CampaignView {
  id: string;
  name: string;
  documentNumber: string | null;
  regionCode: string;
  agencyId: string;
  targets: (typeof INSTITUTION_KINDS)[number][];
  auditPeriodFrom: string;
  auditPeriodTo: string;
  startsOn: string;
  endsOn: string;
  phases: CampaignPhaseView[];
  /** Today's date in Asia/Shanghai, the one the stage was derived from. */
  today: string;
  stage: CampaignStage;
  currentPhase: CampaignPhaseView | null;
  /** Whether institutions may file (create and submit) a ledger today. */
  filingOpen: boolean;
  createdAt: string;
}

/**
 * The query of GET /campaigns: paged, sorted and searched like every list (`page`, `pageSize`,
 * `sort` by startsOn, createdAt or name, newest start first by default; `q` in the name), and
 * the campaigns of exactly one region. The ledgers' query adds to it.
 */
export class ListCampaignsDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Exactly this region (GB/T 2260): the campaign’s, or for ledgers the institution’s' })
  @IsOptional()
  @Matches(/^[1-9]\d{5}$/)
  regionCode?: string;
}

// ---- Ledgers (Annex 3) ----

/** 医保类型: 城镇职工 / 城乡居民. */
export const INSURANCE_TYPES = ['employees', 'residents'] as const;
export type InsuranceType = (typeof INSURANCE_TYPES)[number];

/**
 * The ledger's workflow: draft → submitted → (returned → resubmitted)* → accepted. The full table,
 * with who may and when, is LEDGER_TRANSITIONS in apps/cases/src/ledgers/ledger-machine.ts.
 */
export const LEDGER_STATUSES = ['draft', 'submitted', 'returned', 'resubmitted', 'accepted'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];
export const LEDGER_ACTIONS = ['submit', 'return', 'resubmit', 'accept'] as const;
export type LedgerAction = (typeof LEDGER_ACTIONS)[number];

/** Largest ledger (problem rows): keeps each export well under NATS's 1 MiB message limit. */
export const MAX_LEDGER_PROBLEMS = 200;

const FEN = { message: '$property is an amount in fen (分): a whole number from 0' };

export class LedgerProblemDto {
  @ApiProperty({ example: '串换药品、医用耗材、诊疗项目和服务设施', description: '问题类别, as the campaign’s key areas and Annexes 1 and 2 word it' })
  @IsString()
  @Length(1, 100)
  category: string;

  @ApiProperty({ example: '将甲类耗材串换为乙类项目收费', description: '问题内容' })
  @IsString()
  @Length(1, 300)
  content: string;

  @ApiProperty({ example: 1234500, description: '涉及违规资金, 城镇职工医保 (fen)' })
  @IsInt(FEN)
  @Min(0, FEN)
  @Max(100_000_000_000)
  violatingEmployeesFen: number;

  @ApiProperty({ example: 0, description: '涉及违规资金, 城乡居民医保 (fen)' })
  @IsInt(FEN)
  @Min(0, FEN)
  @Max(100_000_000_000)
  violatingResidentsFen: number;

  @ApiProperty({ example: 1234500, description: '退回资金, 城镇职工医保 (fen)' })
  @IsInt(FEN)
  @Min(0, FEN)
  @Max(100_000_000_000)
  refundedEmployeesFen: number;

  @ApiProperty({ example: 0, description: '退回资金, 城乡居民医保 (fen)' })
  @IsInt(FEN)
  @Min(0, FEN)
  @Max(100_000_000_000)
  refundedResidentsFen: number;

  @ApiProperty({ description: '整改情况: true ①已完成整改, false ②未完成整改' })
  @IsBoolean()
  rectified: boolean;

  @ApiPropertyOptional({ example: '涉及系统改造，预计9月底完成', description: '整改中或未整改请备注原因 (required when not rectified)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class LedgerBodyDto {
  @ApiProperty({ enum: INSURANCE_TYPES, isArray: true, description: '医保类型 the institution settles (one or both)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(INSURANCE_TYPES, { each: true })
  insuranceTypes: InsuranceType[];

  @ApiProperty({ type: [LedgerProblemDto], description: 'One row per problem found; empty when the self-inspection found none.' })
  @IsArray()
  @ArrayMaxSize(MAX_LEDGER_PROBLEMS)
  @ValidateNested({ each: true })
  @Type(() => LedgerProblemDto)
  problems: LedgerProblemDto[];
}

/** What the cases service receives to open a ledger. */
export class CreateLedgerRequestDto extends LedgerBodyDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'campaignId must be a UUID' })
  campaignId: string;
}

/** A corrected ledger, with the `updatedAt` of the ledger as the editor loaded it: a change made meanwhile by someone else is not overwritten. */
export class UpdateLedgerBodyDto extends LedgerBodyDto {
  @ApiPropertyOptional({ description: 'The ledger’s updatedAt as loaded; when it no longer matches, 409 LEDGER_CHANGED and nothing is written' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedAt?: string;
}

export class UpdateLedgerRequestDto extends UpdateLedgerBodyDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

export class LedgerActionDto {
  @ApiProperty({ enum: LEDGER_ACTIONS })
  @IsIn(LEDGER_ACTIONS)
  action: LedgerAction;

  @ApiPropertyOptional({ example: '第3行退回资金大于违规资金，请核实后重新报送', description: 'Required when returning: the bureau’s reasons.' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class LedgerActionRequestDto extends LedgerActionDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

/** Progress after acceptance: refunds made and rectification done, one entry per problem row. */
export class ProblemProgressDto {
  @ApiProperty({ example: 1, description: '序号 of the problem row' })
  @IsInt()
  @Min(1)
  @Max(MAX_LEDGER_PROBLEMS)
  seq: number;

  @ApiProperty()
  @IsInt(FEN)
  @Min(0, FEN)
  @Max(100_000_000_000)
  refundedEmployeesFen: number;

  @ApiProperty()
  @IsInt(FEN)
  @Min(0, FEN)
  @Max(100_000_000_000)
  refundedResidentsFen: number;

  @ApiProperty()
  @IsBoolean()
  rectified: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class LedgerProgressDto {
  @ApiProperty({ type: [ProblemProgressDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LEDGER_PROBLEMS)
  @ValidateNested({ each: true })
  @Type(() => ProblemProgressDto)
  problems: ProblemProgressDto[];

  @ApiPropertyOptional({ example: '已于8月15日退回全部违规资金' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class LedgerProgressRequestDto extends LedgerProgressDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

/**
 * The query of GET /campaigns/{id}/ledgers: as the campaigns' (`q` in the institution's name or
 * code; `sort` by institutionCode, updatedAt, status or violatingFen, by institution code by
 * default), with the status and the kind of institution.
 */
export class ListLedgersDto extends ListCampaignsDto {
  @ApiPropertyOptional({ enum: LEDGER_STATUSES })
  @IsOptional()
  @IsIn(LEDGER_STATUSES)
  status?: LedgerStatus;

  @ApiPropertyOptional({ enum: INSTITUTION_KINDS })
  @IsOptional()
  @IsIn(INSTITUTION_KINDS)
  kind?: (typeof INSTITUTION_KINDS)[number];
}

export class ListLedgersRequestDto extends ListLedgersDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'campaignId must be a UUID' })
  campaignId: string;
}

/** The query of GET /ledgers/{id}/history: the steps before (older than) a step, newest first. */
export class LedgerHistoryDto {
  @ApiPropertyOptional({ description: 'The id of a step: only older steps are listed (the `before` of the previous page or of the ledger view)' })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  before?: number;
}

export class LedgerHistoryRequestDto extends LedgerHistoryDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

/**
 * One page of a ledger's history, newest first, with every changed row of each step. A page is
 * bounded by size, not by a count (one progress step may change 200 rows): `before` is the id to
 * ask for next, null once the oldest step is in.
 */
export interface LedgerHistoryPage {
  items: LedgerStepView[];
  total: number;
  before: number | null;
}

export interface LedgerProblemView {
  seq: number;
  category: string;
  content: string;
  violatingEmployeesFen: number;
  violatingResidentsFen: number;
  refundedEmployeesFen: number;
  refundedResidentsFen: number;
  rectified: boolean;
  reason: string | null;
}

export interface LedgerStepView {
  /** Increasing with time; `before` of GET /ledgers/{id}/history takes it. */
  id: number;
  action: 'create' | 'update' | LedgerAction | 'progress';
  fromStatus: LedgerStatus | null;
  toStatus: LedgerStatus;
  actorKind: string;
  actorId: string;
  agencyId: string | null;
  at: string;
  note: string | null;
  /** Progress after acceptance: the rows as they were before and after. */
  changes: { seq: number; before: Partial<LedgerProblemView>; after: Partial<LedgerProblemView> }[] | null;
}

export interface LedgerTotals {
  problems: number;
  violatingEmployeesFen: number;
  violatingResidentsFen: number;
  refundedEmployeesFen: number;
  refundedResidentsFen: number;
  rectified: number;
  notRectified: number;
}

export interface LedgerView {
  id: string;
  campaignId: string;
  status: LedgerStatus;
  /** The institution block, as the register knows it (name, category, ownership, level) and as declared (insurance types). */
  institution: {
    id: string;
    code: string;
    name: string;
    kind: (typeof INSTITUTION_KINDS)[number];
    ownership: (typeof OWNERSHIPS)[number];
    level: (typeof INSTITUTION_LEVELS)[number];
    regionCode: string;
  };
  insuranceTypes: InsuranceType[];
  problems: LedgerProblemView[];
  totals: LedgerTotals;
  /** The bureau's reasons when it was last returned for correction. */
  returnReasons: string | null;
  submittedAt: string | null;
  acceptedAt: string | null;
  createdAt: string;
  updatedAt: string;
  allowedActions: (LedgerAction | 'update' | 'progress')[];
  /**
   * The latest steps, oldest first: at most LEDGER_VIEW_HISTORY_STEPS, and only as many as fit
   * beside the rows in one message of the bus (a ledger's history grows with every progress entry,
   * each keeping its changed rows before and after). `historyTotal` counts them all; `historyBefore`, when older steps are left
   * out, is the `before` that GET /ledgers/{id}/history takes for them.
   */
  history: LedgerStepView[];
  historyTotal: number;
  historyBefore: number | null;
}

/** Steps a ledger view carries at most; the rest is paged by GET /ledgers/{id}/history. */
export const LEDGER_VIEW_HISTORY_STEPS = 50;

/** A ledger in a list: the block and the totals, without rows and history. */
export type LedgerListItem = Omit<LedgerView, 'problems' | 'history' | 'historyTotal' | 'historyBefore' | 'allowedActions'>;

// ---- Who has not filed (催报) ----

/** A designated institution the campaign targets whose ledger is not submitted: none opened, or a draft. */
export interface UnfiledInstitution {
  id: string;
  code: string;
  name: string;
  kind: 'hospital' | 'pharmacy';
  regionCode: string;
  /** Its draft, when it has opened one. */
  ledgerId: string | null;
}

export interface CampaignUnfiled {
  campaignId: string;
  /** The region the list covers: the campaign's, or the calling district bureau's own district. */
  regionCode: string;
  /** Designated institutions the campaign targets there (agreement active or suspended). */
  designated: number;
  /** Of those, how many have submitted their ledger (whatever became of it since). */
  submitted: number;
  /** The others, by code. */
  items: UnfiledInstitution[];
}

// ---- Annex 4 ----

export interface SummaryRow {
  /** 'total' (合计), 'city' (市本级) or a district's code. */
  key: string;
  label: string;
  regionCode: string | null;
  designated: number;
  institutionsWithProblems: number;
  problems: number;
  violatingEmployeesFen: number;
  violatingResidentsFen: number;
  refundedEmployeesFen: number;
  refundedResidentsFen: number;
  rectified: number;
  notRectified: number;
}

export interface CampaignSummary {
  campaignId: string;
  regionCode: string;
  /** 填报单位: the agency the summary is made for. */
  reportingAgency: string;
  /** The city the form's title names (____市). */
  cityName: string;
  /** Which ledgers the figures count: only accepted ones. */
  counts: 'accepted';
  /** Ledgers filed but not (yet) accepted, so not in the figures. */
  pending: number;
  hospitals: SummaryRow[];
  pharmacies: SummaryRow[];
}

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportRequestDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;

  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}

/** A file made by a service, sent over NATS as base64 (bounded well below 1 MiB). */
export interface ExportedFile {
  filename: string;
  contentType: string;
  base64: string;
}
