import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '@lianban/platform';
import { DigestService } from '../email/digest.service';
import { CHANNEL_SETTINGS, ChannelSettings, OUTBOUND_CHANNELS, OutboundChannel } from './outbound-channel';

/** One loop for every channel: compose the digests that are due, then send what is queued. */
@Injectable()
export class ChannelDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ChannelDispatcher.name);
  private readonly loop: PeriodicTask;

  constructor(
    @Inject(OUTBOUND_CHANNELS) private readonly channels: OutboundChannel[],
    private readonly digests: DigestService,
    @Inject(CHANNEL_SETTINGS) settings: ChannelSettings,
  ) {
    this.loop = new PeriodicTask(() => this.tick(), settings.tickMs, (e) => this.logger.error(`channel dispatch failed: ${e.message}`));
  }

  async tick(now = new Date()): Promise<void> {
    await this.digests.compose(now).catch((e) => this.logger.error(`digests failed: ${(e as Error).message}`));
    for (const c of this.channels) await c.dispatch().catch((e) => this.logger.error(`${c.name} dispatch failed: ${(e as Error).message}`));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
