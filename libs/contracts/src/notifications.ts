import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsInt, IsObject, IsOptional, IsUrl, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { Actor } from './identity';
import { commandSubject, SUBJECT_ROOT } from './services';

export const NotificationSubjects = {
  inbox: commandSubject('notifications', 'inbox', 'list'),
  since: commandSubject('notifications', 'inbox', 'since'),
  markRead: commandSubject('notifications', 'inbox', 'mark_read'),
  markAllRead: commandSubject('notifications', 'inbox', 'mark_all_read'),
  deadLetters: commandSubject('notifications', 'dead_letter', 'list'),
  replayDeadLetter: commandSubject('notifications', 'dead_letter', 'replay'),
} as const;

/** Core NATS subject the notifications service pings after committing new items for an agency. */
export function notificationSignalSubject(agencyId: string): string {
  return `${SUBJECT_ROOT}.notifications.signal.${agencyId}`;
}

/** The same for an institution's inbox (its portal accounts'). */
export function institutionNotificationSignalSubject(institutionId: string): string {
  return `${SUBJECT_ROOT}.notifications.signal.institution.${institutionId}`;
}

/** The signal subject of the inbox an actor reads: its institution's for an institution account, else its agency's. */
export function inboxSignalSubject(actor: Actor): string {
  return actor.kind === 'institution' ? institutionNotificationSignalSubject(actor.institutionId ?? 'none') : notificationSignalSubject(actor.agencyId ?? 'none');
}

export class InboxQueryDto {
  @ApiPropertyOptional({ description: 'Only unread items' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ description: 'Only this kind, e.g. transfer.sent or clock.overdue' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/)
  kind?: string;

  @ApiPropertyOptional({ description: 'Page: items older than this id' })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class SinceDto {
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after: number;
}

export class NotificationIdDto {
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  id: number;
}

export class DeadLetterSeqDto {
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  seq: number;
}

export interface NotificationView {
  /** Increasing: the id of a server-sent event, so a reconnecting client resumes after it. */
  id: number;
  kind: string;
  /** overdue items break through quiet hours. */
  priority: 'normal' | 'high';
  title: string;
  body: string;
  /** Path of the record in the console, e.g. /transfers/<id>. */
  link: string;
  /** The agency it is addressed to; null for an item addressed to an institution. */
  agencyId: string | null;
  /** The institution it is addressed to (news of its own ledgers, read by its portal accounts); null for agency items. */
  institutionId: string | null;
  createdAt: string;
  read: boolean;
}

export const PreferenceSubjects = {
  get: commandSubject('notifications', 'preference', 'get'),
  update: commandSubject('notifications', 'preference', 'update'),
} as const;

export class QuietHoursDto {
  @ApiProperty({ example: '22:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be a time like 22:00' })
  start: string;

  @ApiProperty({ example: '07:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'end must be a time like 07:00' })
  end: string;
}

/**
 * What an officer is told, and how. Muted kinds and quiet hours (Asia/Shanghai) hold back the live
 * stream, email and the digest, never an overdue item; the inbox itself always keeps everything.
 */
export class PreferencesDto {
  @ApiProperty({ example: ['transfer.receipted'] })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, { each: true })
  mutedKinds: string[];

  @ApiPropertyOptional({ example: 'zhang.san@ylbz.zhangye.gov.cn' })
  @IsOptional()
  @IsEmail()
  email?: string | null;

  @ApiProperty()
  @IsBoolean()
  emailEnabled: boolean;

  @ApiProperty({ description: 'A daily summary of unread items by email' })
  @IsBoolean()
  digestEnabled: boolean;

  @ApiPropertyOptional({ type: QuietHoursDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;
}

export const WebhookSubjects = {
  create: commandSubject('notifications', 'webhook', 'create'),
  list: commandSubject('notifications', 'webhook', 'list'),
  disable: commandSubject('notifications', 'webhook', 'disable'),
} as const;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://oa.example.gov.cn/hooks/lianban', description: 'Where the agency’s own office system takes deliveries (http or https).' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(500)
  url: string;

  @ApiPropertyOptional({ example: ['transfer.sent', 'clock.overdue'], description: 'Only these kinds; all when empty.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, { each: true })
  kinds?: string[];
}

export interface WebhookView {
  id: string;
  url: string;
  kinds: string[];
  createdAt: string;
  /** Shown once, when the webhook is created: the receiver verifies signatures with it. */
  secret?: string;
}

/** The most dead letters one call lists. */
export const MAX_DEAD_LETTER_PAGE = 200;

/** Which page of the dead letters: `?after=<seq of the last one seen>&limit=100`, oldest first. */
export class DeadLetterQueryDto {
  @ApiPropertyOptional({ description: 'Page: dead letters after this sequence (the last `seq` of the previous page); 0 or absent from the oldest', example: 0 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ description: `Dead letters per page (at most ${MAX_DEAD_LETTER_PAGE})`, default: 100 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(MAX_DEAD_LETTER_PAGE)
  limit?: number;
}
