import { Card, Col, Descriptions, Empty, Input, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import { useCallback, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Page, Statistics, SupervisionView } from '../api/types';
import { BarChart } from '../components/BarChart';
import { ErrorNote, Loading } from '../components/Loading';
import { SupervisionTable } from '../components/SupervisionTable';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useLive } from '../inbox/live';
import { yuan } from '../money';
import { isDate, PERIOD_PRESETS, PeriodPreset, periodFrom, presetOf, presetPeriod, shanghaiToday } from '../period';
import { useNames, useSession } from '../session';
import { useApi } from '../useApi';

/** States of a transfer to police from filing on (立案及以后). */
const FILED_ONWARD = new Set(['filed', 'handed_over', 'prosecution_review', 'investigation_closed', 'prosecuted', 'not_prosecuted', 'judged']);

const PRESET_LABEL: Record<PeriodPreset, MessageKey> = { year: 'periodYear', quarter: 'periodQuarter', lastQuarter: 'periodLastQuarter', lastYear: 'periodLastYear' };

const FUNDS: [keyof Statistics['funds'], MessageKey][] = [
  ['involvedFen', 'violatingTotal'],
  ['violatingEmployeesFen', 'violatingEmployees'],
  ['violatingResidentsFen', 'violatingResidents'],
  ['finesDecidedFen', 'fineDecided'],
  ['refundedFen', 'refunded'],
  ['finePaidFen', 'finePaid'],
  ['recoveredAfterJudgmentFen', 'recoveredAfterJudgment'],
  ['recoveredFen', 'recoveredTotal'],
];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The leading-group office's view of its region, from `GET /reports/statistics` (computed by the
 * services over every record, not from a list): for a period kept in the URL (this year to today
 * in Asia/Shanghai by default), clues by source, transfers by where they stand, filed by police,
 * cases opened and closed, the funds; as of now, open transfers and clocks overdue per agency;
 * and the region's open supervision orders. It refreshes on every notification.
 */
