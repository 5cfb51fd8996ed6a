import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxWriter } from '@lianban/persistence';
import { ClockEngine, ClockSettings } from '@lianban/platform';
import { CASE_CLOCK_RULES } from '../cases/case-machine';

export const CASE_CLOCK_SETTINGS = Symbol('CASE_CLOCK_SETTINGS');

/**
 * The clocks of cases and supervision orders: the shared deadline engine (libs/platform,
 * ClockEngine, the one clue-transfer uses) with the case rules, scanning this service's `clock`
 * table and announcing `clock.due_soon` / `clock.overdue` like transfers do.
 */
@Injectable()
export class CaseClockService extends ClockEngine {
  constructor(@InjectDataSource() ds: DataSource, outbox: OutboxWriter, @Inject(CASE_CLOCK_SETTINGS) settings: ClockSettings) {
    super(ds, outbox, settings, CASE_CLOCK_RULES, CaseClockService.name);
  }
}
