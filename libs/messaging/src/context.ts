import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { headers as natsHeaders, MsgHdrs } from 'nats';
import { Actor, ANONYMOUS, MessageContext, MessageHeaders } from '@lianban/contracts';

/**
 * Carries the calling officer and the correlation id across NATS: in message headers on the
 * wire, and in AsyncLocalStorage inside a process so logs can say which request they belong to.
 */
const storage = new AsyncLocalStorage<MessageContext>();

export function runInContext<T>(ctx: MessageContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): MessageContext | undefined {
  return storage.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}

export function encodeActor(actor: Actor): string {
  return Buffer.from(JSON.stringify(actor), 'utf8').toString('base64url');
}

export function decodeActor(value: string | undefined): Actor {
  if (!value) return ANONYMOUS;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Actor;
    return parsed && typeof parsed.id === 'string' && typeof parsed.kind === 'string' ? parsed : ANONYMOUS;
  } catch {
    return ANONYMOUS;
  }
}

/** The key processes share outside production, where configuration must provide its own (INTERNAL_SIGNING_KEY). */
export const DEVELOPMENT_SIGNING_KEY = 'lianban-development-internal-key-never-used-in-production';

function actorSignature(signingKey: string, actor: string, correlationId: string): string {
  return createHmac('sha256', signingKey).update(`${actor}.${correlationId}`).digest('base64url');
}

/**
 * The caller's identity travels signed with the platform's internal key: a client that can reach
 * NATS but does not hold the key cannot speak as an officer (its requests arrive anonymous).
 */
export function contextHeaders(ctx: MessageContext, signingKey = DEVELOPMENT_SIGNING_KEY, extra: Record<string, string> = {}): MsgHdrs {
  const h = natsHeaders();
  const actor = encodeActor(ctx.actor);
  h.set(MessageHeaders.actor, actor);
  h.set(MessageHeaders.correlationId, ctx.correlationId);
  h.set(MessageHeaders.actorSignature, actorSignature(signingKey, actor, ctx.correlationId));
  for (const [k, v] of Object.entries(extra)) h.set(k, v);
  return h;
}

export function contextFromHeaders(h: MsgHdrs | undefined, signingKey = DEVELOPMENT_SIGNING_KEY): MessageContext {
  const correlationId = h?.get(MessageHeaders.correlationId) || newCorrelationId();
  const actor = h?.get(MessageHeaders.actor) || undefined;
  const given = Buffer.from(h?.get(MessageHeaders.actorSignature) || '', 'utf8');
  const expected = Buffer.from(actor ? actorSignature(signingKey, actor, correlationId) : '', 'utf8');
  const genuine = !!actor && given.length === expected.length && timingSafeEqual(given, expected);
  return { actor: genuine ? decodeActor(actor) : ANONYMOUS, correlationId };
}
