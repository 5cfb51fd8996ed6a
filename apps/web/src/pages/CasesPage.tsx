import { Card, Input, Select, Space, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { CaseSummaryView } from '../api/types';
import { CASE_STAGES } from '../caseProcedure';
import { ErrorNote } from '../components/Loading';
import { useI18n } from '../i18n';
import { useNames } from '../session';
import { shanghaiTime } from '../time';
import { usePagedList } from '../usePagedList';

/** The administrative cases the officer may read: one stage, searched, sorted and paged by the server. */
export default function CasesPage() {
  const { t, c } = useI18n();
  const names = useNames();
  const { params, data, error, loading, set, onTableChange, pagination, sortOrder: sorted } = usePagedList<CaseSummaryView>('/cases', ['stage']);
  return (
    <Card title={t('cases')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={`${t('number')} / ${t('title')} / ${t('party')}`} defaultValue={params.get('q') ?? ''} onSearch={(v) => set({ q: v || undefined })} style={{ width: 260 }} data-testid="cases-search" />
        <Select allowClear placeholder={t('stage')} style={{ minWidth: 180 }} value={params.get('stage') ?? undefined} onChange={(v?: string) => set({ stage: v || undefined })} options={CASE_STAGES.map((s) => ({ value: s, label: c(s) }))} data-testid="cases-stage" />
      </Space>
      {error ? <ErrorNote error={error} /> : null}
      <Table<CaseSummaryView>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        data-testid="cases-table"
        pagination={pagination}
        onChange={onTableChange}
        columns={[
          { title: t('number'), key: 'number', dataIndex: 'number', sorter: true, sortOrder: sorted('number'), width: 180, render: (v, r) => <Link to={`/cases/${r.id}`}>{v}</Link> },
          { title: t('title'), key: 'title', dataIndex: 'title', ellipsis: true, render: (v, r) => <>{v} {r.major && <Tag color="volcano">{t('major')}</Tag>}</> },
          { title: t('party'), key: 'party', dataIndex: 'partyName', ellipsis: true },
          { title: t('stage'), key: 'state', dataIndex: 'state', sorter: true, sortOrder: sorted('state'), width: 120, render: (v) => <Tag data-testid="case-row-state" data-state={v}>{c(v)}</Tag> },
          { title: t('conclusionDue'), key: 'dueAt', dataIndex: 'conclusionDueAt', sorter: true, sortOrder: sorted('dueAt'), width: 160, render: (v) => shanghaiTime(v) },
          { title: t('agency'), key: 'agency', dataIndex: 'agencyId', width: 160, ellipsis: true, render: (v) => names.agency(v) },
          { title: t('createdAt'), key: 'createdAt', dataIndex: 'createdAt', sorter: true, sortOrder: sorted('createdAt'), width: 160, render: (v) => shanghaiTime(v) },
        ]}
      />
    </Card>
  );
}
