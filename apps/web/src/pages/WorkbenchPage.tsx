import { Badge, Card, Space, Table, Tag } from 'antd';
import { lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { Link } from 'react-router-dom';
import type { ClueView, Page, TransferSummary } from '../api/types';
import { CASE_STAGES } from '../caseProcedure';
import { ErrorNote } from '../components/Loading';
import { TransferTable } from '../components/TransferTable';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useLive } from '../inbox/live';
import { useSession } from '../session';
import { useApi } from '../useApi';


const DashboardPage = lazy(() => import('./DashboardPage'));
const InvoicesPage = lazy(() => import('./InvoicesPage'));
const LedgersPage = lazy(() => import('./LedgersPage'));

const OPEN_STATES = 'drafted,awaiting_approval,approved,sent,received,declined,reconsideration_requested,reconsideration_upheld,supervision_requested,under_supervision,explanation_given,filing_ordered,filed,handed_over,prosecution_review,prosecuted';
const SUPERVISION_STATES = 'declined,reconsideration_upheld,supervision_requested,under_supervision,explanation_given,filing_ordered';

/** A panel of transfers from one query, refreshed when a notification arrives. */
function TransferPanel({ title, query, filter, testId }: { title: MessageKey; query: string; filter?: (t: TransferSummary) => boolean; testId: string }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useApi<Page<TransferSummary>>(`/transfers?${query}`);
  useLive(useCallback(() => reload(), [reload]));
  const rows = useMemo(() => (data?.items ?? []).filter(filter ?? (() => true)), [data, filter]);
  return (
    <Card size="small" title={<Space>{t(title)}<Badge count={rows.length} showZero color={rows.length ? '#1677ff' : '#bbb'} /></Space>} data-testid={testId}>
      {error ? <ErrorNote error={error} /> : <TransferTable rows={rows} loading={loading} />}
    </Card>
  );
}

function NewClues() {
  const { t, c } = useI18n();
  const { data, reload } = useApi<Page<ClueView>>('/clues?page=1&pageSize=10&status=received,triaged&sort=-createdAt');
  useLive(useCallback(() => reload(), [reload]));
  return (
    <Card size="small" title={<Space>{t('newClues')}<Badge count={data?.total ?? 0} showZero color="#1677ff" /></Space>} extra={<Link to="/clues">{t('all')}</Link>} data-testid="panel-new-clues">
      <Table<ClueView>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data?.items ?? []}
        columns={[
          { title: t('number'), dataIndex: 'number', render: (v, r) => <Link to={`/clues/${r.id}`}>{v}</Link> },
          { title: t('subjectName'), dataIndex: ['subject', 'name'] },
          { title: t('source'), dataIndex: 'source', render: (v) => c(v) },
          { title: t('status'), dataIndex: 'status', render: (v) => <Tag>{c(`clue:${v}`)}</Tag> },
          { title: t('createdAt'), dataIndex: 'createdAt', render: (v) => new Date(v).toLocaleString() },
        ]}
      />
    </Card>
  );
}

/** How many of the bureau's cases are in each stage (one count query per stage), linked to the list. */
function CasesByStage() {
  const { t, c } = useI18n();
  const [counts, setCounts] = useState<{ stage: string; total: number }[] | null>(null);
  const [error, setError] = useState<unknown>();
  const load = useCallback(() => {
    Promise.all(CASE_STAGES.map((stage) => api.get<Page<unknown>>(`/cases?stage=${stage}&page=1&pageSize=1`).then((p) => ({ stage, total: p.total }))))
      .then(setCounts, setError);
  }, []);
  useEffect(() => load(), [load]);
  useLive(load);
  return (
    <Card size="small" title={t('casesByStage')} extra={<Link to="/cases">{t('all')}</Link>} data-testid="panel-cases-by-stage">
      {error ? <ErrorNote error={error} /> : null}
      <Space wrap>
        {(counts ?? []).map(({ stage, total }) => (
          <Link key={stage} to={`/cases?stage=${stage}`} data-testid={`stage-${stage}`} data-count={total}>
            <Tag color={total ? 'blue' : 'default'}>
              {c(stage)} {total}
            </Tag>
          </Link>
        ))}
      </Space>
    </Card>
  );
}

/** What needs the officer now, by the kind of their agency. */
export default function WorkbenchPage() {
  const { principal } = useSession();
  const me = principal?.agencyId;
  const mine = useCallback((x: TransferSummary) => x.allowedActions.length > 0, []);
  const sentByUs = useCallback((x: TransferSummary) => x.senderAgencyId === me, [me]);
  const toUs = useCallback((x: TransferSummary) => x.receiverAgencyId === me, [me]);
  // An institution portal account works only on its self-inspection ledger.
  if (principal?.kind === 'institution') return <LedgersPage />;
  switch (principal?.agencyKind) {
    case 'LEADING_GROUP_OFFICE':
      return <DashboardPage />;
    case 'FINANCE':
      return <InvoicesPage />;
    case 'MEDICAL_INSURANCE':
      return (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <TransferPanel title="needsYou" testId="panel-needs-you" query={`page=1&pageSize=100&sort=dueAt&state=${OPEN_STATES}`} filter={mine} />
          <TransferPanel title="awaitingApproval" testId="panel-awaiting-approval" query="page=1&pageSize=50&sort=dueAt&state=awaiting_approval" />
          <TransferPanel title="awaitingFeedback" testId="panel-awaiting-feedback" query="page=1&pageSize=50&sort=dueAt&state=sent,received,reconsideration_requested,supervision_requested,under_supervision" filter={sentByUs} />
          <CasesByStage />
          <NewClues />
        </Space>
      );
    case 'POLICE':
      return (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <TransferPanel title="awaitingReceipt" testId="panel-awaiting-receipt" query="page=1&pageSize=50&sort=dueAt&state=sent" filter={toUs} />
          <TransferPanel title="awaitingDecision" testId="panel-awaiting-decision" query="page=1&pageSize=50&sort=dueAt&state=received,reconsideration_requested,under_supervision,filing_ordered" filter={toUs} />
          <TransferPanel title="needsYou" testId="panel-needs-you" query={`page=1&pageSize=100&sort=dueAt&state=${OPEN_STATES}`} filter={mine} />
        </Space>
      );
    case 'PROCURATORATE':
      return (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <TransferPanel title="supervision" testId="panel-supervision" query={`page=1&pageSize=50&sort=dueAt&route=mi_to_police&state=${SUPERVISION_STATES}`} />
          <TransferPanel title="needsYou" testId="panel-needs-you" query={`page=1&pageSize=100&sort=dueAt&state=${OPEN_STATES}`} filter={mine} />
          <TransferPanel title="statutoryCopies" testId="panel-statutory-copies" query="page=1&pageSize=20&sort=-createdAt&route=mi_to_police" />
        </Space>
      );
    default:
      // Health, market supervision, discipline, the court: what was transferred to them.
      return (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <TransferPanel title="needsYou" testId="panel-needs-you" query={`page=1&pageSize=100&sort=dueAt&state=${OPEN_STATES},concluded`} filter={mine} />
          <TransferPanel title="transferredToUs" testId="panel-transferred-to-us" query="page=1&pageSize=50&sort=-createdAt" filter={toUs} />
        </Space>
      );
  }
}
