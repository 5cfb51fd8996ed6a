import { Injectable } from '@nestjs/common';
import {
  CreateWebhookDto,
  DeadLetterQueryDto,
  DeadLetterSeqDto,
  IdDto,
  InboxQueryDto,
  MessageContext,
  NotificationIdDto,
  NotificationSubjects,
  PreferencesDto,
  PreferenceSubjects,
  SinceDto,
  WebhookSubjects,
} from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { PreferencesService } from '../preferences/preferences.service';
import { WebhookService } from '../webhooks/webhook.service';
import { InboxService } from './inbox.service';

/** The NATS face of the notifications service. */
@Injectable()
export class NotificationsHandlers {
  constructor(
    private readonly inbox: InboxService,
    private readonly webhooks: WebhookService,
    private readonly preferences: PreferencesService,
  ) {}

  @RpcHandler(NotificationSubjects.inbox, { dto: InboxQueryDto })
  list(dto: InboxQueryDto, ctx: MessageContext) {
    return this.inbox.list(dto, ctx);
  }

  @RpcHandler(NotificationSubjects.since, { dto: SinceDto })
  since(dto: SinceDto, ctx: MessageContext) {
    return this.inbox.since(dto.after, ctx);
  }

  @RpcHandler(NotificationSubjects.markRead, { dto: NotificationIdDto })
  markRead(dto: NotificationIdDto, ctx: MessageContext) {
    return this.inbox.markRead(dto.id, ctx);
  }

  @RpcHandler(NotificationSubjects.markAllRead)
  markAllRead(_: unknown, ctx: MessageContext) {
    return this.inbox.markAllRead(ctx);
  }

  @RpcHandler(NotificationSubjects.deadLetters, { dto: DeadLetterQueryDto })
  deadLetters(dto: DeadLetterQueryDto, ctx: MessageContext) {
    return this.inbox.deadLetters(dto, ctx);
  }

  @RpcHandler(NotificationSubjects.replayDeadLetter, { dto: DeadLetterSeqDto })
  replay(dto: DeadLetterSeqDto, ctx: MessageContext) {
    return this.inbox.replay(dto.seq, ctx);
  }

  @RpcHandler(WebhookSubjects.create, { dto: CreateWebhookDto })
  createWebhook(dto: CreateWebhookDto, ctx: MessageContext) {
    return this.webhooks.create(dto, ctx);
  }

  @RpcHandler(WebhookSubjects.list)
  listWebhooks(_: unknown, ctx: MessageContext) {
    return this.webhooks.list(ctx);
  }

  @RpcHandler(WebhookSubjects.disable, { dto: IdDto })
  disableWebhook(dto: IdDto, ctx: MessageContext) {
    return this.webhooks.disable(dto.id, ctx);
  }

  @RpcHandler(PreferenceSubjects.get)
  getPreferences(_: unknown, ctx: MessageContext) {
    return this.preferences.get(ctx);
  }

  @RpcHandler(PreferenceSubjects.update, { dto: PreferencesDto })
  updatePreferences(dto: PreferencesDto, ctx: MessageContext) {
    return this.preferences.update(dto, ctx);
  }
}
