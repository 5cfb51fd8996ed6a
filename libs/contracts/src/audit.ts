import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { DomainError } from './errors';
import { commandSubject, SERVICE_NAMES, ServiceName } from './services';

/**
 * The audit trail: every service keeps who did what, when and with which outcome in its own
 * `audit_log`, written in the transaction of the act. An agency's administrator reads what the
 * agency's officers did (`GET /audit`), the services' logs merged newest first.
 */
export const auditTrailSubject = (service: ServiceName) => commandSubject(service, 'audit_log', 'list');

/**
 * The service whose log records each reading of the trail (`audit_trail.read`, refusals too): one
 * entry a page, in the service that keeps the accounts, rather than one in each service asked.
 */
export const AUDIT_TRAIL_READS_RECORDED_BY: ServiceName = 'agencies';

/** The most entries one page of the audit trail holds. */
export const MAX_AUDIT_PAGE = 200;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** Which entries of the audit trail (`GET /audit`): each field given narrows them. */
export class AuditTrailQueryDto {
  @ApiPropertyOptional({ description: 'First day (Asia/Shanghai), inclusive', example: '2026-11-01' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'from must be a date, YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a date of the calendar' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day (Asia/Shanghai), inclusive', example: '2026-11-30' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'to must be a date, YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a date of the calendar' })
  to?: string;

  @ApiPropertyOptional({ description: 'An action (`clue.reveal_reporter`), or every action under a prefix ending in a dot (`clue.`)', example: 'officer.' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+)*\.?$/, { message: 'action must be an action name such as officer.create, or a prefix such as officer.' })
  @Length(1, 64)
  action?: string;

  @ApiPropertyOptional({ description: 'Only what this officer did' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be an officer’s id (a UUID)' })
  actorId?: string;

  @ApiPropertyOptional({ description: 'Only what was done to this record (its id, or the username of a sign-in)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  target?: string;

  @ApiPropertyOptional({ description: 'Only what one request did (its correlation id, as the X-Correlation-Id header and each entry say)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  correlationId?: string;

  @ApiPropertyOptional({ enum: ['succeeded', 'refused'] })
  @IsOptional()
  @IsIn(['succeeded', 'refused'], { message: 'outcome must be succeeded or refused' })
  outcome?: 'succeeded' | 'refused';

  @ApiPropertyOptional({ description: 'The `next` of the previous page: the entries older than its last' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'before must be the next cursor of a previous page' })
  before?: string;

  @ApiPropertyOptional({ description: `Entries per page (at most ${MAX_AUDIT_PAGE})`, example: 50 })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE)
  limit?: number;
}

/** What the gateway asks each service: the query, and how many entries to read (one more than the page, to know whether another follows). */
export class AuditTrailRequestDto extends AuditTrailQueryDto {
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE + 1)
  take: number;
}

/** One entry of the audit trail. */
export interface AuditEntryView {
  /** The service whose log holds it, and its id there. */
  service: ServiceName;
  id: string;
  /** When (ISO 8601, UTC, to the microsecond). */
  at: string;
  actorKind: string;
  actorId: string;
  action: string;
  target: string | null;
  outcome: 'succeeded' | 'refused';
  /** The request it belonged to: the same id runs through every service and event it touched. */
  correlationId: string | null;
  detail: Record<string, unknown>;
}

/** A page of the audit trail, newest first; `next` asks for the page after it (null: there is none). */
export interface AuditTrailPage {
  items: AuditEntryView[];
  next: string | null;
}

/** Where a page ends: entries older than this one come next. Written into `before` as base64url JSON. */
export interface AuditCursor {
  at: string;
  service: ServiceName;
  id: string;
}

/** The `next` cursor after an entry. */
export function encodeAuditCursor(entry: Pick<AuditEntryView, 'at' | 'service' | 'id'>): string {
  return Buffer.from(JSON.stringify({ at: entry.at, service: entry.service, id: entry.id } satisfies AuditCursor)).toString('base64url');
}

/** Reads a `before` cursor back; one that no page gave is a 400. */
export function decodeAuditCursor(before: string): AuditCursor {
  let cursor: Partial<AuditCursor> | null = null;
  try {
    cursor = JSON.parse(Buffer.from(before, 'base64url').toString('utf8'));
  } catch {
    cursor = null;
  }
  const valid =
    cursor !== null &&
    typeof cursor === 'object' &&
    typeof cursor.at === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(cursor.at) &&
    !Number.isNaN(Date.parse(cursor.at)) &&
    (SERVICE_NAMES as readonly unknown[]).includes(cursor.service) &&
    typeof cursor.id === 'string' &&
    /^[1-9]\d{0,18}$/.test(cursor.id);
  if (!valid) throw DomainError.validation([{ field: 'before', codes: ['auditCursor'], messages: ['before must be the next cursor of a previous page of the audit trail'] }]);
  return cursor as AuditCursor;
}
