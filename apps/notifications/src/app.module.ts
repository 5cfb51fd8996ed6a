import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { InboxService } from './inbox/inbox.service';
import { NotificationsHandlers } from './inbox/notifications.handlers';
import { NOTIFY_SETTINGS, NotifyService } from './inbox/notify.service';
import { migrations } from './migrations';
import { WEBHOOK_SETTINGS, WebhookService } from './webhooks/webhook.service';

/** The notifications service: inboxes, reminders, escalations. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, options: { maxDeliver?: number; ackWaitMs?: number; webhookTickMs?: number; webhookBackoffMs?: number } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations })],
      providers: [
        { provide: NOTIFY_SETTINGS, useValue: { maxDeliver: options.maxDeliver ?? 8, ackWaitMs: options.ackWaitMs ?? 30_000 } },
        {
          provide: WEBHOOK_SETTINGS,
          useValue: { tickMs: options.webhookTickMs ?? 1000, backoffMs: options.webhookBackoffMs ?? 30_000, maxAttempts: 8, timeoutMs: 5000 },
        },
        WebhookService,
        NotifyService,
        InboxService,
        NotificationsHandlers,
      ],
    };
  }
}
