import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClueTransferStatistics, ClueTransferStatsSubject, MessageContext, Statistics, StatisticsQueryDto } from '@lianban/contracts';
import { statisticsWindow } from '@lianban/authz';
import { RpcClient } from '@lianban/messaging';
import { overdueClocksByAgency } from '@lianban/platform';

/** Two services' counts per agency, added. */
function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum = { ...a };
  for (const [k, n] of Object.entries(b)) sum[k] = (sum[k] ?? 0) + n;
  return sum;
}

/**
 * The leading-group office's statistics for a region and period (quarterly, or any range of
 * days): clues by source and transfers by route and state (asked of clue-transfer, which owns
 * them), cases opened and closed, deadlines missed per agency (both services' clocks), and funds
 * involved and recovered from the case ledgers, money in fen; and, whatever the period, how the
 * region stands now (open transfers, clocks overdue now per agency).
 */
@Injectable()
export class StatisticsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly rpc: RpcClient,
  ) {}

  async statistics(dto: StatisticsQueryDto, ctx: MessageContext): Promise<Statistics> {
    const { prefix, from, to } = statisticsWindow(dto, ctx);
    const theirs = await this.rpc.request<ClueTransferStatistics>(ClueTransferStatsSubject, { regionCode: dto.regionCode, from: dto.from, to: dto.to }, ctx);

    const [{ opened }] = await this.ds.query(`SELECT count(*)::int AS opened FROM enforcement_case WHERE region_code LIKE $1 AND created_at >= $2 AND created_at < $3`, [prefix, from, to]);
    const [closed] = await this.ds.query(
      `SELECT count(*)::int AS n, COALESCE(sum((decided_penalty->>'fineFen')::bigint), 0)::text AS fines FROM enforcement_case WHERE region_code LIKE $1 AND closed_at >= $2 AND closed_at < $3`,
      [prefix, from, to],
    );
    const money: { kind: string; total: string }[] = await this.ds.query(
      `SELECT m.kind, sum(m.amount_fen)::text AS total FROM case_money m JOIN enforcement_case c ON c.id = m.case_id
        WHERE c.region_code LIKE $1 AND m.at >= $2 AND m.at < $3 GROUP BY m.kind`,
      [prefix, from, to],
    );
    const overdueByAgency = addCounts(theirs.overdueByAgency, await overdueClocksByAgency(this.ds, prefix, { from, to }));
    const overdueNowByAgency = addCounts(theirs.current.overdueByAgency, await overdueClocksByAgency(this.ds, prefix));
    const of = (k: string) => Number(money.find((r) => r.kind === k)?.total ?? 0);
    const funds = {
      violatingEmployeesFen: of('violating_employees'),
      violatingResidentsFen: of('violating_residents'),
      refundedFen: of('refunded'),
      finePaidFen: of('fine_paid'),
      recoveredAfterJudgmentFen: of('recovered_after_judgment'),
      finesDecidedFen: Number(closed.fines),
    };
    return {
      regionCode: dto.regionCode,
      from: dto.from,
      to: dto.to,
      cluesBySource: theirs.cluesBySource,
      casesOpened: opened,
      casesClosed: closed.n,
      transfersByRouteAndState: theirs.transfersByRouteAndState,
      overdueByAgency,
      funds: { ...funds, involvedFen: funds.violatingEmployeesFen + funds.violatingResidentsFen, recoveredFen: funds.refundedFen + funds.finePaidFen + funds.recoveredAfterJudgmentFen },
      current: { at: new Date().toISOString(), openTransfers: theirs.current.openTransfers, overdueByAgency: overdueNowByAgency },
    };
  }
}
