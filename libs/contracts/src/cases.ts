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
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  NotEquals,
  ValidateNested,
} from 'class-validator';
import { PageNumberDto } from './paging';
import { commandSubject } from './services';
import { ClockView } from './transfers';

/** Subjects the cases service answers for administrative enforcement cases (行政执法案件). */
export const CaseSubjects = {
  file: commandSubject('cases', 'case', 'file'),
  act: commandSubject('cases', 'case', 'act'),
  list: commandSubject('cases', 'case', 'list'),
  get: commandSubject('cases', 'case', 'get'),
  procedure: commandSubject('cases', 'procedure', 'get'),
  addMoney: commandSubject('cases', 'money', 'add'),
  evidenceUploadTicket: commandSubject('cases', 'evidence', 'upload_ticket'),
  evidenceRegister: commandSubject('cases', 'evidence', 'register'),
  evidenceList: commandSubject('cases', 'evidence', 'list'),
  evidenceDownload: commandSubject('cases', 'evidence', 'download'),
  evidenceSeal: commandSubject('cases', 'evidence', 'seal'),
  evidenceCustody: commandSubject('cases', 'evidence', 'custody'),
} as const;

export const SupervisionSubjects = {
  issue: commandSubject('cases', 'supervision', 'issue'),
  list: commandSubject('cases', 'supervision', 'list'),
  get: commandSubject('cases', 'supervision', 'get'),
  report: commandSubject('cases', 'supervision', 'report'),
  close: commandSubject('cases', 'supervision', 'close'),
} as const;

export const ReportSubjects = {
  statistics: commandSubject('cases', 'report', 'statistics'),
} as const;