export default function DashboardPage() {
  const { t, c } = useI18n();
  const names = useNames();
  const { principal } = useSession();
  const [params, setParams] = useSearchParams();
  const today = shanghaiToday();
  const period = periodFrom(params, today);
  const preset = presetOf(period, today);
  const region = principal?.regionCode;
  const stats = useApi<Statistics>(region ? `/reports/statistics?${new URLSearchParams({ regionCode: region, ...period })}` : null);
  const orders = useApi<Page<SupervisionView>>('/supervisions?status=open&page=1&pageSize=10');
  const reloadStats = stats.reload;
  const reloadOrders = orders.reload;
  useLive(
    useCallback(() => {
      reloadStats();
      reloadOrders();
    }, [reloadStats, reloadOrders]),
  );

  const setPeriod = (from: string, to: string) => {
    const next = new URLSearchParams(params);
    next.set('from', from);
    next.set('to', to);
    setParams(next);
  };

  // The figures of the period asked for: while another period's answer is still shown, none.
  const s = stats.data?.from === period.from && stats.data.to === period.to && stats.data.regionCode === region ? stats.data : undefined;
  const figures = useMemo(() => {
    if (!s) return null;
    const byState = new Map<string, number>();
    for (const x of s.transfersByRouteAndState) byState.set(x.state, (byState.get(x.state) ?? 0) + x.count);
    const agencies = new Set([...Object.keys(s.current.overdueByAgency), ...Object.keys(s.overdueByAgency)]);
    return {
      clues: sum(Object.values(s.cluesBySource)),
      transfers: sum(s.transfersByRouteAndState.map((x) => x.count)),
      filed: sum(s.transfersByRouteAndState.filter((x) => x.route === 'mi_to_police' && FILED_ONWARD.has(x.state)).map((x) => x.count)),
      overdueNow: sum(Object.values(s.current.overdueByAgency)),
      bySource: Object.entries(s.cluesBySource).map(([k, v]) => ({ label: c(k), value: v })).sort((a, b) => b.value - a.value),
      byState: [...byState].map(([k, v]) => ({ label: c(k), value: v })).sort((a, b) => b.value - a.value),
      overdueByAgency: [...agencies]
        .map((agencyId) => ({ agencyId, now: s.current.overdueByAgency[agencyId] ?? 0, period: s.overdueByAgency[agencyId] ?? 0 }))
        .sort((a, b) => b.now - a.now || b.period - a.period),
    };
  }, [s, c]);

  if (stats.error) return <ErrorNote error={stats.error} />;
  const stat = (testId: string, title: string, value: number, red = false) => (
    <Col xs={12} md={6} xl={3}>
      <div data-testid={`stat-${testId}`}>
        <Statistic title={title} value={value} styles={{ content: { color: red && value ? '#cf1322' : undefined } }} />
      </div>
    </Col>
  );

  return (
    <div data-testid="dashboard" data-from={period.from} data-to={period.to}>
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card
            size="small"
            title={`${t('dashboard')} · ${names.region(region)}`}
            extra={
              <Space wrap>
                <Segmented<string>
                  size="small"
                  value={preset ?? ''}
                  onChange={(p) => {
                    const x = presetPeriod(p as PeriodPreset, today);
                    setPeriod(x.from, x.to);
                  }}
                  options={PERIOD_PRESETS.map((p) => ({ value: p, label: <span data-testid={`period-${p}`}>{t(PRESET_LABEL[p])}</span> }))}
                />
                <Input
                  size="small"
                  type="date"
                  prefix={t('periodFrom')}
                  value={period.from}
                  max={today}
                  style={{ width: 170 }}
                  data-testid="period-from"
                  onChange={(e) => isDate(e.target.value) && setPeriod(e.target.value, e.target.value > period.to ? e.target.value : period.to)}
                />
                <Input
                  size="small"
                  type="date"
                  prefix={t('periodTo')}
                  value={period.to}
                  style={{ width: 170 }}
                  data-testid="period-to"
                  onChange={(e) => isDate(e.target.value) && setPeriod(e.target.value < period.from ? e.target.value : period.from, e.target.value)}
                />
              </Space>
            }
          >
            {!s || !figures ? (
              <Loading />
            ) : (
              <>
                <Row gutter={16}>
                  {stat('clues', t('clues'), figures.clues)}
                  {stat('transfers', t('transfers'), figures.transfers)}
                  {stat('open', t('openTransfers'), s.current.openTransfers)}
                  {stat('filed', t('filedOnward'), figures.filed)}
                  {stat('overdue', t('overdueNow'), figures.overdueNow, true)}
                  {stat('cases-opened', t('casesOpened'), s.casesOpened)}
                  {stat('cases-closed', t('casesClosed'), s.casesClosed)}
                </Row>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('currentNote')}
                </Typography.Text>
              </>
            )}
          </Card>
        </Col>
        {s && figures && (
          <>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('bySource')}>{figures.bySource.length ? <BarChart data={figures.bySource} testId="chart-source" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}</Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('byState')}>{figures.byState.length ? <BarChart data={figures.byState} color="#52c41a" testId="chart-state" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}</Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('overdueByAgency')}>
                <Table
                  size="small"
                  rowKey="agencyId"
                  pagination={false}
                  dataSource={figures.overdueByAgency}
                  data-testid="overdue-by-agency"
                  columns={[
                    { title: t('agency'), dataIndex: 'agencyId', render: (v: string) => <span data-testid="overdue-agency">{names.agency(v)}</span> },
                    { title: t('overdueNow'), dataIndex: 'now', width: 110, render: (v: number) => <span style={{ color: v ? '#cf1322' : undefined }}>{v}</span> },
                    { title: t('missedInPeriod'), dataIndex: 'period', width: 110 },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('funds')}>
                <Descriptions size="small" column={{ xs: 1, xxl: 2 }} bordered data-testid="funds">
                  {FUNDS.map(([k, label]) => (
                    <Descriptions.Item key={k} label={t(label)}>
                      <span data-testid={`fund-${k}`} style={{ whiteSpace: 'nowrap' }}>{yuan(s.funds[k])}</span>
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              </Card>
            </Col>
          </>
        )}
        <Col span={24}>
          <Card
            size="small"
            title={`${t('openSupervisions')}${orders.data ? ` (${orders.data.total})` : ''}`}
            extra={<Link to="/supervisions?status=open">{t('viewAll')}</Link>}
          >
            {orders.error ? <ErrorNote error={orders.error} /> : <SupervisionTable rows={orders.data?.items ?? []} loading={!orders.data} testId="open-supervisions" />}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
