import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { InboxService } from './inbox/inbox.service';
import { NotificationsHandlers } from './inbox/notifications.handlers';
import { NOTIFY_SETTINGS, NotifyService } from './inbox/notify.service';
import { migrations } from './migrations';

/** The notifications service: inboxes, reminders, escalations. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, options: { maxDeliver?: number; ackWaitMs?: number } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations })],
      providers: [
        { provide: NOTIFY_SETTINGS, useValue: { maxDeliver: options.maxDeliver ?? 8, ackWaitMs: options.ackWaitMs ?? 30_000 } },
        NotifyService,
        InboxService,
        NotificationsHandlers,
      ],
    };
  }
}
