import { Card, Select, Space } from 'antd';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Page, SupervisionView } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { SupervisionTable } from '../components/SupervisionTable';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { useApi } from '../useApi';

/** Supervision orders (督办): those the office issued, or those on the bureau's cases; paged by the server. */
export default function SupervisionsPage() {
  const { t, c } = useI18n();
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
      <SupervisionTable
        rows={data?.items ?? []}
        loading={loading}
        testId="supervision-list"
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (n) => `${t('total')} ${n}` }}
        onChange={(p) => setParams(new URLSearchParams({ ...Object.fromEntries(params), page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20) }))}
      />
    </Card>
  );
}
