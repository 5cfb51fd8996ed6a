import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClueTransferStatistics, MessageContext, StatisticsQueryDto } from '@lianban/contracts';
import { statisticsWindow } from '@lianban/authz';

/**
 * This service's part of the leading-group office's quarterly statistics: clues by source,
 * transfers by route and state, and deadlines missed per agency, for a region and period. The
 * cases service asks for it over NATS and adds its own figures; nobody reads this schema but us.
 */
@Injectable()
export class StatisticsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async statistics(dto: StatisticsQueryDto, ctx: MessageContext): Promise<ClueTransferStatistics> {
    const { prefix, from, to } = statisticsWindow(dto, ctx);
    const clues: { source: string; n: number }[] = await this.ds.query(
      `SELECT source, count(*)::int AS n FROM clue WHERE region_code LIKE $1 AND created_at >= $2 AND created_at < $3 GROUP BY source ORDER BY source`,
      [prefix, from, to],
    );
    // A transfer counts for the region when it was sent from or to it.
    const transfers: { route: string; state: string; count: number }[] = await this.ds.query(
      `SELECT route, state, count(*)::int AS count FROM transfer
        WHERE (sender_region_code LIKE $1 OR receiver_region_code LIKE $1) AND created_at >= $2 AND created_at < $3
        GROUP BY route, state ORDER BY route, state`,
      [prefix, from, to],
    );
    // A deadline of the period that was missed: it fell in the period, has passed, and the step came late or not at all.
    const overdue: { agency: string; n: number }[] = await this.ds.query(
      `SELECT duty_agency_id AS agency, count(*)::int AS n FROM clock
        WHERE region_code LIKE $1 AND due_at >= $2 AND due_at < $3 AND due_at <= now() AND (stopped_at IS NULL OR stopped_at > due_at)
        GROUP BY duty_agency_id`,
      [prefix, from, to],
    );
    return {
      cluesBySource: Object.fromEntries(clues.map((c) => [c.source, c.n])),
      transfersByRouteAndState: transfers,
      overdueByAgency: Object.fromEntries(overdue.map((o) => [o.agency, o.n])),
    };
  }
}
