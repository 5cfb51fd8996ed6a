import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
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

export function contextHeaders(ctx: MessageContext, extra: Record<string, string> = {}): MsgHdrs {
  const h = natsHeaders();
  h.set(MessageHeaders.actor, encodeActor(ctx.actor));
  h.set(MessageHeaders.correlationId, ctx.correlationId);
  for (const [k, v] of Object.entries(extra)) h.set(k, v);
  return h;
}

export function contextFromHeaders(h: MsgHdrs | undefined): MessageContext {
  return {
    actor: decodeActor(h?.get(MessageHeaders.actor) || undefined),
    correlationId: h?.get(MessageHeaders.correlationId) || newCorrelationId(),
  };
}