/** The stages of a case (国家医保局令第4号). */
export const CASE_STATES = [
  /** 调查取证 */
  'investigating',
  /** 已告知拟处罚 (statement and hearing rights running) */
  'notified',
  /** 听证 */
  'hearing',
  /** 法制审核 */
  'legal_review',
  /** 法制审核通过 */
  'reviewed',
  /** 集体讨论 */
  'collective_discussion',
  /** 作出处罚决定 */
  'decided',
  /** 已送达 */
  'served',
  /** 执行完毕 */
  'enforced',
  /** 不予处罚 / 撤销案件 */
  'closed',
  /** 归档 */
  'archived',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_ACTIONS = [
  'notify_penalty',
  'request_hearing',
  'submit_for_review',
  'conclude_hearing',
  'pass_review',
  'return_for_investigation',
  'refer_to_collective',
  'decide',
  'serve',
  'record_enforcement',
  'close_without_penalty',
  'archive',
  /** Not stage changes: the conclusion clock's extensions and paused periods. */
  'extend_by_head',
  'extend_after_collective',
  'pause_clock',
  'resume_clock',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Periods that do not count towards the 90 days (检验、检测、检疫、鉴定、听证、公告、专家评审). */
export const PAUSE_KINDS = ['test', 'appraisal', 'hearing', 'public_notice', 'expert_review'] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

/** 违法违规 (1–2× the loss) or 欺诈骗保 (2–5×), 医疗保障基金使用监督管理条例 (国务院令第735号). */
export const VIOLATION_KINDS = ['violation', 'fraud'] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export const AGREEMENT_MEASURES = ['none', 'suspend', 'terminate'] as const;
export type AgreementMeasure = (typeof AGREEMENT_MEASURES)[number];

/** A penalty as notified and as decided; money in fen. */
export class PenaltyDto {
  @ApiProperty({ enum: VIOLATION_KINDS })
  @IsIn(VIOLATION_KINDS)
  violationKind: ViolationKind;

  @ApiProperty({ description: 'The loss caused to the fund (造成医保基金损失金额), fen' })
  @IsInt()
  @Min(0)
  @Max(1e13)
  lossFen: number;

  @ApiProperty({ description: 'Violating funds to be refunded (责令退回), fen' })
  @IsInt()
  @Min(0)
  @Max(1e13)
  refundFen: number;

  @ApiProperty({ description: 'Fine (罚款), fen: 0, or 1–2× the loss for violations and 2–5× for fraud' })
  @IsInt()
  @Min(0)
  @Max(1e14)
  fineFen: number;

  @ApiProperty({ enum: AGREEMENT_MEASURES, description: '暂停 / 解除医保服务协议' })
  @IsIn(AGREEMENT_MEASURES)
  agreement: AgreementMeasure;

  @ApiProperty({ description: 'Entered in the credit record (信用记录)' })
  @IsBoolean()
  creditRecord: boolean;
}

export class FileCaseDto {
  @ApiProperty({ example: '张掖康泰医院涉嫌分解住院案' })
  @IsString()
  @Length(4, 200)
  title: string;

  @ApiProperty({ description: 'The party (当事人): institution, person or company name' })
  @IsString()
  @Length(2, 200)
  partyName: string;

  @ApiPropertyOptional({ description: 'Designated institution code when the party is one' })
  @IsOptional()
  @Matches(/^[HP]\d{11}$/)
  partyInstitutionCode?: string;

  @ApiProperty({ description: 'Facts as known at filing (立案审批表)' })
  @IsString()
  @Length(10, 20000)
  facts: string;

  @ApiProperty({ description: 'Filing approval document number (立案审批文号)' })
  @IsString()
  @Length(1, 100)
  documentNumber: string;

  @ApiProperty({ description: 'At least two enforcement officers of the bureau act on the case' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  officerIds: string[];

  @ApiPropertyOptional({ description: 'The clues the case is opened from' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  clueIds?: string[];

  @ApiPropertyOptional({ description: 'A major case (重大案件): its decision needs collective discussion' })
  @IsOptional()
  @IsBoolean()
  major?: boolean;
}

export class CaseStepDto {
  @ApiProperty({ enum: CASE_ACTIONS })
  @IsIn(CASE_ACTIONS)
  action: CaseAction;

  @ApiPropertyOptional({ description: 'Document number of the step (文号)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  documentNumber?: string;

  @ApiPropertyOptional({ description: 'Reasons, opinion or record in words' })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  note?: string;

  @ApiPropertyOptional({ type: PenaltyDto, description: 'With notify_penalty and decide' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PenaltyDto)
  penalty?: PenaltyDto;

  @ApiPropertyOptional({ enum: PAUSE_KINDS, description: 'With pause_clock' })
  @IsOptional()
  @IsIn(PAUSE_KINDS)
  pauseKind?: PauseKind;

  @ApiPropertyOptional({ description: 'With extend_after_collective: days added, at most 60' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  days?: number;
}

export class CaseStepRequestDto extends CaseStepDto {
  @IsUUID()
  id: string;
}

export const CASE_SORTS = ['createdAt', '-createdAt', 'number', '-number', 'state', '-state', 'dueAt', '-dueAt'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

export class ListCasesDto extends PageNumberDto {
  @ApiPropertyOptional({ enum: CASE_STATES })
  @IsOptional()
  @IsIn(CASE_STATES)
  stage?: CaseState;

  @ApiPropertyOptional({ description: 'Words in the number, title or party' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: CASE_SORTS, default: '-createdAt' })
  @IsOptional()
  @IsIn(CASE_SORTS)
  sort?: CaseSort;

  @ApiPropertyOptional({ description: 'The cases opened from one clue', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  clueId?: string;
}

export interface CaseStepView {
  seq: number;
  action: CaseAction | 'file';
  fromState: CaseState | null;
  toState: CaseState;
  actorId: string;
  agencyId: string;
  at: string;
  documentNumber: string | null;
  note: string | null;
  detail: Record<string, unknown>;
  /** SM3 over the previous step's digest and this step: the record cannot change unnoticed. */
  digest: string;
}

export interface CaseTransferLink {
  transferId: string;
  number: string | null;
  route: string;
  state: string;
  receiverAgencyId: string | null;
}

/** Money of a case, fen: what the ledger holds per kind, and the fine decided. */
export interface CaseMoney {
  violatingEmployeesFen: number;
  violatingResidentsFen: number;
  violatingTotalFen: number;
  refundedFen: number;
  finePaidFen: number;
  recoveredAfterJudgmentFen: number;
  fineDecidedFen: number;
  refundOrderedFen: number;
  recoveredTotalFen: number;
}

export interface CaseSummaryView {
  id: string;
  number: string;
  title: string;
  partyName: string;
  state: CaseState;
  major: boolean;
  agencyId: string;
  regionCode: string;
  createdAt: string;
  /** The 90-day conclusion limit as it stands (extended, with pauses). */
  conclusionDueAt: string | null;
}

export interface CaseView extends CaseSummaryView {
  partyInstitutionCode: string | null;
  facts: string;
  officerIds: string[];
  clueIds: string[];
  transfers: CaseTransferLink[];
  notifiedPenalty: PenaltyDto | null;
  decidedPenalty: PenaltyDto | null;
  /** 'none' | 'head' (30 days) | 'collective' (≤ 60 more). */
  extension: { level: 'none' | 'head' | 'collective'; days: number };
  money: CaseMoney;
  /** The ledger's entries, oldest first (who recorded what, when, from which document). */
  moneyEntries: CaseMoneyEntryView[];
  steps: CaseStepView[];
  /** Whether the stored steps still match their digest chain. */
  stepsVerified: boolean;
  clocks: ClockView[];
  allowedActions: CaseAction[];
}

/** Ledger kinds; refunds, fines paid and recoveries are money that came back. */
export const MONEY_KINDS = ['violating_employees', 'violating_residents', 'refunded', 'fine_paid', 'recovered_after_judgment'] as const;
export type MoneyKind = (typeof MONEY_KINDS)[number];

export class AddMoneyDto {
  @ApiProperty({ enum: MONEY_KINDS, description: 'violating funds of employees’ (职工) or residents’ (居民) insurance, refunded (已退回), fine paid, recovered after judgment (判决后追缴)' })
  @IsIn(MONEY_KINDS)
  kind: MoneyKind;

  @ApiProperty({ description: 'Fen, never 0; a correction is a negative entry' })
  @IsInt()
  @NotEquals(0, { message: 'amountFen is an amount in fen other than 0 (a correction is negative)' })
  @Min(-1e13)
  @Max(1e13)
  amountFen: number;

  @ApiPropertyOptional({ description: 'The document the entry is recorded from (缴款书, 退款凭证, 判决书 …), its number' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  documentNumber?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

/** One entry of a case's money ledger, as recorded: amounts in fen, a correction negative. */
export interface CaseMoneyEntryView {
  id: string;
  kind: MoneyKind;
  amountFen: number;
  documentNumber: string | null;
  note: string | null;
  actorId: string;
  agencyId: string;
  at: string;
}

export class AddMoneyRequestDto extends AddMoneyDto {
  @IsUUID()
  id: string;
}

export class CaseIdDto {
  @IsUUID()
  caseId: string;
}

export class EvidenceTicketDto {
  @IsUUID()
  caseId: string;

  @IsString()
  @Length(1, 255)
  name: string;

  @IsString()
  @Length(1, 100)
  mediaType: string;

  /** The verification whose receipt is to be filed (as EvidenceRegisterDto.receiptOf): a receipt the case holds already is refused before anything is stored. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  receiptOf?: number;
}

export class EvidenceRegisterDto {
  @IsUUID()
  caseId: string;

  @IsUUID()
  evidenceId: string;

  @IsString()
  @Length(1, 500)
  storageKey: string;

  @IsString()
  @Length(1, 255)
  name: string;

  @IsString()
  @Length(1, 100)
  mediaType: string;

  @IsInt()
  @Min(0)
  sizeBytes: number;

  @Matches(/^[0-9a-f]{64}$/)
  sha256: string;

  @Matches(/^[0-9a-f]{64}$/)
  sm3: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  /**
   * The verification whose signed receipt this file is (named verificationReceiptFileName of it),
   * given only by the gateway's invoice-receipts route, which fetched the receipt from finance.
   * Stored in its own column: a case holds each receipt once, checked with the case locked (and a
   * unique index), so two requests at once cannot both file it (409 RECEIPT_ALREADY_ATTACHED). A
   * plain upload may not take a receipt's name (400 on `name`).
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  receiptOf?: number;
}

export class EvidenceRefDto {
  @IsUUID()
  caseId: string;

  @IsUUID()
  evidenceId: string;
}

export interface EvidenceUploadTicket {
  evidenceId: string;
  storageKey: string;
  maxBytes: number;
}

export interface EvidenceView {
  id: string;
  caseId: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  sm3: string;
  addedBy: string;
  addedByAgencyId: string;
  addedAt: string;
  /** What the uploader said the file is (a receipt: its invoice code, number and verdict). */
  description: string | null;
  /** The invoice verification whose finance-signed receipt this file is; null for any other file. */
  receiptOf: number | null;
  sealed: boolean;
  /**
   * The latest entries of the chain of custody, oldest first: up to CUSTODY_IN_VIEW in the view of
   * one file (added, sealed), CUSTODY_IN_LIST in the list. Every download adds one, so the whole
   * chain is paged at GET /cases/{id}/evidence/{evidenceId}/custody.
   */
  custody: CustodyEntry[];
  /** How many entries the whole chain holds. */
  custodyTotal: number;
}

/** One entry of an evidence file's chain of custody (added, downloaded, sealed, integrity_failed). */
export interface CustodyEntry {
  seq: number;
  event: string;
  actorId: string;
  agencyId: string | null;
  at: string;
  note: string | null;
}

export const CUSTODY_IN_VIEW = 20;
export const CUSTODY_IN_LIST = 3;
/** The list of a case's evidence without `page` or `pageSize`: the first this many files. */
export const EVIDENCE_LIST_MAX = 500;
export const MAX_CUSTODY_PAGE = 500;

/** The evidence of a case, optionally one page of it (`page`, `pageSize`). */
export class ListEvidenceDto extends PageNumberDto {
  @IsUUID()
  caseId: string;
}

/** Where to read an evidence file's chain of custody from: after an entry (`afterSeq`), at most `limit` entries. */
export class CustodyQueryDto {
  @ApiPropertyOptional({ description: 'Entries after this one (its seq); from the first without', example: 0 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  afterSeq?: number;

  @ApiPropertyOptional({ description: `Entries at most (default 200, at most ${MAX_CUSTODY_PAGE})`, example: 200 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(MAX_CUSTODY_PAGE)
  limit?: number;
}

export class CustodyRequestDto extends CustodyQueryDto {
  @IsUUID()
  caseId: string;

  @IsUUID()
  evidenceId: string;
}

/** A stretch of the chain of custody; `nextAfterSeq` reads on from where it ends (null at the end). */
export interface CustodyPage {
  items: CustodyEntry[];
  total: number;
  nextAfterSeq: number | null;
}

/** 督办 (supervision) and 挂牌督办 (listed supervision of a major case). */
export const SUPERVISION_KINDS = ['supervision', 'listed'] as const;
export type SupervisionKind = (typeof SUPERVISION_KINDS)[number];

export class IssueSupervisionDto {
  @ApiProperty()
  @IsUUID()
  caseId: string;

  @ApiProperty({ enum: SUPERVISION_KINDS })
  @IsIn(SUPERVISION_KINDS)
  kind: SupervisionKind;

  @ApiProperty({ description: 'Document number of the supervision order (督办通知文号)' })
  @IsString()
  @Length(1, 100)
  documentNumber: string;

  @ApiProperty({ description: 'What is required, in words' })
  @IsString()
  @Length(4, 5000)
  requirements: string;

  @ApiProperty({ description: 'By when the case must be concluded (ISO 8601 date-time)' })
  @IsISO8601({ strict: true })
  deadline: string;

  @ApiProperty({ description: 'A progress report is due every this many working days' })
  @IsInt()
  @Min(1)
  @Max(60)
  reportEveryWorkingDays: number;
}

export class SupervisionReportDto {
  @ApiProperty({ description: 'Progress in words (进展情况报告)' })
  @IsString()
  @Length(4, 10000)
  progress: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  documentNumber?: string;
}

export class SupervisionReportRequestDto extends SupervisionReportDto {
  @IsUUID()
  id: string;
}

export class SupervisionCloseRequestDto {
  @IsUUID()
  id: string;

  @IsString()
  @Length(1, 5000)
  note: string;
}

export class ListSupervisionsDto extends PageNumberDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @ApiPropertyOptional({ description: 'The orders on one case (its open one, with status=open)', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  caseId?: string;
}

export interface SupervisionView {
  id: string;
  caseId: string;
  caseNumber: string;
  kind: SupervisionKind;
  status: 'open' | 'closed';
  issuingAgencyId: string;
  supervisedAgencyId: string;
  regionCode: string;
  documentNumber: string;
  requirements: string;
  deadline: string;
  reportEveryWorkingDays: number;
  nextReportDueAt: string | null;
  /** The progress report is late, or the deadline has passed with the order open. */
  reportOverdue: boolean;
  deadlineOverdue: boolean;
  reports: { seq: number; progress: string; documentNumber: string | null; actorId: string; agencyId: string; at: string; late: boolean }[];
  createdAt: string;
}

export class StatisticsQueryDto {
  @ApiProperty({ example: '620700' })
  @Matches(/^[1-9]\d{5}$/)
  regionCode: string;

  @ApiProperty({ description: 'First day (Shanghai), inclusive', example: '2026-10-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from: string;

  @ApiProperty({ description: 'Last day (Shanghai), inclusive', example: '2026-12-31' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to: string;
}

/** What clue-transfer contributes to the quarterly statistics. */
export interface ClueTransferStatistics {
  cluesBySource: Record<string, number>;
  transfersByRouteAndState: { route: string; state: string; count: number }[];
  overdueByAgency: Record<string, number>;
  current: { openTransfers: number; overdueByAgency: Record<string, number> };
}

/**
 * The region as it stands when asked, whatever the period: transfers sent from or to it not in a
 * final state, and the clocks overdue now (running, not paused, past their deadline) per agency
 * whose duty they are, clue-transfer's and the cases service's together.
 */
export interface CurrentStatistics {
  /** When the figures were taken (ISO 8601). */
  at: string;
  openTransfers: number;
  overdueByAgency: Record<string, number>;
}

export interface Statistics {
  regionCode: string;
  from: string;
  to: string;
  cluesBySource: Record<string, number>;
  casesOpened: number;
  casesClosed: number;
  transfersByRouteAndState: { route: string; state: string; count: number }[];
  /** Clocks overdue now (clue-transfer and cases together), per agency whose duty they are. */
  overdueByAgency: Record<string, number>;
  funds: { violatingEmployeesFen: number; violatingResidentsFen: number; involvedFen: number; refundedFen: number; finePaidFen: number; recoveredAfterJudgmentFen: number; recoveredFen: number; finesDecidedFen: number };
  current: CurrentStatistics;
}

export const ClueTransferStatsSubject = commandSubject('clue-transfer', 'report', 'statistics');
