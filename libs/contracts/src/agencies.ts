import { ApiProperty } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsIP, IsISO8601, IsNotEmpty, IsOptional, IsString, IsStrongPassword, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Actor, AgencyKind, OfficerRole } from './identity';
import { commandSubject } from './services';

/** Subjects the agencies service answers. */
export const AgenciesSubjects = {
  login: commandSubject('agencies', 'session', 'create'),
  refresh: commandSubject('agencies', 'session', 'refresh'),
  logout: commandSubject('agencies', 'session', 'revoke'),
  verifySession: commandSubject('agencies', 'session', 'verify'),
  /** The signed-in account chooses a new password (required after a temporary one). */
  changePassword: commandSubject('agencies', 'password', 'change'),
  listRegions: commandSubject('agencies', 'region', 'list'),
  listAgencies: commandSubject('agencies', 'agency', 'list'),
  getAgency: commandSubject('agencies', 'agency', 'get'),
  listOfficers: commandSubject('agencies', 'officer', 'list'),
  /** Names only, of the officers of every agency the caller's directory shows: for naming who signed a step. */
  listOfficerNames: commandSubject('agencies', 'officer_name', 'list'),
  disableOfficer: commandSubject('agencies', 'officer', 'disable'),
  /** The agency's administrator lets a disabled officer back in, with a new temporary password. */
  enableOfficer: commandSubject('agencies', 'officer', 'enable'),
  /** The agency's administrator changes how other agencies reach it: telephone and address. */
  updateAgencyContacts: commandSubject('agencies', 'agency', 'update_contacts'),
  /** The agency's administrator corrects how an officer's name is written (the steps they signed show it). */
  renameOfficer: commandSubject('agencies', 'officer', 'rename'),
  /** The agency's administrator gives an officer of the agency their roles (all of them, replacing the old). */
  setOfficerRoles: commandSubject('agencies', 'officer', 'set_roles'),
  /** The agency's administrator opens an account for a new officer of the agency, with a temporary password. */
  createOfficer: commandSubject('agencies', 'officer', 'create'),
  /** The agency's administrator gives an officer a new temporary password (forgotten, or locked out). */
  resetOfficerPassword: commandSubject('agencies', 'officer', 'reset_password'),
  /** Service-to-service: the public directory entry of any agency (for routing transfers). */
  resolveAgency: commandSubject('agencies', 'agency', 'resolve'),
  /** Service-to-service: the agency of a kind in a region (e.g. the procuratorate that gets the copy). */
  findAgency: commandSubject('agencies', 'agency', 'find'),
  /** Service-to-service: the active officers of an agency holding a role (e.g. whom a case step waits for). */
  findOfficers: commandSubject('agencies', 'officer', 'find'),
} as const;

export class FindOfficersDto {
  @IsUUID()
  agencyId: string;

  @IsIn(Object.values(OfficerRole))
  role: OfficerRole;
}

export class FindAgencyDto {
  @IsIn(Object.values(AgencyKind))
  kind: AgencyKind;

  @Matches(/^[1-9]\d{5}$/)
  regionCode: string;
}

/** Usernames: what sign-in accepts and what an administrator (or the directory tool) may give a new account. */
export function Username(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(3, 64)(target, key);
    Matches(/^[a-z0-9._-]+$/, { message: 'username may contain lower-case letters, digits, dot, dash and underscore' })(target, key);
  };
}

/** An officer's name as colleagues see it on the steps they sign. */
export function DisplayName(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(1, 64)(target, key);
    Matches(/\S/, { message: `${String(key)} must not be blank` })(target, key);
  };
}

/** A telephone number as agencies publish theirs (0936-12393, +86 931 8888888, 12393). */
export function ContactPhone(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Matches(/^[0-9+\-() ]{5,30}$/, { message: `${String(key)} may contain digits, spaces, +, - and brackets (5 to 30 characters)` })(target, key);
  };
}

/** A postal address written by hand: not blank, no spaces around it, at most 200 characters. */
export function ContactAddress(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(1, 200)(target, key);
    Matches(/^\S(.*\S)?$/, { message: `${String(key)} must not be blank nor start or end with spaces` })(target, key);
  };
}

/**
 * How other agencies reach an agency, as its administrator keeps it. A field left out stays as it
 * is; `null` removes it.
 */
export class AgencyContactsDto {
  @ApiProperty({ required: false, nullable: true, example: '0936-8212393' })
  @IsOptional()
  @ContactPhone()
  contactPhone?: string | null;

  @ApiProperty({ required: false, nullable: true, example: '甘肃省张掖市甘州区县府街 32 号' })
  @IsOptional()
  @ContactAddress()
  contactAddress?: string | null;
}

export class UpdateAgencyContactsDto extends AgencyContactsDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

