import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DigestService } from '../email/digest.service';
import { CHANNEL_SETTINGS, ChannelSettings, OUTBOUND_CHANNELS, OutboundChannel } from './outbound-channel';

/** One loop for every channel: compose the digests that are due, then send what is queued. */
@Injectable()
export class ChannelDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ChannelDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(OUTBOUND_CHANNELS) private readonly channels: OutboundChannel[],
    private readonly digests: DigestService,
    @Inject(CHANNEL_SETTINGS) private readonly settings: ChannelSettings,
  ) {}

  async tick(now = new Date()): Promise<void> {
    await this.digests.compose(now).catch((e) => this.logger.error(`digests failed: ${(e as Error).message}`));
    for (const c of this.channels) await c.dispatch().catch((e) => this.logger.error(`${c.name} dispatch failed: ${(e as Error).message}`));
  }

  onApplicationBootstrap(): void {
    const loop = () => {
      this.running = this.tick().finally(() => {
        if (this.timer) this.timer = setTimeout(loop, this.settings.tickMs);
      });
    };
    this.timer = setTimeout(loop, this.settings.tickMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    if (t) clearTimeout(t);
    await this.running;
  }
}
