import { Injectable } from '@nestjs/common';
import { ErrorCode as NatsErrorCode, JSONCodec, NatsError } from 'nats';
import { DomainError, ErrorCode, MessageContext, RpcReply } from '@lianban/contracts';
import { contextHeaders } from './context';
import { NatsBus } from './nats-bus';

const codec = JSONCodec();

/** Sends commands and queries to other services and turns problem replies back into DomainErrors. */
@Injectable()
export class RpcClient {
  constructor(private readonly bus: NatsBus) {}

  async request<T>(subject: string, payload: unknown, ctx: MessageContext, timeoutMs?: number): Promise<T> {
    let reply: RpcReply<T>;
    try {
      const msg = await this.bus.nc.request(this.bus.subject(subject), codec.encode(payload ?? {}), {
        timeout: timeoutMs ?? this.bus.options.requestTimeoutMs ?? 5000,
        headers: contextHeaders(ctx, this.bus.options.signingKey),
      });
      reply = codec.decode(msg.data) as RpcReply<T>;
    } catch (e) {
      if (e instanceof NatsError && e.code === NatsErrorCode.NoResponders) {
        throw new DomainError(503, ErrorCode.SERVICE_UNAVAILABLE, `No instance of the service behind ${subject} is running.`);
      }
      if (e instanceof NatsError && e.code === NatsErrorCode.Timeout) {
        throw new DomainError(504, ErrorCode.UPSTREAM_TIMEOUT, `The service behind ${subject} did not answer in time.`);
      }
      throw new DomainError(503, ErrorCode.SERVICE_UNAVAILABLE, `The message bus is unavailable (${(e as Error).message}).`);
    }
    if (!reply.ok) throw DomainError.fromProblem(reply.error);
    return reply.data;
  }
}
