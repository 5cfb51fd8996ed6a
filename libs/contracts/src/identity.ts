/** Who is acting: carried on every message so each service can authorise on its own. */

/** Kinds of agency, as the permission model knows them. */
export enum AgencyKind {
  /** 医疗保障局 */
  MEDICAL_INSURANCE = 'MEDICAL_INSURANCE',
  /** 公安局 */
  POLICE = 'POLICE',
  /** 人民检察院 */
  PROCURATORATE = 'PROCURATORATE',
  /** 人民法院 */
  COURT = 'COURT',
  /** 财政局 */
  FINANCE = 'FINANCE',
  /** 卫生健康委 */
  HEALTH = 'HEALTH',
  /** 市场监督管理局 */
  MARKET = 'MARKET',
  /** 纪检监察 */
  DISCIPLINE = 'DISCIPLINE',
  /** 领导小组办公室 */
  LEADING_GROUP_OFFICE = 'LEADING_GROUP_OFFICE',
}

export enum OfficerRole {
  /** 经办人 */
  OFFICER = 'officer',
  /** 负责人 */
  HEAD = 'head',
  /** 法制审核 */
  LEGAL_REVIEWER = 'legal_reviewer',
  ADMIN = 'admin',
  /** 举报受理 (tip-off desk) */
  COMPLAINT_HANDLER = 'complaint_handler',
}

export type ActorKind = 'officer' | 'institution' | 'system' | 'anonymous';

export interface Actor {
  kind: ActorKind;
  /** Officer id, institution account id, or the name of a system process. */
  id: string;
  agencyId?: string;
  agencyKind?: AgencyKind;
  /** GB/T 2260 code of the actor's jurisdiction. */
  regionCode?: string;
  roles?: OfficerRole[];
  /** For institution accounts: the institution they act for. */
  institutionId?: string;
  /** The sign-in session the request was made in (set by the gateway). */
  sessionId?: string;
}

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous', id: 'anonymous' }) as Actor;

export function systemActor(process: string): Actor {
  return { kind: 'system', id: process };
}

/** The context every command, query and event carries. */
export interface MessageContext {
  actor: Actor;
  correlationId: string;
}
