import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
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
  ValidateNested,
} from 'class-validator';
import { commandSubject } from './services';

/** Subjects the clue-transfer service answers. */
export const ClueSubjects = {
  create: commandSubject('clue-transfer', 'clue', 'create'),
  list: commandSubject('clue-transfer', 'clue', 'list'),
  get: commandSubject('clue-transfer', 'clue', 'get'),
  revealReporter: commandSubject('clue-transfer', 'clue', 'reveal_reporter'),
  advance: commandSubject('clue-transfer', 'clue', 'advance'),
} as const;

/** 线索来源 */
export const CLUE_SOURCES = [
  'tip_off_hotline',
  'tip_off_web',
  'tip_off_mail',
  'tip_off_app',
  /** 上级交办 */
  'assigned',
  /** 大数据筛查 */
  'big_data',
  /** 飞行检查 / 现场检查 */
  'inspection',
  /** 自查自纠 */
  'self_inspection',
  /** 其他部门移送 */
  'agency_transfer',
] as const;
export type ClueSource = (typeof CLUE_SOURCES)[number];
export const TIP_OFF_SOURCES: readonly ClueSource[] = ['tip_off_hotline', 'tip_off_web', 'tip_off_mail', 'tip_off_app'];

export const CLUE_SUBJECT_KINDS = ['institution', 'insured_person', 'gang', 'staff'] as const;

/** Violations by subject, seed 002 Annex 2 (重点违法违规行为). */
export const VIOLATION_CATEGORIES: Record<string, string> = {
  H01: '诱导、协助他人冒名或者虚假就医、购药等套取医保资金',
  H02: '伪造、变造、隐匿、涂改、销毁医学文书、医学证明、会计凭证、电子信息等有关资料',
  H03: '虚构医药服务项目',
  H04: '分解住院、挂床住院',
  H05: '不执行实名就医和购药管理规定，不核验参保人员医疗保障凭证',
  H06: '重复收费、超标准收费、分解项目收费',
  H07: '串换药品、医用耗材、诊疗项目和服务设施',
  H08: '将不属于医疗保障基金支付范围的医药费用纳入医疗保障基金结算',
  H09: '定点医疗机构其他骗取医保基金支出的行为',
  P01: '串换药品、医用耗材、医疗器械或以日用品、保健品串换进行医保结算',
  P02: '伪造、变造处方或无处方销售处方药品并纳入医保结算',
  P03: '超医保限定支付条件和范围销售并纳入医保结算',
  P04: '不执行实名购药规定，不核验医保凭证',
  P05: '与购买人串通空刷、现金退付或兑换支付骗取医保基金',
  P06: '为非定点或中止协议药店进行医保费用结算',
  P07: '定点药店其他骗取医保基金支出的行为',
  I01: '参保人员伪造、变造、隐匿、涂改、销毁有关资料骗取医保基金',
  I02: '将本人医疗保障凭证交由他人冒名使用',
  I03: '转卖药品，接受返还现金、实物或者获得其他非法利益',
  I04: '参保人员其他骗取医保基金支出的行为',
  G01: '帮助非参保人员虚构劳动关系或提供虚假证明材料骗取医保资格',
  G02: '非法收取医保卡到定点机构刷卡结算或套现',
  G03: '协助医院组织参保人员虚假住院、挂床住院',
  G04: '职业骗保团伙其他骗取医疗保障基金支出的行为',
};
export const VIOLATION_CODES = Object.keys(VIOLATION_CATEGORIES);

/**
 * Where a clue stands: 受理 → 初核 → 核查 → 办结. A clue assigned down on the platform (交办) is
 * `reported` (上报) when the assigned bureau concludes it, and concluded only when the assigning
 * bureau accepts the report (销号); a returned report (退回) puts it back to `verifying`.
 */
export const CLUE_STATUSES = ['received', 'triaged', 'verifying', 'reported', 'concluded'] as const;
export type ClueStatus = (typeof CLUE_STATUSES)[number];
export const CLUE_OUTCOMES = ['unfounded', 'case_opened', 'transferred'] as const;
export type ClueOutcome = (typeof CLUE_OUTCOMES)[number];

export class ClueSubjectDto {
  @ApiProperty({ enum: CLUE_SUBJECT_KINDS })
  @IsIn(CLUE_SUBJECT_KINDS)
  kind: (typeof CLUE_SUBJECT_KINDS)[number];

  @ApiProperty({ example: '张掖康泰医院（示例民营）' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ description: 'Designated institution code when the subject is an institution', example: 'H62070200004' })
  @IsOptional()
  @Matches(/^H[1-9]\d{10}$/)
  institutionCode?: string;

  @ApiPropertyOptional({ description: 'Resident ID number of a person (stored, shown masked)' })
  @IsOptional()
  @Matches(/^\d{17}[\dX]$/, { message: 'idNumber must be an 18-character resident ID number' })
  idNumber?: string;
}

export class ReporterDto {
  @ApiProperty({ example: '王某' })
  @IsString()
  @Length(1, 50)
  name: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @Matches(/^[0-9+\- ]{5,20}$/)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{17}[\dX]$/)
  idNumber?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;
}

