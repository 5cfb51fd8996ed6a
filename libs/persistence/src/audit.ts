import { EntityManager } from 'typeorm';
import { Actor } from '@lianban/contracts';
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
