import { Button, Card, Input, Select, Space } from 'antd';
import { Link } from 'react-router-dom';
import type { TransferSummary } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { TransferTable } from '../components/TransferTable';
import { useI18n } from '../i18n';
import { draftRoutesFor } from '../nav';
import { useSession } from '../session';
import { usePagedList } from '../usePagedList';

const STATES = ['drafted', 'awaiting_approval', 'approved', 'rejected', 'sent', 'received', 'filed', 'declined', 'reconsideration_requested', 'reconsideration_upheld', 'supervision_requested', 'under_supervision', 'explanation_given', 'filing_ordered', 'not_filed_final', 'handed_over', 'prosecution_review', 'investigation_closed', 'prosecuted', 'not_prosecuted', 'judged', 'concluded'];
const ROUTES = ['mi_to_police', 'police_to_mi', 'mi_to_health', 'mi_to_market', 'mi_to_discipline', 'agency_to_mi', 'agency_to_discipline'];

/** Every transfer the officer may read: filtered, searched, sorted and paged by the server. */
export default function TransfersPage() {
  const { t, c } = useI18n();
  const { principal } = useSession();
  const { params, data, error, loading, set, onTableChange, pagination, sortOrder } = usePagedList<TransferSummary>('/transfers', ['state', 'route']);

  return (
    <Card
      title={t('transfers')}
      extra={draftRoutesFor(principal?.agencyKind).length > 0 && <Link to="/transfers/new"><Button type="primary" data-testid="new-transfer">{t('newTransfer')}</Button></Link>}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('searchPlaceholder')} defaultValue={params.get('q') ?? ''} onSearch={(v) => set({ q: v || undefined })} style={{ width: 240 }} data-testid="search" />
        <Select mode="multiple" allowClear placeholder={t('state')} style={{ minWidth: 220 }} value={params.get('state')?.split(',') ?? []} onChange={(v: string[]) => set({ state: v.join(',') || undefined })} options={STATES.map((s) => ({ value: s, label: c(s) }))} maxTagCount={2} />
        <Select allowClear placeholder={t('route')} style={{ width: 160 }} value={params.get('route') ?? undefined} onChange={(v?: string) => set({ route: v })} options={ROUTES.map((r) => ({ value: r, label: c(r) }))} />
      </Space>
      {error ? <ErrorNote error={error} /> : null}
      <TransferTable
        testId="transfers-table"
        sortOrder={sortOrder}
        rows={data?.items ?? []}
        loading={loading}
        pagination={pagination}
        onChange={onTableChange}
      />
    </Card>
  );
}
