import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AUDIT_TRAIL_READS_RECORDED_BY, AuditEntryView, AuditTrailRequestDto, auditTrailSubject, DomainError, MessageContext, ServiceName } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { audit, readAuditTrail } from '@lianban/persistence';

/**
 * What a service answers the gateway's `GET /audit`: a page of its own audit log, for the caller's
 * agency. The service named by AUDIT_TRAIL_READS_RECORDED_BY also records the reading, after it
 * (so the page does not hold itself) and before answering (so no page leaves unrecorded), with the
 * query asked; a refusal is recorded too.
 */
export function auditTrailResponder(service: ServiceName) {
  const recordsReads = service === AUDIT_TRAIL_READS_RECORDED_BY;

  @Injectable()
  class AuditTrailResponder {
    constructor(@InjectDataSource() private readonly ds: DataSource) {}

    @RpcHandler(auditTrailSubject(service), { dto: AuditTrailRequestDto })
    async list(q: AuditTrailRequestDto, ctx: MessageContext): Promise<AuditEntryView[]> {
      if (!recordsReads) return readAuditTrail(this.ds.manager, service, q, ctx.actor, q.take);
      const { take, ...query } = q;
      const reading = { actor: ctx.actor, action: 'audit_trail.read', detail: { query } };
      let entries: AuditEntryView[];
      try {
        entries = await readAuditTrail(this.ds.manager, service, q, ctx.actor, take);
      } catch (e) {
        if (e instanceof DomainError && e.status === 403) await audit(this.ds.manager, { ...reading, outcome: 'refused' });
        throw e;
      }
      await audit(this.ds.manager, { ...reading, outcome: 'succeeded' });
      return entries;
    }
  }
  return AuditTrailResponder;
}