export class LoginDto {
  @ApiProperty({ example: 'zhangye-mi-officer' })
  @Username()
  username: string;

  @ApiProperty({ example: 'Lianban@2026' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;
}

/** What the gateway forwards to the agencies service: the credentials and where they came from. */
export class LoginRequestDto extends LoginDto {
  @IsOptional()
  @IsIP()
  clientIp?: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  refreshToken: string;
}

/** Sent by the gateway on every authenticated request: is this session still good? */
export class VerifySessionDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sessionId: string;
}

export class IdDto {
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

/** An officer's roles, all of them: what the account may do from its next sign-in. */
export class OfficerRolesDto {
  @ApiProperty({ enum: OfficerRole, isArray: true, example: [OfficerRole.OFFICER, OfficerRole.LEGAL_REVIEWER] })
  @IsArray()
  @ArrayNotEmpty({ message: 'an officer holds at least one role' })
  @ArrayUnique({ message: 'each role is given once' })
  @IsIn(Object.values(OfficerRole), { each: true, message: `each role must be one of ${Object.values(OfficerRole).join(', ')}` })
  roles: OfficerRole[];
}

export class SetOfficerRolesDto extends OfficerRolesDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

/** An officer's name as the administrator corrects it; spaces around it are dropped. */
export class OfficerNameDto {
  @ApiProperty({ example: '王敏' })
  @DisplayName()
  displayName: string;
}

export class RenameOfficerDto extends OfficerNameDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

/** A new officer of the administrator's own agency: the account starts with a temporary password. */
export class CreateOfficerDto extends OfficerRolesDto {
  @ApiProperty({ example: 'zhangye-mi-wang' })
  @Username()
  username: string;

  @ApiProperty({ example: '王敏' })
  @DisplayName()
  displayName: string;
}

/**
 * The rules a chosen password follows (等保 2.0 password complexity): at least 10 characters with
 * upper- and lower-case letters and digits. The service also refuses one that contains the
 * username or repeats the current password.
 */
export const PASSWORD_MIN_LENGTH = 10;

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ example: 'Gansu#Zhangye2026', description: `At least ${PASSWORD_MIN_LENGTH} characters, with upper- and lower-case letters and digits; not containing the username.` })
  @MaxLength(128)
  @IsStrongPassword(
    { minLength: PASSWORD_MIN_LENGTH, minLowercase: 1, minUppercase: 1, minNumbers: 1, minSymbols: 0 },
    { message: `newPassword must have at least ${PASSWORD_MIN_LENGTH} characters, with upper- and lower-case letters and digits` },
  )
  newPassword: string;
}

/** What the gateway forwards: the passwords and where the request came from. */
export class ChangePasswordRequestDto extends ChangePasswordDto {
  @IsOptional()
  @IsIP()
  clientIp?: string;
}

/**
 * A temporary password, said once: to the administrator who opened or reset the account, to hand
 * to its holder, who must choose their own at the first sign-in. It stops working at `expiresAt`.
 */
export interface TemporaryPasswordView {
  temporaryPassword: string;
  expiresAt: string;
}

export interface NewOfficerCredentialsView extends TemporaryPasswordView {
  officer: OfficerView;
}

/** Who signed in, as the console shows it. */
export interface Principal extends Actor {
  username: string;
  displayName: string;
  agencyName?: string;
  institutionName?: string;
  /**
   * Signed in with a temporary password: until a new one is chosen (`POST /auth/password`) the
   * session may do nothing else.
   */
  passwordChangeRequired?: boolean;
}

export interface SessionTokens {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  principal: Principal;
}

/** Claims of the access token (JWT). */
export interface AccessClaims {
  sub: string;
  sid: string;
  kind: Actor['kind'];
  agencyId?: string;
  agencyKind?: AgencyKind;
  regionCode?: string;
  roles?: OfficerRole[];
  institutionId?: string;
  /** Present (true) while the account must choose a new password: the gateway lets it do nothing else. */
  pwc?: true;
}

export interface RegionView {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district';
  parentCode: string | null;
}

export interface AgencyView {
  id: string;
  kind: AgencyKind;
  name: string;
  regionCode: string;
  parentId: string | null;
  contactPhone: string | null;
  contactAddress: string | null;
}

export interface OfficerView {
  id: string;
  username: string;
  displayName: string;
  agencyId: string;
  roles: OfficerRole[];
  disabled: boolean;
}

/**
 * An officer as another agency may see them: who signed a step of a shared transfer or case.
 * Only the name and the agency: no username, roles, account state or contact data.
 */
export interface OfficerNameView {
  id: string;
  displayName: string;
  agencyId: string;
}

