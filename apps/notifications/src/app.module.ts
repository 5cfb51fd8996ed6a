import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { ChannelDispatcher } from './channels/channel-dispatcher';
import { CHANNEL_SETTINGS, OUTBOUND_CHANNELS } from './channels/outbound-channel';
import { DIGEST_HOUR, DigestService } from './email/digest.service';
import { EmailChannel } from './email/email.channel';
import { MAILER, smtpMailer } from './email/mailer';
import { InboxService } from './inbox/inbox.service';
import { NotificationsHandlers } from './inbox/notifications.handlers';
import { NOTIFY_SETTINGS, NotifyService } from './inbox/notify.service';
import { migrations } from './migrations';
import { PreferencesService } from './preferences/preferences.service';
import { WebhookDestinations } from './webhooks/destination';
import { WEBHOOK_DESTINATIONS, WebhookService } from './webhooks/webhook.service';

export interface NotificationsOptions {
  maxDeliver?: number;
  ackWaitMs?: number;
  /** How often outbound channels send, and how long their first retry waits. */
  channelTickMs?: number;
  channelBackoffMs?: number;
}

/** The notifications service: inboxes, live delivery, email, webhooks, digests, escalations. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, options: NotificationsOptions = {}): DynamicModule {
    const malformed = config.webhookAllowedDestinations && WebhookDestinations.malformed(config.webhookAllowedDestinations);
    if (malformed) throw new Error(`Invalid configuration for notifications: WEBHOOK_ALLOWED_DESTINATIONS: ${malformed}`);
    const channelSettings = { tickMs: options.channelTickMs ?? 1000, backoffMs: options.channelBackoffMs ?? 30_000, maxAttempts: 8, timeoutMs: 5000 };
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forService({ config, entities: [], migrations })],
      providers: [
        { provide: NOTIFY_SETTINGS, useValue: { maxDeliver: options.maxDeliver ?? 8, ackWaitMs: options.ackWaitMs ?? 30_000 } },
        { provide: CHANNEL_SETTINGS, useValue: channelSettings },
        { provide: MAILER, useValue: smtpMailer(config.smtpUrl, config.smtpFrom, channelSettings.timeoutMs) },
        { provide: DIGEST_HOUR, useValue: config.digestHour },
        { provide: WEBHOOK_DESTINATIONS, useValue: new WebhookDestinations(config.webhookAllowedDestinations) },
        WebhookService,
        EmailChannel,
        { provide: OUTBOUND_CHANNELS, useFactory: (w: WebhookService, e: EmailChannel) => [w, e], inject: [WebhookService, EmailChannel] },
        DigestService,
        ChannelDispatcher,
        PreferencesService,
        NotifyService,
        InboxService,
        NotificationsHandlers,
      ],
    };
  }
}
