import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, Min, ValidateNested } from 'class-validator';
import { Actor, ActorKind, AgencyKind, OfficerRole } from './identity';
import { SUBJECT_ROOT } from './services';

/**
 * The envelope every domain event travels in, from a service's outbox through JetStream to
 * its consumers. `type` is `<noun>.<past_tense_verb>` (e.g. `transfer.filing_declined`);
 * `schemaVersion` is bumped when the payload's shape changes incompatibly.
 */
export interface EventEnvelope<P = Record<string, unknown>> {
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  /** The service whose transaction produced the event. */
  source: string;
  actor: Actor;
  correlationId: string;
  payload: P;
}

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
export const EVENTS_STREAM = 'LIANBAN_EVENTS';

/** Subject an event of this type is published on. */
export function eventSubject(type: string): string {
  if (!EVENT_TYPE_PATTERN.test(type)) throw new Error(`Event type "${type}" must be <noun>.<past_tense_verb>`);
  return `${SUBJECT_ROOT}.events.${type}`;
}

/** Wildcard covering every event. */
export const ALL_EVENTS_SUBJECT = `${SUBJECT_ROOT}.events.>`;

class ActorDto implements Actor {
  @IsIn(['officer', 'institution', 'system', 'anonymous'] satisfies ActorKind[])
  kind: ActorKind;

  @IsString()
  @IsNotEmpty()
  id: string;

  @IsOptional()
  @IsString()
  agencyId?: string;

  @IsOptional()
  @IsIn(Object.values(AgencyKind))
  agencyKind?: AgencyKind;

  @IsOptional()
  @IsString()
  regionCode?: string;

  @IsOptional()
  @IsArray()
  @IsIn(Object.values(OfficerRole), { each: true })
  roles?: OfficerRole[];

  @IsOptional()
  @IsString()
  institutionId?: string;

  @IsOptional()
  @IsString()
  sessionId?: string;
}

/** Validates an envelope read off the wire before a consumer trusts it. */
export class EventEnvelopeDto implements EventEnvelope {
  @IsUUID()
  id: string;

  @Matches(EVENT_TYPE_PATTERN)
  type: string;

  @IsInt()
  @Min(1)
  schemaVersion: number;

  @IsISO8601({ strict: true })
  occurredAt: string;

  @IsString()
  @IsNotEmpty()
  source: string;

  @IsObject()
  @ValidateNested()
  @Type(() => ActorDto)
  actor: Actor;

  @IsString()
  @IsNotEmpty()
  correlationId: string;

  @IsObject()
  payload: Record<string, unknown>;
}
