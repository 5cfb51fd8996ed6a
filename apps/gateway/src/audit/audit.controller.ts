import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditEntryView, AuditTrailPage, AuditTrailQueryDto, AuditTrailRequestDto, auditTrailSubject, decodeAuditCursor, encodeAuditCursor, SERVICE_NAMES } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';

/** The default page of the audit trail. */
const AUDIT_PAGE = 50;

/**
 * The audit trail of the caller's agency (its administrator only): what the agency's officers did
 * on the platform, with each refusal, from every service's log, newest first.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly rpc: RpcClient) {}

  /**
   * A page of the trail, narrowed by period, action, officer, record and outcome; `next` asks for
   * the page after it. Each service is asked for one entry more than the page, so that the page
   * knows whether another follows.
   */
  @Get()
  async list(@Query() q: AuditTrailQueryDto, @Req() req: FastifyRequest): Promise<AuditTrailPage> {
    if (q.before) decodeAuditCursor(q.before);
    const limit = q.limit ?? AUDIT_PAGE;
    const ctx = contextOf(req);
    const pages = await Promise.all(SERVICE_NAMES.map((service) => this.rpc.request<AuditEntryView[]>(auditTrailSubject(service), { ...q, take: limit + 1 } satisfies AuditTrailRequestDto, ctx)));
    const merged = pages.flat().sort(newestFirst);
    const items = merged.slice(0, limit);
    return { items, next: merged.length > limit ? encodeAuditCursor(items[items.length - 1]) : null };
  }
}

/** The trail's order: time, then service (as SERVICE_NAMES lists them, the later first), then id, each descending. */
function newestFirst(a: AuditEntryView, b: AuditEntryView): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.service !== b.service) return SERVICE_NAMES.indexOf(b.service) - SERVICE_NAMES.indexOf(a.service);
  return BigInt(a.id) < BigInt(b.id) ? 1 : BigInt(a.id) > BigInt(b.id) ? -1 : 0;
}
