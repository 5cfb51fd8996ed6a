import { SetMetadata } from '@nestjs/common';

export const RPC_HANDLER = Symbol('RPC_HANDLER');

export interface RpcHandlerOptions {
  /** The DTO class the payload is validated into before the handler sees it. */
  dto?: new () => object;
}

export interface RpcHandlerMetadata extends RpcHandlerOptions {
  subject: string;
}

/**
 * Marks a provider method as the handler of a NATS request subject (from @lianban/contracts).
 * The method receives the validated payload and the caller's MessageContext, and its return
 * value is the reply. DomainErrors it throws become problem-details replies.
 */
export function RpcHandler(subject: string, options: RpcHandlerOptions = {}): MethodDecorator {
  return SetMetadata(RPC_HANDLER, { subject, ...options } satisfies RpcHandlerMetadata);
}
