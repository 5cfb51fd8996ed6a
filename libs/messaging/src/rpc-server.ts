import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JSONCodec, Msg, Subscription } from 'nats';
import { DomainError, ErrorCode, MessageContext, problem, RpcReply, validateDto } from '@lianban/contracts';
import { contextFromHeaders, runInContext } from './context';
import { NatsBus } from './nats-bus';
import { RPC_HANDLER, RpcHandlerMetadata } from './rpc-handler.decorator';

type Handler = (payload: unknown, ctx: MessageContext) => unknown;

const codec = JSONCodec();

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
            void this.dispatch(meta, handler, msg);
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
    if (msg.reply) msg.respond(codec.encode(reply));
  }
}
