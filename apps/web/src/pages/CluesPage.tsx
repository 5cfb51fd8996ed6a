import { Card, Input, Select, Space, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { ClueView } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { useI18n } from '../i18n';
import { yuan } from '../money';
import { useNames } from '../session';
import { shanghaiTime } from '../time';
import { usePagedList } from '../usePagedList';

const STATUSES = ['received', 'triaged', 'verifying', 'concluded'];
const SOURCES = ['tip_off_hotline', 'tip_off_web', 'tip_off_mail', 'tip_off_app', 'assigned', 'big_data', 'inspection', 'self_inspection', 'agency_transfer'];

/** The clues the officer may read: filtered, searched, sorted and paged by the server. */
export default function CluesPage() {
  const { t, c } = useI18n();
  const names = useNames();
  const { params, data, error, loading, set, onTableChange, pagination, sortOrder: sorted } = usePagedList<ClueView>('/clues', ['status', 'source']);
  return (
    <Card title={t('clues')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={`${t('number')} / ${t('subjectName')}`} defaultValue={params.get('q') ?? ''} onSearch={(v) => set({ q: v || undefined })} style={{ width: 240 }} />
        <Select mode="multiple" allowClear placeholder={t('status')} style={{ minWidth: 200 }} value={params.get('status')?.split(',') ?? []} onChange={(v: string[]) => set({ status: v.join(',') || undefined })} options={STATUSES.map((s) => ({ value: s, label: c(`clue:${s}`) }))} />
        <Select mode="multiple" allowClear placeholder={t('source')} style={{ minWidth: 200 }} value={params.get('source')?.split(',') ?? []} onChange={(v: string[]) => set({ source: v.join(',') || undefined })} options={SOURCES.map((s) => ({ value: s, label: c(s) }))} maxTagCount={2} />
      </Space>
      {error ? <ErrorNote error={error} /> : null}
      <Table<ClueView>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={pagination}
        onChange={onTableChange}
        columns={[
          { title: t('number'), key: 'number', dataIndex: 'number', sorter: true, sortOrder: sorted('number'), width: 170, render: (v, r) => <Link to={`/clues/${r.id}`}>{v}</Link> },
          { title: t('subjectName'), key: 'subject', dataIndex: ['subject', 'name'], sorter: true, sortOrder: sorted('subject'), ellipsis: true },
          { title: t('source'), key: 'source', dataIndex: 'source', sorter: true, sortOrder: sorted('source'), width: 110, render: (v) => c(v) },
          { title: t('status'), key: 'status', dataIndex: 'status', sorter: true, sortOrder: sorted('status'), width: 100, render: (v, r) => <Tag>{r.outcome ? c(r.outcome) : c(`clue:${v}`)}</Tag> },
          { title: t('amount'), key: 'amountFen', dataIndex: 'amountFen', sorter: true, sortOrder: sorted('amountFen'), width: 130, align: 'right', render: (v) => yuan(v) },
          { title: t('agency'), key: 'agency', dataIndex: 'agencyId', width: 160, ellipsis: true, render: (v) => names.agency(v) },
          { title: t('createdAt'), key: 'createdAt', dataIndex: 'createdAt', sorter: true, sortOrder: sorted('createdAt'), width: 160, render: (v) => shanghaiTime(v) },
        ]}
      />
    </Card>
  );
}
