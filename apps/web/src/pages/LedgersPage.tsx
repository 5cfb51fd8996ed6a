import { Alert, Card, Empty, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import type { CampaignSummary, CampaignUnfiled, CampaignView, LedgerListItem, SummaryRow, UnfiledInstitution } from '../api/types';
import { DownloadButton } from '../components/Download';
import { ErrorNote, Loading } from '../components/Loading';
import { useI18n } from '../i18n';
import { yuan } from '../money';
import { useSession } from '../session';
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';
import { usePagedList } from '../usePagedList';
import { LedgerEditor, LedgerPanel } from './LedgerDetailPage';

const STATUSES = ['draft', 'submitted', 'returned', 'resubmitted', 'accepted'];
/** Designated institutions' kinds (INSTITUTION_KINDS of the API). */
const INSTITUTION_KINDS = ['hospital', 'pharmacy'];

/** An institution's own ledger in the campaign: the ledger itself, or the form that opens it while filing is open. */
function MyLedger({ campaign }: { campaign: CampaignView }) {
  const { t } = useI18n();
  const { data, error, reload } = useApi<{ items: LedgerListItem[]; total: number }>(`/campaigns/${campaign.id}/ledgers?pageSize=1`);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  const mine = data.items[0];
  if (mine) return <LedgerPanel id={mine.id} />;
  if (!campaign.filingOpen) return <Alert type="info" showIcon title={t('filingClosed')} />;
  return (
    <Card title={t('openLedger')} size="small">
      <LedgerEditor campaignId={campaign.id} onSaved={() => reload()} />
    </Card>
  );
}

/** Who is still to file (催报): the targeted designated institutions of the officer's region without a submitted ledger. */
function Unfiled({ campaign }: { campaign: CampaignView }) {
  const { t, c } = useI18n();
  const { data, error } = useApi<CampaignUnfiled>(`/campaigns/${campaign.id}/unfiled`);
  return (
    <Card
      size="small"
      title={t('unfiled')}
      data-testid="unfiled"
      extra={
        data && (
          <Typography.Text type="secondary" data-testid="unfiled-counts">
            {t('designated')} {data.designated} · {t('submittedCount')} {data.submitted}
          </Typography.Text>
        )
      }
    >
      {error ? <ErrorNote error={error} /> : null}
      {data && (
        <Table<UnfiledInstitution>
          size="small"
          rowKey="id"
          dataSource={data.items}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('allFiled') }}
          data-testid="unfiled-list"
          columns={[
            { title: t('institution'), dataIndex: 'name', render: (v, r) => (r.ledgerId ? <Link to={`/ledgers/${r.ledgerId}`}>{v}</Link> : v) },
            { title: t('number'), dataIndex: 'code', width: 140 },
            { title: t('institutionKind'), dataIndex: 'kind', width: 120, render: (v) => c(v) },
            {
              title: t('status'),
              key: 'ledger',
              width: 120,
              render: (_, r) => (
                <Tag data-testid="unfiled-status" data-status={r.ledgerId ? 'draft' : 'none'}>
                  {r.ledgerId ? c('ledger:draft') : t('notOpened')}
                </Tag>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

/** Annex 4 for the bureau and the office: hospitals and pharmacies by district, and the two files. */
function Summary({ campaign }: { campaign: CampaignView }) {
  const { t } = useI18n();
  const { data, error } = useApi<CampaignSummary>(`/campaigns/${campaign.id}/summary`);
  const base = `附件4_${campaign.regionCode}`;
  const table = (rows: SummaryRow[], title: string) => (
    <Table<SummaryRow>
      size="small"
      rowKey="key"
      pagination={false}
      title={() => title}
      data-testid="summary-table"
      dataSource={rows}
      scroll={{ x: 900 }}
      columns={[
        { title: t('regionLabel'), dataIndex: 'label' },
        { title: t('designated'), dataIndex: 'designated', align: 'right' },
        { title: t('withProblems'), dataIndex: 'institutionsWithProblems', align: 'right' },
        { title: t('count'), dataIndex: 'problems', align: 'right' },
        { title: t('violatingEmployeesYuan'), dataIndex: 'violatingEmployeesFen', align: 'right', render: (v) => yuan(v) },
        { title: t('violatingResidentsYuan'), dataIndex: 'violatingResidentsFen', align: 'right', render: (v) => yuan(v) },
        { title: t('refundedEmployeesYuan'), dataIndex: 'refundedEmployeesFen', align: 'right', render: (v) => yuan(v) },
        { title: t('refundedResidentsYuan'), dataIndex: 'refundedResidentsFen', align: 'right', render: (v) => yuan(v) },
        { title: t('rectified'), dataIndex: 'rectified', align: 'right' },
        { title: t('notRectified'), dataIndex: 'notRectified', align: 'right' },
      ]}
    />
  );
  return (
    <Card
      size="small"
      title={t('summaryAnnex4')}
      data-testid="summary"
      extra={
        <Space>
          <DownloadButton path={`/campaigns/${campaign.id}/summary.xlsx`} name={`${base}.xlsx`} label={t('downloadXlsx')} testId="summary-xlsx" />
          <DownloadButton path={`/campaigns/${campaign.id}/summary.csv`} name={`${base}.csv`} label={t('downloadCsv')} testId="summary-csv" />
        </Space>
      }
    >
      {error ? <ErrorNote error={error} /> : null}
      {data && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('pendingLedgers')}: {data.pending}
          </Typography.Text>
          {table(data.hospitals, t('summaryHospitals'))}
          {table(data.pharmacies, t('summaryPharmacies'))}
        </Space>
      )}
    </Card>
  );
}

/** The ledgers of a campaign for the bureau and the office: filtered, searched, sorted and paged by the server. */
function LedgerList({ campaign }: { campaign: CampaignView }) {
  const { t, c } = useI18n();
  const { params, data, error, loading, set, onTableChange, pagination, sortOrder: sorted } = usePagedList<LedgerListItem>(`/campaigns/${campaign.id}/ledgers`, ['status', 'kind'], '-updatedAt');
  return (
    <Card size="small" title={t('ledgers')} data-testid="ledgers">
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={`${t('institution')} / ${t('number')}`} defaultValue={params.get('q') ?? ''} onSearch={(v) => set({ q: v || undefined })} style={{ width: 240 }} data-testid="ledger-search" />
        <Select allowClear placeholder={t('status')} style={{ minWidth: 160 }} value={params.get('status') ?? undefined} onChange={(v?: string) => set({ status: v || undefined })} options={STATUSES.map((s) => ({ value: s, label: c(`ledger:${s}`) }))} />
        <Select allowClear placeholder={t('institutionKind')} style={{ minWidth: 140 }} value={params.get('kind') ?? undefined} onChange={(v?: string) => set({ kind: v || undefined })} options={INSTITUTION_KINDS.map((k) => ({ value: k, label: c(k) }))} />
      </Space>
      {error ? <ErrorNote error={error} /> : null}
      <Table<LedgerListItem>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={pagination}
        onChange={onTableChange}
        data-testid="ledger-list"
        scroll={{ x: 900 }}
        columns={[
          { title: t('institution'), key: 'name', render: (_, r) => <Link to={`/ledgers/${r.id}`}>{r.institution.name}</Link> },
          { title: t('number'), key: 'institutionCode', sorter: true, sortOrder: sorted('institutionCode'), render: (_, r) => r.institution.code, width: 140 },
          { title: t('status'), key: 'status', dataIndex: 'status', sorter: true, sortOrder: sorted('status'), width: 120, render: (v) => <Tag data-testid="ledger-row-status" data-status={v}>{c(`ledger:${v}`)}</Tag> },
          { title: t('count'), key: 'problems', width: 80, align: 'right', render: (_, r) => r.totals.problems },
          { title: t('violatingTotal'), key: 'violatingFen', sorter: true, sortOrder: sorted('violatingFen'), width: 140, align: 'right', render: (_, r) => yuan(r.totals.violatingEmployeesFen + r.totals.violatingResidentsFen) },
          { title: t('updatedAt'), key: 'updatedAt', dataIndex: 'updatedAt', sorter: true, sortOrder: sorted('updatedAt'), width: 170, render: (v) => shanghaiTime(v) },
        ]}
      />
    </Card>
  );
}

/** Self-inspection (自查自纠): the campaign chosen, then the institution's own ledger or the bureau's list and Annex 4. */
export default function LedgersPage() {
  const { t } = useI18n();
  const { principal } = useSession();
  const [params, setParams] = useSearchParams();
  const { data, error } = useApi<{ items: CampaignView[]; total: number }>('/campaigns?sort=-startsOn&pageSize=50');
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  if (!data.items.length) return <Empty description={t('noCampaign')} />;
  const campaign = data.items.find((x) => x.id === params.get('campaign')) ?? data.items[0];
  const institution = principal?.kind === 'institution';
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('campaign')}>
        <Select
          style={{ minWidth: 420 }}
          value={campaign.id}
          onChange={(v: string) => setParams(new URLSearchParams({ campaign: v }))}
          options={data.items.map((x) => ({ value: x.id, label: `${x.name}（${x.startsOn} – ${x.endsOn}）` }))}
          data-testid="campaign-select"
        />
        {campaign.currentPhase && (
          <Tag color="blue" style={{ marginLeft: 12 }}>
            {campaign.currentPhase.name} {campaign.currentPhase.startsOn} – {campaign.currentPhase.endsOn}
          </Tag>
        )}
      </Card>
      {institution ? (
        <MyLedger key={campaign.id} campaign={campaign} />
      ) : (
        <>
          <LedgerList key={campaign.id} campaign={campaign} />
          <Unfiled key={`u-${campaign.id}`} campaign={campaign} />
          <Summary key={`s-${campaign.id}`} campaign={campaign} />
        </>
      )}
    </Space>
  );
}
