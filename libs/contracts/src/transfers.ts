import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { AttachmentDto } from './clue-transfer';
import { commandSubject } from './services';

export const TransferSubjects = {
  draft: commandSubject('clue-transfer', 'transfer', 'draft'),
  act: commandSubject('clue-transfer', 'transfer', 'act'),
  list: commandSubject('clue-transfer', 'transfer', 'list'),
  get: commandSubject('clue-transfer', 'transfer', 'get'),
  procedures: commandSubject('clue-transfer', 'procedure', 'list'),
} as const;

/** Every route one agency hands a matter to another by. */
export const TRANSFER_ROUTES = [
  /** 医保 → 公安: suspected crime (行刑衔接) */
  'mi_to_police',
  /** 公安 → 医保: reverse transfer for administrative penalty (反向移送) */
  'police_to_mi',
  'mi_to_health',
  'mi_to_market',
  'mi_to_discipline',
  /** any agency → 医保 */
  'agency_to_mi',
  /** any other agency → 纪委监委: clues of corruption found in its own work (各部门移交涉嫌腐败问题线索) */
  'agency_to_discipline',
] as const;
export type TransferRoute = (typeof TRANSFER_ROUTES)[number];

export const TRANSFER_STATES = [
  'drafted',
  'awaiting_approval',
  'approved',
  /** 不予批准 */
  'rejected',
  'sent',
  'received',
  /** 立案 */
  'filed',
  /** 不予立案 */
  'declined',
  /** 提请复议 */
  'reconsideration_requested',
  /** 复议维持不立案 */
  'reconsideration_upheld',
  /** 建议检察院立案监督 */
  'supervision_requested',
  /** 立案监督: 要求说明不立案理由 */
  'under_supervision',
  'explanation_given',
  /** 通知立案 */
  'filing_ordered',
  /** 不立案终结, administrative handling */
  'not_filed_final',
  /** 移交涉案物品及材料 */
  'handed_over',
  /** 移送审查起诉 */
  'prosecution_review',
  /** 撤案 */
  'investigation_closed',
  /** 提起公诉 */
  'prosecuted',
  /** 不起诉 */
  'not_prosecuted',
  /** 判决 */
  'judged',
  /** Non-criminal routes: feedback given */
  'concluded',
] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

/**
 * The states before a transfer is sent (起草, 待负责人审批, 已批准未移送, 不予批准): until the
 * `send` step it is the sending agency's internal business, and no other agency reads it.
 */
export const UNSENT_TRANSFER_STATES = ['drafted', 'awaiting_approval', 'approved', 'rejected'] as const satisfies readonly TransferState[];

export const TRANSFER_ACTIONS = [
  'submit',
  'approve',
  'reject',
  'send',
  'receipt',
  'forward',
  'file',
  'decline',
  'request_reconsideration',
  'uphold_decline',
  'request_supervision',
  'open_supervision',
  'explain',
  'accept_explanation',
  'order_filing',
  'accept_decline',
  'hand_over',
  'refer_for_prosecution',
  'close_investigation',
  'prosecute',
  'not_prosecute',
  'record_judgment',
  'give_feedback',
] as const;
export type TransferAction = (typeof TRANSFER_ACTIONS)[number];

/**
 * Which side of a transfer acts: the sending agency, the current receiver, the procuratorate
 * (statutory copy: it supervises the filing), the prosecutor (the procuratorate over the police
 * that investigated, which reviews for prosecution), or the court.
 */
export type TransferParty = 'sender' | 'receiver' | 'procuratorate' | 'prosecutor' | 'court';

export class DraftTransferDto {
  @ApiProperty({ enum: TRANSFER_ROUTES })
  @IsIn(TRANSFER_ROUTES)
  route: TransferRoute;

  @ApiProperty({ description: 'The agency the matter goes to' })
  @IsUUID()
  receiverAgencyId: string;

  @ApiPropertyOptional({ description: 'The clue the transfer comes from' })
  @IsOptional()
  @IsUUID()
  clueId?: string;

  @ApiPropertyOptional({ description: 'The administrative case the transfer comes from (cases service); its outcome is reported back to the case' })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiProperty({ example: '张掖康泰医院涉嫌虚构医药服务项目骗取医保基金案' })
  @IsString()
  @Length(4, 200)
  title: string;

  @ApiProperty({ description: 'The written transfer report / summary of the facts (移送案件的报告)' })
  @IsString()
  @Length(10, 20000)
  summary: string;

  @ApiPropertyOptional({ description: 'The officers who investigated and wrote the report (at least two for a transfer to police), the drafter included' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  teamOfficerIds?: string[];
}

export class TransferStepDto {
  @ApiProperty({ enum: TRANSFER_ACTIONS })
  @IsIn(TRANSFER_ACTIONS)
  action: TransferAction;

  @ApiPropertyOptional({ description: 'Document number of the step (文号), e.g. 张医保移〔2026〕3号' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  documentNumber?: string;

  @ApiPropertyOptional({ description: 'Reasons, opinion or result in words (required where the law asks for written reasons)' })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  note?: string;

  @ApiPropertyOptional({ description: 'With `forward`: the competent police agency' })
  @IsOptional()
  @IsUUID()
  toAgencyId?: string;

  @ApiPropertyOptional({ description: 'With `prosecute`: the court the case goes to' })
  @IsOptional()
  @IsUUID()
  courtAgencyId?: string;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

export class TransferStepRequestDto extends TransferStepDto {
  @IsUUID()
  id: string;
}

export interface TransferStepView {
  seq: number;
  action: TransferAction | 'draft';
  fromState: TransferState | null;
  toState: TransferState;
  actorId: string;
  agencyId: string;
  at: string;
  documentNumber: string | null;
  note: string | null;
  attachments: { name: string; sha256: string }[];
  /** SM3 over the previous step's digest and this step: the record cannot change unnoticed. */
  digest: string;
}

export interface ClockView {
  step: string;
  label: string;
  startedAt: string;
  dueAt: string;
  stoppedAt: string | null;
  /** due: the deadline falls today (Shanghai) and has not passed. */
  status: 'running' | 'due_soon' | 'due' | 'overdue' | 'stopped' | 'paused';
  escalatedTo: string[];
  /** Set while the clock is paused (time that does not count, e.g. a hearing). */
  pausedSince?: string | null;
  /** Closed pauses, each taken out of the count. */
  pauses?: { from: string; to: string }[];
}

export interface TransferView {
  id: string;
  number: string;
  route: TransferRoute;
  state: TransferState;
  title: string;
  summary: string;
  clueId: string | null;
  caseId: string | null;
  senderAgencyId: string;
  receiverAgencyId: string;
  procuratorateAgencyId: string | null;
  /** The procuratorate over the investigating police, once the case was referred for prosecution. */
  prosecutorAgencyId: string | null;
  courtAgencyId: string | null;
  regionCode: string;
  drafterId: string;
  teamOfficerIds: string[];
  createdAt: string;
  steps: TransferStepView[];
  /** Whether the stored steps still match their digest chain. */
  stepsVerified: boolean;
  clocks: ClockView[];
  /** What the caller may do next. */
  allowedActions: TransferAction[];
}
