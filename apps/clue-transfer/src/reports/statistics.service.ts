import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClueTransferStatistics, MessageContext, StatisticsQueryDto, TransferRoute, TransferState, UNSENT_TRANSFER_STATES } from '@lianban/contracts';
import { statisticsWindow } from '@lianban/authz';
import { overdueClocksByAgency } from '@lianban/platform';
import { isFinal } from '../transfers/transfer-machine';

/**
 * This service's part of the leading-group office's quarterly statistics: clues by source,
 * transfers by route and state, and deadlines missed per agency, for a region and period; and,
 * whatever the period, the transfers still open and the clocks overdue now. A transfer the bureau
 * has not sent (drafted, awaiting or refused approval, approved) is its internal business, as
 * on every other read, and counts nowhere until it is sent. The
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
    const unsent = [...UNSENT_TRANSFER_STATES];
    // A transfer counts for the region when it was sent from or to it.
    const transfers: { route: string; state: string; count: number }[] = await this.ds.query(
      `SELECT route, state, count(*)::int AS count FROM transfer
        WHERE (sender_region_code LIKE $1 OR receiver_region_code LIKE $1) AND created_at >= $2 AND created_at < $3 AND NOT (state = ANY($4))
        GROUP BY route, state ORDER BY route, state`,
      [prefix, from, to, unsent],
    );
    // Whatever the period: every transfer of the region that has not reached a final state of its route.
    const all: { route: TransferRoute; state: TransferState; count: number }[] = await this.ds.query(
      `SELECT route, state, count(*)::int AS count FROM transfer WHERE (sender_region_code LIKE $1 OR receiver_region_code LIKE $1) AND NOT (state = ANY($2)) GROUP BY route, state`,
      [prefix, unsent],
    );
    return {
      cluesBySource: Object.fromEntries(clues.map((c) => [c.source, c.n])),
      transfersByRouteAndState: transfers,
      overdueByAgency: await overdueClocksByAgency(this.ds, prefix, { from, to }),
      current: {
        openTransfers: all.filter((t) => !isFinal(t.route, t.state)).reduce((n, t) => n + t.count, 0),
        overdueByAgency: await overdueClocksByAgency(this.ds, prefix),
      },
    };
  }
}
