import { subject } from '@casl/ability';
import { endOfShanghaiDay, isCivilDate, startOfShanghaiDay } from '@lianban/clocks';
import { DomainError, ErrorCode, MessageContext, ruleError, StatisticsQueryDto } from '@lianban/contracts';
import { defineAbilityFor } from './ability';
import { regionPrefix } from './region';

/**
 * Who may read the statistics of a region (its leading-group office, or one above it), and the
 * period as instants: from 00:00 of the first day to 24:00 of the last, Shanghai time. Every
 * service that contributes figures checks the caller with this, the same way.
 */
export function statisticsWindow(dto: StatisticsQueryDto, ctx: MessageContext): { prefix: string; from: Date; to: Date } {
  if (!isCivilDate(dto.from) || !isCivilDate(dto.to) || dto.from > dto.to) throw DomainError.validation([ruleError('to', 'periodInvalid', 'from and to are real dates, from not after to')]);
  if (!defineAbilityFor(ctx.actor).can('read', subject('Statistics', { regionCode: dto.regionCode }))) {
    throw new DomainError(403, ErrorCode.FORBIDDEN, 'Statistics of this region are for its leading-group office (or one above it).');
  }
  return { prefix: `${regionPrefix(dto.regionCode)}%`, from: startOfShanghaiDay(dto.from), to: endOfShanghaiDay(dto.to) };
}