export const InstitutionSubjects = {
  list: commandSubject('agencies', 'institution', 'list'),
  get: commandSubject('agencies', 'institution', 'get'),
  create: commandSubject('agencies', 'institution', 'create'),
  changeAgreement: commandSubject('agencies', 'institution', 'change_agreement'),
  listLeadingGroups: commandSubject('agencies', 'leading_group', 'list'),
  findDesignated: commandSubject('agencies', 'institution', 'find_designated'),
  /** The bureau opens the institution's portal account, or gives it a new temporary password. */
  issueAccount: commandSubject('agencies', 'institution_account', 'issue'),
} as const;

/** An institution's portal account and its temporary password, said once to the bureau that issued it. */
export interface InstitutionAccountView extends TemporaryPasswordView {
  username: string;
}

export const INSTITUTION_KINDS = ['hospital', 'pharmacy'] as const;

/**
 * For the platform's services only: the designated institutions (service agreement active or
 * suspended) of some kinds in a region, a city's districts included; their ids, by code.
 */
export class FindDesignatedInstitutionsDto {
  @Matches(/^[1-9]\d{5}$/)
  regionCode: string;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(INSTITUTION_KINDS, { each: true })
  kinds: (typeof INSTITUTION_KINDS)[number][];
}
export const OWNERSHIPS = ['public', 'private'] as const;
export const INSTITUTION_LEVELS = ['3', '2', '1_or_below'] as const;
/** 协议状态: 正常 / 暂停 / 解除 / 因欺诈骗保解除 (no new agreement for 3 years). */
export const AGREEMENT_STATUSES = ['active', 'suspended', 'terminated', 'terminated_for_fraud'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];
/**
 * The agreements under which an institution counts as designated (定点): it takes part in
 * campaigns, files self-inspection ledgers and is counted in Annex 4. A suspended agreement still
 * binds it; a terminated one does not.
 */
export const DESIGNATED_AGREEMENT_STATUSES: readonly AgreementStatus[] = ['active', 'suspended'];

/** Years a party whose agreement was terminated for fraud may not sign a new one. */
export const FRAUD_AGREEMENT_BLOCK_YEARS = 3;

export class CreateInstitutionDto {
  @ApiProperty({ example: 'H62070200013', description: '`H` + 6-digit region code + 5-digit sequence' })
  @Matches(/^H[1-9]\d{10}$/, { message: 'code must be H, the 6-digit region code and a 5-digit sequence (e.g. H62070200013)' })
  code: string;

  @ApiProperty({ example: '甘州区某某诊所' })
  @IsString()
  @Length(2, 100)
  name: string;

  @ApiProperty({ enum: INSTITUTION_KINDS })
  @IsIn(INSTITUTION_KINDS)
  kind: (typeof INSTITUTION_KINDS)[number];

  @ApiProperty({ enum: OWNERSHIPS })
  @IsIn(OWNERSHIPS)
  ownership: (typeof OWNERSHIPS)[number];

  @ApiProperty({ enum: INSTITUTION_LEVELS })
  @IsIn(INSTITUTION_LEVELS)
  level: (typeof INSTITUTION_LEVELS)[number];
}

export class ChangeAgreementDto {
  @ApiProperty({ enum: AGREEMENT_STATUSES })
  @IsIn(AGREEMENT_STATUSES)
  status: AgreementStatus;

  @ApiProperty({ example: '2026-11-23', description: 'The date the change takes effect (Asia/Shanghai calendar date).' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveDate must be a date like 2026-11-23' })
  effectiveDate: string;

  @ApiProperty({ example: '违反服务协议，经查实存在串换药品行为', description: 'Reason or decision reference, kept on file.' })
  @IsString()
  @Length(2, 500)
  reason: string;
}

/** What the services receive: the body plus the institution it is about. */
export class ChangeAgreementRequestDto extends ChangeAgreementDto {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id: string;
}

export interface InstitutionView {
  id: string;
  code: string;
  name: string;
  kind: (typeof INSTITUTION_KINDS)[number];
  ownership: (typeof OWNERSHIPS)[number];
  level: (typeof INSTITUTION_LEVELS)[number];
  regionCode: string;
  agreementStatus: AgreementStatus;
  agreementStatusSince: string;
  /** Set while a fraud termination forbids a new agreement. */
  newAgreementBlockedUntil: string | null;
  /** The statuses the agreement may change to from this one (a new one after a fraud termination only from newAgreementBlockedUntil). */
  agreementNext: AgreementStatus[];
  /** The institution's self-inspection portal account: not opened yet, usable, or disabled. */
  portalAccount: 'none' | 'active' | 'disabled';
}

export interface LeadingGroupView {
  id: string;
  name: string;
  regionCode: string;
  officeAgencyId: string | null;
  members: { agencyId: string; agencyName: string; position: 'leader' | 'deputy_leader' | 'member'; title: string }[];
}
