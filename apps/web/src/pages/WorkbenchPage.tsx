import { Badge, Button, Card, Space, Table, Tag } from 'antd';
import { lazy, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { Link } from 'react-router-dom';
import type { ClueView, Page, TransferSummary } from '../api/types';
import { CASE_STAGES } from '../caseProcedure';
import { mayAssignClues, mayRecordClues } from '../clues';
import { ErrorNote, Loading } from '../components/Loading';
import { TransferTable } from '../components/TransferTable';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useLive } from '../inbox/live';
import { useSession } from '../session';
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';


const DashboardPage = lazy(() => import('./DashboardPage'));
const InvoicesPage = lazy(() => import('./InvoicesPage'));
const LedgersPage = lazy(() => import('./LedgersPage'));

const OPEN_STATES = 'drafted,awaiting_approval,approved,sent,received,declined,reconsideration_requested,reconsideration_upheld,supervision_requested,under_supervision,explanation_given,filing_ordered,filed,handed_over,prosecution_review,prosecuted';
const SUPERVISION_STATES = 'declined,reconsideration_upheld,supervision_requested,under_supervision,explanation_given,filing_ordered';

/** Transfers a panel shows a page at a time. */
const PANEL_PAGE = 10;

/**
 * A panel of transfers from one query, a page at a time with the list's total as its count,
 * refreshed when a notification arrives. What the officer may act on (`mayAct`) and which agency
 * sent or receives a transfer (`sentBy`, `receivedBy`) are filtered by the API, so the count is
 * exact however many transfers the agency has.
 */
function TransferPanel({ title, query, testId }: { title: MessageKey; query: string; testId: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<TransferSummary>>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  // A reload started by a notification may end before one started earlier: the latest one wins.
  const version = useRef(0);
  const load = useCallback(() => {
    const started = ++version.current;
    setLoading(true);
    api
      .get<Page<TransferSummary>>(`/transfers?${query}&page=${page}&pageSize=${PANEL_PAGE}`)
      .then(
        (d) => {
          if (version.current !== started) return;
          setData(d);
          setError(undefined);
        },
        (e) => version.current === started && setError(e),
      )
      .finally(() => version.current === started && setLoading(false));
  }, [query, page]);
  useEffect(() => load(), [load]);
  useLive(load);
  const count = data?.total ?? 0;
  return (
    <Card
      size="small"
      title={<Space>{t(title)}<Badge count={count} showZero overflowCount={99999} color={count ? '#1677ff' : '#bbb'} data-testid="panel-count" data-count={count} /></Space>}
      data-testid={testId}
    >
      {error ? (
        <ErrorNote error={error} />
      ) : (
        <TransferTable rows={data?.items ?? []} loading={loading} pagination={{ current: page, pageSize: PANEL_PAGE, total: count, hideOnSinglePage: true, showSizeChanger: false, onChange: setPage }} />
      )}
    </Card>
  );
}

/** A panel of clues: the first ten the query finds, how many there are in all, and a link to the list. */
function CluePanel({ title, testId, query, extra }: { title: MessageKey; testId: string; query: string; extra?: React.ReactNode }) {
  const { t, c } = useI18n();
  const { data, reload } = useApi<Page<ClueView>>(`/clues?page=1&pageSize=10&${query}`);
  useLive(useCallback(() => reload(), [reload]));
  return (
    <Card
      size="small"
      title={<Space>{t(title)}<Badge count={data?.total ?? 0} showZero color={data?.total ? '#1677ff' : '#bbb'} data-testid="panel-count" data-count={data?.total ?? 0} /></Space>}
      extra={
        <Space>
          {extra}
          <Link to={`/clues?${query}`}>{t('all')}</Link>
        </Space>
      }
      data-testid={testId}
    >
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
          { title: t('createdAt'), dataIndex: 'createdAt', render: (v) => shanghaiTime(v) },
        ]}
      />
    </Card>
  );
}

function NewClues() {
  const { t } = useI18n();
  const { principal } = useSession();
  const record = mayRecordClues(principal) && (
    <Link to="/clues/new">
      <Button size="small" type="primary" data-testid="workbench-new-clue">{t('newClue')}</Button>
    </Link>
  );
  return <CluePanel title="newClues" testId="panel-new-clues" query="status=received,triaged&sort=-createdAt" extra={record} />;
}

/** For a city's or a province's bureau: the clues it assigned down whose result is reported, to accept (销号) or return. */
function AwaitingAcceptance({ agencyId }: { agencyId: string }) {
  return <CluePanel title="reportedToAccept" testId="panel-awaiting-acceptance" query={`status=reported&assignedBy=${agencyId}&sort=createdAt`} />;
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
  // An institution portal account works only on its self-inspection ledger.
  if (principal?.kind === 'institution') return <LedgersPage />;
  // The panels name the officer's agency in their queries.
  if (!me) return <Loading />;
  switch (principal?.agencyKind) {
    case 'LEADING_GROUP_OFFICE':
      return <DashboardPage />;
    case 'FINANCE':
      return <InvoicesPage />;
    case 'MEDICAL_INSURANCE':
      return (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <TransferPanel title="needsYou" testId="panel-needs-you" query={`sort=dueAt&mayAct=true&state=${OPEN_STATES}`} />
          {me && mayAssignClues(principal) && <AwaitingAcceptance agencyId={me} />}
          <TransferPanel title="awaitingApproval" testId="panel-awaiting-approval" query="sort=dueAt&state=awaiting_approval" />
          <TransferPanel title="awaitingFeedback" testId="panel-awaiting-feedback" query={`sort=dueAt&sentBy=${me}&state=sent,received,reconsideration_requested,supervision_requested,under_supervision`} />
          <CasesByStage />
          <NewClues />
        </Space>
      );
    case 'POLICE':
      return (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <TransferPanel title="awaitingReceipt" testId="panel-awaiting-receipt" query={`sort=dueAt&receivedBy=${me}&state=sent`} />
          <TransferPanel title="awaitingDecision" testId="panel-awaiting-decision" query={`sort=dueAt&receivedBy=${me}&state=received,reconsideration_requested,under_supervision,filing_ordered`} />
          <TransferPanel title="needsYou" testId="panel-needs-you" query={`sort=dueAt&mayAct=true&state=${OPEN_STATES}`} />
        </Space>
      );
    case 'PROCURATORATE':
      return (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <TransferPanel title="supervision" testId="panel-supervision" query={`sort=dueAt&route=mi_to_police&state=${SUPERVISION_STATES}`} />
          <TransferPanel title="needsYou" testId="panel-needs-you" query={`sort=dueAt&mayAct=true&state=${OPEN_STATES}`} />
          <TransferPanel title="statutoryCopies" testId="panel-statutory-copies" query="sort=-createdAt&route=mi_to_police" />
        </Space>
      );
    default:
      // Health, market supervision, discipline, the court: what was transferred to them.
      return (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <TransferPanel title="needsYou" testId="panel-needs-you" query={`sort=dueAt&mayAct=true&state=${OPEN_STATES},concluded`} />
          <TransferPanel title="transferredToUs" testId="panel-transferred-to-us" query={`sort=-createdAt&receivedBy=${me}`} />
        </Space>
      );
  }
}
