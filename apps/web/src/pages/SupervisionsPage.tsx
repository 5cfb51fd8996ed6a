import { Card, Select, Space, Table, Tag } from 'antd';
import { useCallback, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Page, SupervisionView } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { useNames } from '../session';
import { useApi } from '../useApi';

/** Supervision orders (督办): those the office issued, or those on the bureau's cases; paged by the server. */
export default function SupervisionsPage() {
  const { t, c } = useI18n();
  const names = useNames();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const query = useMemo(() => {
    const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (params.get('status')) q.set('status', params.get('status')!);
    return q.toString();
  }, [params, page, pageSize]);
  const { data, error, loading, reload } = useApi<Page<SupervisionView>>(`/supervisions?${query}`);
  useLive(useCallback(() => reload(), [reload]));
  return (
    <Card title={t('supervisions')}>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('status')}
          style={{ minWidth: 160 }}
          value={params.get('status') ?? undefined}
          onChange={(v?: string) => setParams(v ? new URLSearchParams({ status: v }) : new URLSearchParams())}
          options={['open', 'closed'].map((s) => ({ value: s, label: c(`supervision:${s}`) }))}
        />
      </Space>
      {error ? <ErrorNote error={error} /> : null}
      <Table<SupervisionView>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        data-testid="supervision-list"
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (n) => `${t('total')} ${n}` }}
        onChange={(p) => setParams(new URLSearchParams({ ...Object.fromEntries(params), page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20) }))}
        columns={[
          { title: t('documentNumber'), dataIndex: 'documentNumber', render: (v, r) => <Link to={`/supervisions/${r.id}`}>{v}</Link> },
          { title: t('cases'), dataIndex: 'caseNumber', render: (v, r) => <Link to={`/cases/${r.caseId}`}>{v}</Link> },
          { title: t('status'), dataIndex: 'kind', width: 160, render: (v, r) => <Space size={4}><Tag color={v === 'listed' ? 'volcano' : 'blue'}>{c(v)}</Tag><Tag>{c(`supervision:${r.status}`)}</Tag></Space> },
          { title: t('supervisedAgency'), dataIndex: 'supervisedAgencyId', ellipsis: true, render: (v) => names.agency(v) },
          { title: t('nextReport'), dataIndex: 'nextReportDueAt', width: 170, render: (v, r) => (v ? <Tag color={r.reportOverdue ? 'red' : 'default'}>{new Date(v).toLocaleString()}</Tag> : '—') },
          { title: t('deadline'), dataIndex: 'deadline', width: 170, render: (v, r) => <Tag color={r.deadlineOverdue ? 'red' : 'default'}>{new Date(v).toLocaleString()}</Tag> },
        ]}
      />
    </Card>
  );
}
