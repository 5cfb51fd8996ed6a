/**
 * The services of the platform and the subjects they answer on. Subjects follow
 * `lianban.<service>.<noun>.<verb>` for commands and queries; events travel on
 * `lianban.events.<noun>.<past_tense_verb>` (see events.ts).
 */
export const SERVICE_NAMES = ['agencies', 'clue-transfer', 'cases', 'notifications', 'invoices'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const SUBJECT_ROOT = 'lianban';

/** Builds a command/query subject: `lianban.<service>.<noun>.<verb>`. */
export function commandSubject(service: ServiceName, noun: string, verb: string): string {
  for (const part of [noun, verb]) {
    if (!/^[a-z][a-z0-9_]*$/.test(part)) throw new Error(`Subject part "${part}" must be snake_case`);
  }
  return `${SUBJECT_ROOT}.${service}.${noun}.${verb}`;
}

/** Every service answers its readiness on this subject; the gateway aggregates them. */
export function healthSubject(service: ServiceName): string {
  return commandSubject(service, 'health', 'check');
}

/** Message headers every request and event carries across NATS. */
export const MessageHeaders = {
  /** base64url(JSON) of the calling Actor. */
  actor: 'Lianban-Actor',
  /** HMAC-SHA256 of actor and correlation id with the platform's internal key: services ignore an actor without it. */
  actorSignature: 'Lianban-Actor-Signature',
  correlationId: 'Lianban-Correlation-Id',
  eventType: 'Lianban-Event-Type',
  schemaVersion: 'Lianban-Schema-Version',
} as const;

/** HTTP header carrying the correlation id in and out of the gateway. */
export const CORRELATION_HTTP_HEADER = 'x-correlation-id';
