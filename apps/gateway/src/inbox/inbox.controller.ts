import { Body, Controller, Delete, Get, HttpCode, Logger, Param, ParseIntPipe, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AgenciesSubjects,
  CORRELATION_HTTP_HEADER,
  CreateWebhookDto,
  DeadLetterQueryDto,
  DomainError,
  inboxSignalSubject,
  InboxQueryDto,
  NotificationSubjects,
  NotificationView,
  PreferencesDto,
  PreferenceSubjects,
  ruleError,
  WebhookSubjects,
  WebhookView,
} from '@lianban/contracts';
import { DeadLetter, NatsBus, RpcClient } from '@lianban/messaging';
import { QueryToken } from '../auth/auth.guard';
import { contextOf } from '../http/request-context';

/** How often an open stream checks its session and looks for items a lost signal did not announce. */
export const STREAM_HEARTBEAT_MS = 15_000;

/**
 * The id a reconnecting client last received (`Last-Event-ID`), or undefined without one. An id
 * that is not a non-negative safe integer is no id this server sent: 400, rather than a stream
 * that waits for an item after it forever.
 */
export function lastEventId(given: string | string[] | undefined): number | undefined {
  if (given === undefined || given === '') return undefined;
  const id = typeof given === 'string' && /^\d{1,16}$/.test(given) ? Number(given) : NaN;
  if (!Number.isSafeInteger(id)) {
    throw DomainError.validation([ruleError('Last-Event-ID', 'lastEventIdInvalid', 'Last-Event-ID must be the id of a notification this stream sent (a whole number)', { max: Number.MAX_SAFE_INTEGER })]);
  }
  return id;
}

@ApiTags('inbox')
@ApiBearerAuth()
@Controller()
export class InboxController {
  private readonly logger = new Logger(InboxController.name);

  constructor(
    private readonly rpc: RpcClient,
    private readonly bus: NatsBus,
  ) {}

  @Get('inbox')
  list(@Query() q: InboxQueryDto, @Req() req: FastifyRequest): Promise<NotificationView[]> {
    return this.rpc.request(NotificationSubjects.inbox, q, contextOf(req));
  }

  /** Which kinds, which channels, quiet hours (overdue items always come through). */
  @Get('inbox/preferences')
  preferences(@Req() req: FastifyRequest): Promise<PreferencesDto> {
    return this.rpc.request(PreferenceSubjects.get, {}, contextOf(req));
  }

  @Put('inbox/preferences')
  setPreferences(@Body() dto: PreferencesDto, @Req() req: FastifyRequest): Promise<PreferencesDto> {
    return this.rpc.request(PreferenceSubjects.update, dto, contextOf(req));
  }

  @Post('inbox/:id/read')
  @HttpCode(200)
  read(@Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest): Promise<{ read: true }> {
    return this.rpc.request(NotificationSubjects.markRead, { id }, contextOf(req));
  }

  @Post('inbox/read-all')
  @HttpCode(200)
  readAll(@Req() req: FastifyRequest): Promise<{ marked: number }> {
    return this.rpc.request(NotificationSubjects.markAllRead, {}, contextOf(req));
  }

  /**
   * Live notifications as server-sent events. A client that reconnects with `Last-Event-ID`
   * receives exactly what it missed; without it the stream starts from now. Browsers' EventSource
   * cannot set headers, so the access token may come as `?access_token=`. The session is checked
   * before every send: a signed-out or disabled account's stream ends instead of sending.
   */
  @Get('inbox/stream')
  @QueryToken()
  @ApiProduces('text/event-stream')
  async stream(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = contextOf(req);
    let last = lastEventId(req.headers['last-event-id']) ?? ((await this.rpc.request<NotificationView[]>(NotificationSubjects.inbox, { limit: 1 }, ctx))[0]?.id ?? 0);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      [CORRELATION_HTTP_HEADER]: String(req.id),
    });
    raw.write('retry: 3000\n\n');

    let closed = false;
    let running: Promise<void> | undefined;
    let again = false;
    // Sends everything after `last`, in order, once the session is confirmed open; a signal during a send runs it once more.
    const pump = (): Promise<void> => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await this.rpc.request(AgenciesSubjects.verifySession, { sessionId: ctx.actor.sessionId }, ctx);
          const items = await this.rpc.request<NotificationView[]>(NotificationSubjects.since, { after: last }, ctx);
          for (const n of items) {
            if (closed) return;
            raw.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
            last = n.id;
          }
        } while (again && !closed);
      })()
        .catch((e: unknown) => {
          // A refusal (the session ended, the account was disabled, a request the services reject)
          // ends the stream; a service that is down is tried again at the next signal or heartbeat.
          const status = e instanceof DomainError ? e.status : 500;
          this.logger.warn(`inbox stream ${req.id}: ${status < 500 ? 'ended' : 'could not send'} (${status} ${(e as Error).message})`);
          if (status < 500) close();
        })
        .finally(() => (running = undefined));
      return running;
    };

    // The agency's signal for an officer, the institution's for an institution account.
    const sub = this.bus.nc.subscribe(this.bus.subject(inboxSignalSubject(ctx.actor)), { callback: () => void pump() });
    const close = () => {
      if (closed) return;
      closed = true;
      sub.unsubscribe();
      clearInterval(heartbeat);
      raw.end();
    };
    // Items a lost signal did not announce, and the end of a session nothing else has told the stream about.
    const heartbeat = setInterval(() => {
      raw.write(': keep-alive\n\n');
      void pump();
    }, STREAM_HEARTBEAT_MS);
    req.raw.on('close', close);
    await pump();
  }

  /** Dead letters, oldest first, a page at a time: the next page is `?after=<the last seq of this one>`; an empty page is the end. */
  @Get('admin/dead-letters')
  deadLetters(@Query() q: DeadLetterQueryDto, @Req() req: FastifyRequest): Promise<DeadLetter[]> {
    return this.rpc.request(NotificationSubjects.deadLetters, q, contextOf(req));
  }

  @Post('admin/dead-letters/:seq/replay')
  @HttpCode(200)
  replay(@Param('seq', ParseIntPipe) seq: number, @Req() req: FastifyRequest): Promise<{ replayed: number }> {
    return this.rpc.request(NotificationSubjects.replayDeadLetter, { seq }, contextOf(req));
  }

  /** Registers the agency's own office system; the answer carries the signing secret, once. */
  @Post('webhooks')
  createWebhook(@Body() dto: CreateWebhookDto, @Req() req: FastifyRequest): Promise<WebhookView> {
    return this.rpc.request(WebhookSubjects.create, dto, contextOf(req));
  }

  @Get('webhooks')
  webhooks(@Req() req: FastifyRequest): Promise<WebhookView[]> {
    return this.rpc.request(WebhookSubjects.list, {}, contextOf(req));
  }

  @Delete('webhooks/:id')
  disableWebhook(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<{ disabled: true }> {
    return this.rpc.request(WebhookSubjects.disable, { id }, contextOf(req));
  }
}
