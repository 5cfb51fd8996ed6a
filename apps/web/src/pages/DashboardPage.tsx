import { Card, Col, Empty, Row, Statistic, Table } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ClueView, TransferSummary } from '../api/types';
import { BarChart } from '../components/BarChart';
import { ErrorNote, Loading } from '../components/Loading';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { procedures } from '../procedures';
import { useNames, useSession } from '../session';
import { useApi } from '../useApi';

const FINAL = new Set(['rejected', 'not_filed_final', 'investigation_closed', 'not_prosecuted', 'judged', 'concluded']);

function countBy<T>(rows: T[], key: (r: T) => string | null | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = key(r);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/**
 * The leading-group office's view of its region: how many clues and transfers, how many are overdue
 * and at which agency, clues by source and transfers by where they stand. Computed from the clue
 * and transfer lists the office may read (the latest 500 of each); it refreshes on every notification.
 */
export default function DashboardPage() {
  const { t, c } = useI18n();
  const names = useNames();
  const { principal } = useSession();
  const clues = useApi<ClueView[]>('/clues');
  const transfers = useApi<TransferSummary[]>('/transfers');
  const [duty, setDuty] = useState<Map<string, string>>(new Map());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    procedures().then((p) => setDuty(new Map(p.clocks.map((k) => [k.step, k.duty]))), () => undefined);
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const reloadClues = clues.reload;
  const reloadTransfers = transfers.reload;
  useLive(
    useCallback(() => {
      reloadClues();
      reloadTransfers();
    }, [reloadClues, reloadTransfers]),
  );

  const stats = useMemo(() => {
    const ts = transfers.data ?? [];
    const overdue = ts.filter((x) => x.nextClock && new Date(x.nextClock.dueAt).getTime() < now);
    const byAgency = countBy(overdue, (x) => (duty.get(x.nextClock!.step) === 'sender' ? x.senderAgencyId : duty.get(x.nextClock!.step) === 'procuratorate' ? x.procuratorateAgencyId : x.receiverAgencyId));
    return {
      clues: clues.data?.length ?? 0,
      transfers: ts.length,
      open: ts.filter((x) => !FINAL.has(x.state)).length,
      overdue: overdue.length,
      filed: ts.filter((x) => ['filed', 'handed_over', 'prosecution_review', 'prosecuted', 'judged'].includes(x.state)).length,
      overdueByAgency: [...byAgency].map(([agencyId, n]) => ({ agencyId, n })).sort((a, b) => b.n - a.n),
      bySource: [...countBy(clues.data ?? [], (x) => x.source)].map(([k, v]) => ({ label: c(k), value: v })),
      byState: [...countBy(ts, (x) => x.state)].map(([k, v]) => ({ label: c(k), value: v })).sort((a, b) => b.value - a.value),
    };
  }, [clues.data, transfers.data, duty, now, c]);

  if (clues.error || transfers.error) return <ErrorNote error={clues.error ?? transfers.error} />;
  if (!clues.data || !transfers.data) return <Loading />;

  return (
    <div data-testid="dashboard">
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card size="small" title={`${t('dashboard')} · ${names.region(principal?.regionCode)}`}>
            <Row gutter={16}>
              <Col xs={12} md={4}><div data-testid="stat-clues"><Statistic title={t('clues')} value={stats.clues} /></div></Col>
              <Col xs={12} md={5}><div data-testid="stat-transfers"><Statistic title={t('transfers')} value={stats.transfers} /></div></Col>
              <Col xs={12} md={5}><div data-testid="stat-open"><Statistic title={t('openTransfers')} value={stats.open} /></div></Col>
              <Col xs={12} md={5}><div data-testid="stat-filed"><Statistic title={c('filed')} value={stats.filed} /></div></Col>
              <Col xs={12} md={5}><div data-testid="stat-overdue"><Statistic title={t('overdue')} value={stats.overdue} styles={{ content: { color: stats.overdue ? '#cf1322' : undefined } }} /></div></Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('bySource')}>{stats.bySource.length ? <BarChart data={stats.bySource} testId="chart-source" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}</Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('byState')}>{stats.byState.length ? <BarChart data={stats.byState} color="#52c41a" testId="chart-state" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}</Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('overdueByAgency')}>
            <Table
              size="small"
              rowKey="agencyId"
              pagination={false}
              dataSource={stats.overdueByAgency}
              data-testid="overdue-by-agency"
              columns={[
                { title: t('agency'), dataIndex: 'agencyId', render: (v: string) => names.agency(v) },
                { title: t('overdue'), dataIndex: 'n', render: (v: number) => <span style={{ color: '#cf1322' }}>{v}</span> },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
