import { ApiProperty } from '@nestjs/swagger';
import { IsIP, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { Actor, AgencyKind, OfficerRole } from './identity';
import { commandSubject } from './services';

/** Subjects the agencies service answers. */
export const AgenciesSubjects = {
  login: commandSubject('agencies', 'session', 'create'),
  refresh: commandSubject('agencies', 'session', 'refresh'),
  logout: commandSubject('agencies', 'session', 'revoke'),
  verifySession: commandSubject('agencies', 'session', 'verify'),
  listRegions: commandSubject('agencies', 'region', 'list'),
  listAgencies: commandSubject('agencies', 'agency', 'list'),
  getAgency: commandSubject('agencies', 'agency', 'get'),
  listOfficers: commandSubject('agencies', 'officer', 'list'),
  disableOfficer: commandSubject('agencies', 'officer', 'disable'),
} as const;

export class LoginDto {
  @ApiProperty({ example: 'zhangye-mi-officer' })
  @IsString()
  @Length(3, 64)
  @Matches(/^[a-z0-9._-]+$/, { message: 'username may contain lower-case letters, digits, dot, dash and underscore' })
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

/** Who signed in, as the console shows it. */
export interface Principal extends Actor {
  username: string;
  displayName: string;
  agencyName?: string;
  institutionName?: string;
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
}

export interface OfficerView {
  id: string;
  username: string;
  displayName: string;
  agencyId: string;
  roles: OfficerRole[];
  disabled: boolean;
}
