import type { FastifyRequest } from 'fastify';
import { Actor, ANONYMOUS, MessageContext } from '@lianban/contracts';

/** The context forwarded to services with every command and query made for this request. */
export function contextOf(request: FastifyRequest): MessageContext {
  const actor = (request as FastifyRequest & { actor?: Actor }).actor ?? ANONYMOUS;
  return { actor, correlationId: String(request.id) };
}