export class AttachmentDto {
  @IsString()
  @Length(1, 200)
  name: string;

  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex characters' })
  sha256: string;
}

export class CreateClueDto {
  @ApiProperty({ enum: CLUE_SOURCES })
  @IsIn(CLUE_SOURCES)
  source: ClueSource;

  @ApiProperty({ type: ClueSubjectDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ClueSubjectDto)
  subject: ClueSubjectDto;

  @ApiProperty({ example: ['H04', 'H06'], description: 'Violation categories (seed 002, Annex 2)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsIn(VIOLATION_CODES, { each: true })
  categories: string[];

  @ApiProperty({ example: '2025-01-01' })
  @IsISO8601({ strict: true })
  periodFrom: string;

  @ApiProperty({ example: '2025-12-31' })
  @IsISO8601({ strict: true })
  periodTo: string;

  @ApiPropertyOptional({ description: 'Amount involved in fen (分)', example: 1250000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e15)
  amountFen?: number;

  @ApiProperty()
  @IsString()
  @Length(5, 5000)
  description: string;

  @ApiPropertyOptional({ type: ReporterDto, description: 'Tip-offs only: the reporter, kept encrypted; omit for an anonymous tip-off' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReporterDto)
  reporter?: ReporterDto;

  @ApiPropertyOptional({
    description: 'Assignments from a higher level: when the verification result is due back. A date alone (2026-03-31) means by 24:00 that day, Shanghai time; a date and time without a zone is Shanghai time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  reportBackBy?: string;

  @ApiPropertyOptional({ description: 'Assignments: the document that assigned the clue' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  assignmentReference?: string;

  @ApiPropertyOptional({
    description:
      'Assigning down (交办, source `assigned`): the subordinate medical insurance bureau that is to verify the clue and report back by `reportBackBy`. The clue becomes that bureau\'s; the assigning bureau accepts its report (销号) or returns it (退回). Omit when the assignment came from outside the platform.',
  })
  @IsOptional()
  @IsUUID()
  assignToAgencyId?: string;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

/** `accept_report` and `return_report` are the assigning bureau's, on a clue it assigned down. */
export const CLUE_ACTIONS = ['triage', 'start_verification', 'conclude', 'notify_reporter', 'accept_report', 'return_report'] as const;
export type ClueAction = (typeof CLUE_ACTIONS)[number];

export class AdvanceClueDto {
  @ApiProperty({ enum: CLUE_ACTIONS })
  @IsIn(CLUE_ACTIONS)
  action: ClueAction;

  @ApiPropertyOptional({ enum: CLUE_OUTCOMES, description: 'With `conclude`' })
  @IsOptional()
  @IsIn(CLUE_OUTCOMES)
  outcome?: ClueOutcome;

  @ApiPropertyOptional({ description: 'The reasons; required with `return_report`' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;

  @ApiPropertyOptional({ description: 'With `return_report`: the new date the result is due back (as `reportBackBy` of a new clue)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  reportBackBy?: string;
}

export class AdvanceClueRequestDto extends AdvanceClueDto {
  @IsUUID()
  id: string;
}

export interface ClueView {
  id: string;
  number: string;
  agencyId: string;
  regionCode: string;
  source: ClueSource;
  subject: { kind: string; name: string; institutionCode: string | null; idNumber: string | null };
  categories: string[];
  periodFrom: string;
  periodTo: string;
  amountFen: number | null;
  description: string;
  status: ClueStatus;
  outcome: ClueOutcome | null;
  /** Real-name tip-off: the reporter exists, identity withheld here. */
  hasReporter: boolean;
  reportBackBy: string | null;
  /** The document that assigned the clue, for a clue assigned from a higher level. */
  assignmentReference: string | null;
  /** The bureau that assigned the clue down on the platform and accepts or returns its report; null otherwise. */
  assignedByAgencyId: string | null;
  filingDecisionDueAt: string;
  /** Earlier clues on the same party (an institution by its code) in the city with an overlapping period, those the reader may open. */
  duplicates: { id: string; number: string; periodFrom: string; periodTo: string }[];
  /** The subject was named in at least REPEATED_PARTY_THRESHOLD clues: inspect more often. */
  repeatedParty: boolean;
  createdAt: string;
  allowedActions: ClueAction[];
  /** Every step taken on the clue, oldest first: in the view of one clue (read, created, advanced), not in lists. */
  steps?: ClueStepView[];
}

/** One recorded step of a clue: taken in (`receive`), assigned down (`assign`), or an action. */
export interface ClueStepView {
  seq: number;
  action: 'receive' | 'assign' | ClueAction;
  fromStatus: ClueStatus | null;
  toStatus: ClueStatus;
  actorId: string;
  agencyId: string | null;
  at: string;
  /** The written reasons or result; null, with `noteWithheld`, on the notice to a real-name reporter for anyone but the tip-off desk (it may name the reporter). */
  note: string | null;
  noteWithheld: boolean;
}

export const REPEATED_PARTY_THRESHOLD = 3;

/** Masks a resident ID number: first 6 and last 4 kept (620702********1234). */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return null;
  return id.length > 10 ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : '*'.repeat(id.length);
}
