import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { CLUE_SOURCES, CLUE_STATUSES, ClueSource, ClueStatus } from './clue-transfer';
import { DomainError } from './errors';
import { TRANSFER_ROUTES, TRANSFER_STATES, TransferRoute, TransferState } from './transfers';

/** The largest page a list answers with. */
export const MAX_PAGE_SIZE = 200;

/** Which page of a list, by number: `?page=1&pageSize=20` (every list paged by number takes these). */
export class PageNumberDto {
  @ApiPropertyOptional({ description: 'Page number, from 1', example: 1 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ description: `Items per page (at most ${MAX_PAGE_SIZE})`, example: 20 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}

/**
 * Server-side paging, sorting and search of a list: `?page=1&pageSize=20&sort=-createdAt&q=康泰`.
 * A list asked without `page` or `pageSize` answers as it always did (an array of the latest 500).
 */
export class ListQueryDto extends PageNumberDto {
  @ApiPropertyOptional({ description: 'A sort key, `-` first for descending, e.g. -createdAt' })
  @IsOptional()
  @Matches(/^-?[a-zA-Z]{1,40}$/, { message: 'sort must be a field name, with - in front for descending' })
  sort?: string;

  @ApiPropertyOptional({ description: 'Search words (number, title or subject)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/** One page of a list, and how many items the whole list holds. */
export interface Page<T> {
  items: T[];
  total: number;
  /** Which page this is and its size (clues, transfers, campaigns and ledgers say so). */
  page?: number;
  pageSize?: number;
}

/** Whether the caller asked for a page (and so gets `Page<T>`, not the plain array). */
export function wantsPage(q: ListQueryDto): boolean {
  return q.page !== undefined || q.pageSize !== undefined;
}

/** The page asked for (page 1 of 20 unless the query says otherwise) and how many rows come before it. */
export function pageOf(q: PageNumberDto): { page: number; pageSize: number; offset: number } {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/**
 * `ORDER BY` for a list's sort key (`-` in front for descending, ties broken by `id`), the fallback
 * without one, or a 400 on `sort` that names the keys the list knows.
 */
export function sortOrder(sort: string | undefined, columns: Record<string, string>, fallback: string): string {
  if (!sort) return fallback;
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  // Own keys only: `constructor` or `__proto__` would otherwise find Object.prototype's.
  const column = Object.hasOwn(columns, key) ? columns[key] : undefined;
  if (!column) throw DomainError.validation([{ field: 'sort', messages: [`sort must be one of ${Object.keys(columns).join(', ')}, with - in front for descending`] }]);
  return `${column} ${desc ? 'DESC' : 'ASC'}, id`;
}

/** A LIKE pattern that matches the words literally (%, _ and \ escaped). */
export function likePattern(q: string): string {
  return `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The query of GET /transfers: states (comma-separated), route, and paging. */
export class ListTransfersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'One state or several, comma-separated', example: 'sent,received' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsIn(TRANSFER_STATES, { each: true, message: `state must be one of ${TRANSFER_STATES.join(', ')}` })
  state?: TransferState[];

  @ApiPropertyOptional({ enum: TRANSFER_ROUTES })
  @IsOptional()
  @IsIn(TRANSFER_ROUTES)
  route?: TransferRoute;

  @ApiPropertyOptional({ description: 'true: only the transfers on which the caller may take a step now (those with allowedActions)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'mayAct must be true or false' })
  mayAct?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Only the transfers this agency sent, e.g. the caller\'s own' })
  @IsOptional()
  @IsUUID()
  sentBy?: string;

  @ApiPropertyOptional({ description: 'Only the transfers this agency is the receiver of now (after a forwarding, the police it was forwarded to)' })
  @IsOptional()
  @IsUUID()
  receivedBy?: string;
}

/** The query of GET /clues: statuses and sources (comma-separated), and paging. */
export class ListCluesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'One status or several, comma-separated', example: 'received,triaged' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsIn(CLUE_STATUSES, { each: true, message: `status must be one of ${CLUE_STATUSES.join(', ')}` })
  status?: ClueStatus[];

  @ApiPropertyOptional({ description: 'One source or several, comma-separated' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsIn(CLUE_SOURCES, { each: true, message: `source must be one of ${CLUE_SOURCES.join(', ')}` })
  source?: ClueSource[];

  @ApiPropertyOptional({ description: 'Only the clues this bureau assigned down (交办), e.g. the caller\'s own agency' })
  @IsOptional()
  @IsUUID()
  assignedBy?: string;
}
