import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
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
  after: number;
}

export class NotificationIdDto {
  @IsInt()
  @Min(1)
  id: number;
}

export class DeadLetterSeqDto {
  @IsInt()
  @Min(1)
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
  agencyId: string;
  createdAt: string;
  read: boolean;
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
