import { Card, Select, Space } from 'antd';
import type { SupervisionView } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { SupervisionTable } from '../components/SupervisionTable';
import { useI18n } from '../i18n';
import { usePagedList } from '../usePagedList';

/** Supervision orders (督办): those the office issued, or those on the bureau's cases; paged by the server. */
export default function SupervisionsPage() {
  const { t, c } = useI18n();
  const { params, data, error, loading, set, onTableChange, pagination } = usePagedList<SupervisionView>('/supervisions', ['status'], null);
  return (
    <Card title={t('supervisions')}>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('status')}
          style={{ minWidth: 160 }}
          value={params.get('status') ?? undefined}
          onChange={(v?: string) => set({ status: v || undefined })}
          options={['open', 'closed'].map((s) => ({ value: s, label: c(`supervision:${s}`) }))}
        />
      </Space>
      {error ? <ErrorNote error={error} /> : null}
      <SupervisionTable
        rows={data?.items ?? []}
        loading={loading}
        testId="supervision-list"
        pagination={pagination}
        onChange={onTableChange}
      />
    </Card>
  );
}
