import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ErrorCode as NatsErrorCode, JSONCodec, Msg, NatsError, Subscription } from 'nats';
import { DomainError, ErrorCode, MessageContext, problem, RpcReply, validateDto } from '@lianban/contracts';
import { contextFromHeaders, runInContext } from './context';
import { NatsBus } from './nats-bus';
import { RPC_HANDLER, RpcHandlerMetadata } from './rpc-handler.decorator';

type Handler = (payload: unknown, ctx: MessageContext) => unknown;

const codec = JSONCodec();

/** NATS's default max_payload, used until the server has told its own. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/**
 * The problem sent instead of a reply the bus cannot carry. A handler that returned has done its
 * work (committed its transaction), so the caller is told not to repeat a change, only to reload.
 */
function replyTooLarge(subject: string, bytes: number, limit: number, handled: boolean) {
  const done = handled
    ? 'The request was carried out, but its answer'
    : 'The request was refused, and the refusal';
  return problem(
    413,
    ErrorCode.PAYLOAD_TOO_LARGE,
    `${done} (${bytes} bytes) is larger than the message bus carries (${limit} bytes)${handled ? ': do not repeat a change, reload what you changed instead' : ''}.`,
    { subject, replyBytes: bytes, maxBytes: limit, handled },
  );
}

/** Finds every @RpcHandler and answers its subject, one queue group per service. */
@Injectable()
export class RpcServer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RpcServer.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly bus: NatsBus,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const nc = await this.bus.connect();
    const seen = new Set<string>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance);
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const meta = this.reflector.get<RpcHandlerMetadata | undefined>(RPC_HANDLER, proto[name]);
        if (!meta) continue;
        if (seen.has(meta.subject)) throw new Error(`Two handlers for ${meta.subject}`);
        seen.add(meta.subject);
        const handler = (proto[name] as Handler).bind(instance);
        const sub = nc.subscribe(this.bus.subject(meta.subject), {
          queue: this.bus.options.serviceName,
          callback: (err, msg) => {
            if (err) return this.logger.error(`subscription ${meta.subject} failed: ${err.message}`);
            // One request never takes the process down: whatever escapes dispatch is logged here.
            this.dispatch(meta, handler, msg).catch((e: unknown) => this.logger.error({ err: e, subject: meta.subject }, 'request could not be answered'));
          },
        });
        this.subscriptions.push(sub);
      }
    }
    this.logger.log(`answering ${seen.size} subject(s): ${[...seen].join(', ')}`);
  }

  private async dispatch(meta: RpcHandlerMetadata, handler: Handler, msg: Msg): Promise<void> {
    const ctx = contextFromHeaders(msg.headers, this.bus.options.signingKey);
    const reply = await runInContext(ctx, async (): Promise<RpcReply<unknown>> => {
      try {
        let payload: unknown = msg.data.length ? codec.decode(msg.data) : {};
        if (meta.dto) payload = await validateDto(meta.dto, payload);
        return { ok: true, data: (await handler(payload, ctx)) ?? null };
      } catch (e) {
        if (e instanceof DomainError) return { ok: false, error: e.toProblem() };
        this.logger.error({ err: e, subject: meta.subject, correlationId: ctx.correlationId }, 'handler failed');
        return { ok: false, error: problem(500, ErrorCode.INTERNAL, 'The service could not complete the request; it has been logged.') };
      }
    });
    if (!msg.reply) return;
    const encoded = codec.encode(reply);
    const limit = this.bus.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    if (encoded.length <= limit && !this.refusedAsTooLarge(msg, encoded, meta, ctx)) return;
    // Too large for the bus (or refused by it as such): a short problem instead, so the caller
    // gets an answer rather than a timeout that invites it to repeat what was already done.
    this.logger.error({ subject: meta.subject, correlationId: ctx.correlationId, bytes: encoded.length, limit }, 'reply larger than the message bus carries');
    const fallback: RpcReply<unknown> = { ok: false, error: { ...replyTooLarge(meta.subject, encoded.length, limit, reply.ok), correlationId: ctx.correlationId } };
    this.refusedAsTooLarge(msg, codec.encode(fallback), meta, ctx);
  }

  /** Sends the reply; true when the bus refused it as too large. Any other failure (a closed connection) is logged, never thrown. */
  private refusedAsTooLarge(msg: Msg, data: Uint8Array, meta: RpcHandlerMetadata, ctx: MessageContext): boolean {
    try {
      msg.respond(data);
      return false;
    } catch (e) {
      if (e instanceof NatsError && e.code === NatsErrorCode.MaxPayloadExceeded) return true;
      this.logger.error({ err: e, subject: meta.subject, correlationId: ctx.correlationId }, 'reply could not be sent');
      return false;
    }
  }
}
