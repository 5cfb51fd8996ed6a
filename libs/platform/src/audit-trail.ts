import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEntryView, AuditTrailRequestDto, auditTrailSubject, MessageContext, ServiceName } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { readAuditTrail } from '@lianban/persistence';

/** What a service answers the gateway's `GET /audit`: a page of its own audit log, for the caller's agency. */
export function auditTrailResponder(service: ServiceName) {
  @Injectable()
  class AuditTrailResponder {
    constructor(@InjectDataSource() private readonly ds: DataSource) {}

    @RpcHandler(auditTrailSubject(service), { dto: AuditTrailRequestDto })
    list(q: AuditTrailRequestDto, ctx: MessageContext): Promise<AuditEntryView[]> {
      return readAuditTrail(this.ds.manager, service, q, ctx.actor, q.take);
    }
  }
  return AuditTrailResponder;
}
