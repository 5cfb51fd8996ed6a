import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxWriter } from '@lianban/persistence';
import { ClockEngine, ClockSettings } from '@lianban/platform';
import { ALL_CLOCK_RULES } from './clock-rules';

export { ClockSettings, StartClock } from '@lianban/platform';
export const CLOCK_SETTINGS = Symbol('CLOCK_SETTINGS');

/**
 * The clocks of clues and transfers: the shared deadline engine (libs/platform, ClockEngine) with
 * this service's rules (clock-rules.ts), scanning its own `clock` table.
 */
@Injectable()
export class ClockService extends ClockEngine {
  constructor(@InjectDataSource() ds: DataSource, outbox: OutboxWriter, @Inject(CLOCK_SETTINGS) settings: ClockSettings) {
    super(ds, outbox, settings, ALL_CLOCK_RULES, ClockService.name);
  }
}
