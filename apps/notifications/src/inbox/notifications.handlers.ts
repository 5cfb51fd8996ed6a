import { Injectable } from '@nestjs/common';
import { DeadLetterSeqDto, InboxQueryDto, MessageContext, NotificationIdDto, NotificationSubjects, SinceDto } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { InboxService } from './inbox.service';

/** The NATS face of the notifications service. */
@Injectable()
export class NotificationsHandlers {
  constructor(private readonly inbox: InboxService) {}

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

  @RpcHandler(NotificationSubjects.deadLetters)
  deadLetters(_: unknown, ctx: MessageContext) {
    return this.inbox.deadLetters(ctx);
  }

  @RpcHandler(NotificationSubjects.replayDeadLetter, { dto: DeadLetterSeqDto })
  replay(dto: DeadLetterSeqDto, ctx: MessageContext) {
    return this.inbox.replay(dto.seq, ctx);
  }
}
