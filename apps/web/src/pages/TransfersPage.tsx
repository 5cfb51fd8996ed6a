import { Button, Card, Input, Select, Space } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useCallback, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Page, TransferSummary } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { TransferTable } from '../components/TransferTable';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { draftRoutesFor } from '../nav';
import { useSession } from '../session';
import { useApi } from '../useApi';

const STATES = ['drafted', 'awaiting_approval', 'approved', 'rejected', 'sent', 'received', 'filed', 'declined', 'reconsideration_requested', 'reconsideration_upheld', 'supervision_requested', 'under_supervision', 'explanation_given', 'filing_ordered', 'not_filed_final', 'handed_over', 'prosecution_review', 'investigation_closed', 'prosecuted', 'not_prosecuted', 'judged', 'concluded'];
const ROUTES = ['mi_to_police', 'police_to_mi', 'mi_to_health', 'mi_to_market', 'mi_to_discipline', 'agency_to_mi'];

/** Every transfer the officer may read: filtered, searched, sorted and paged by the server. */
export default function TransfersPage() {
  const { t, c } = useI18n();
  const { principal } = useSession();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const query = useMemo(() => {
    const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize), sort: params.get('sort') ?? '-createdAt' });
    for (const k of ['state', 'route', 'q']) if (params.get(k)) q.set(k, params.get(k)!);
    return q.toString();
  }, [params, page, pageSize]);
  const { data, error, loading, reload } = useApi<Page<TransferSummary>>(`/transfers?${query}`);
  useLive(useCallback(() => reload(), [reload]));

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

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
        sortable
        rows={data?.items ?? []}
        loading={loading}
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (n) => `${t('total')} ${n}` }}
        onChange={(p, _f, sorter) => {
          const s = sorter as SorterResult<TransferSummary>;
          const key = s.order ? `${s.order === 'descend' ? '-' : ''}${String(s.columnKey)}` : undefined;
          set({ page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20), sort: key });
        }}
      />
    </Card>
  );
}
