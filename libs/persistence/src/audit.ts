import { EntityManager } from 'typeorm';
import { Actor, AuditEntryView, AuditTrailQueryDto, decodeAuditCursor, DomainError, ErrorCode, SERVICE_NAMES, ServiceName } from '@lianban/contracts';
import { defineAbilityFor, sqlFilter } from '@lianban/authz';
import { currentContext } from '@lianban/messaging';

export interface AuditEntry {
  actor: Actor;
  action: string;
  target?: string;
  outcome: 'succeeded' | 'refused';
  detail?: Record<string, unknown>;
}

/** Who did what, when, with which outcome: written in the same transaction as the act. */
export async function audit(m: EntityManager, e: AuditEntry): Promise<void> {
  await m.query(
    `INSERT INTO audit_log (actor_kind, actor_id, agency_id, action, target, outcome, correlation_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.actor.kind, e.actor.id, e.actor.agencyId ?? null, e.action, e.target ?? null, e.outcome, currentContext()?.correlationId ?? null, e.detail ?? {}],
  );
}

/** The refusals a step's audit keeps: not allowed, not there (or not the caller's to see), not possible now. */
const REFUSED = new Set([403, 404, 409]);

/**
 * Runs a step in its own transaction and, when it is refused, records the refusal once that
 * transaction has rolled back: who tried which step on which record, and the answer (status, code).
 * A refusal is kept even though nothing else of the step is. Input errors (400) are not refusals.
 */
export async function auditRefusals<T>(m: EntityManager, entry: Omit<AuditEntry, 'outcome' | 'detail'>, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof DomainError && REFUSED.has(e.status)) {
      await audit(m, { ...entry, outcome: 'refused', detail: { status: e.status, code: e.code } });
    }
    throw e;
  }
}

/**
 * A page of this service's audit log as `GET /audit` asks for it: the entries of the caller's
 * agency (the AuditLog rule: an agency's administrator), narrowed by the query, newest first, and
 * after the cursor in the order the gateway merges the services' pages in: time, then service,
 * then id, each descending.
 */
export async function readAuditTrail(m: EntityManager, service: ServiceName, q: AuditTrailQueryDto, actor: Actor, limit: number): Promise<AuditEntryView[]> {
  const filter = sqlFilter(defineAbilityFor(actor), 'read', 'AuditLog', { agencyId: 'agency_id' });
  if (!filter) throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only an agency’s administrator reads its audit trail.');
  const params = [...filter.params];
  const param = (v: unknown) => `$${params.push(v)}`;
  const where = [filter.sql];
  if (q.from) where.push(`at >= (${param(q.from)}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
  if (q.to) where.push(`at < (${param(q.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
  if (q.action?.endsWith('.')) where.push(`starts_with(action, ${param(q.action)})`);
  else if (q.action) where.push(`action = ${param(q.action)}`);
  if (q.actorId) where.push(`actor_id = ${param(q.actorId)}`);
  if (q.target) where.push(`target = ${param(q.target)}`);
  if (q.correlationId) where.push(`correlation_id = ${param(q.correlationId)}`);
  if (q.outcome) where.push(`outcome = ${param(q.outcome)}`);
  if (q.before) {
    const cursor = decodeAuditCursor(q.before);
    const at = `${param(cursor.at)}::timestamptz`;
    // Entries of the same instant come in the order of SERVICE_NAMES, later services first.
    const order = SERVICE_NAMES.indexOf(service) - SERVICE_NAMES.indexOf(cursor.service);
    where.push(order < 0 ? `at <= ${at}` : order > 0 ? `at < ${at}` : `(at, id) < (${at}, ${param(cursor.id)}::bigint)`);
  }
  const rows: Omit<AuditEntryView, 'service'>[] = await m.query(
    `SELECT id::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor_kind AS "actorKind", actor_id AS "actorId",
            action, target, outcome, correlation_id AS "correlationId", detail
       FROM audit_log WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ${param(limit)}`,
    params,
  );
  return rows.map((r) => ({ service, ...r }));
}
