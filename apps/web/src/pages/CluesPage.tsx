import { Button, Card, Checkbox, Input, Select, Space, Table } from 'antd';
import { Link } from 'react-router-dom';
import type { ClueView } from '../api/types';
import { CLUE_SOURCES, CLUE_STATUSES, isAboveDistrict, mayRecordClues } from '../clues';
import { ClueStatusTag } from '../components/ClueStatusTag';
import { ErrorNote } from '../components/Loading';
import { useI18n } from '../i18n';
import { yuan } from '../money';
import { useNames, useSession } from '../session';
import { shanghaiTime } from '../time';
import { usePagedList } from '../usePagedList';

/**
 * The clues the officer may read: filtered, searched, sorted and paged by the server. A city's or a
 * province's bureau narrows them to those it assigned down (交办), to accept or return their reports.
 */
export default function CluesPage() {
  const { t, c } = useI18n();
  const names = useNames();
  const { principal } = useSession();
  const { params, data, error, loading, set, onTableChange, pagination, sortOrder: sorted } = usePagedList<ClueView>('/clues', ['status', 'source', 'assignedBy']);
  const assigner = isAboveDistrict(principal) && !!principal?.agencyId;
  return (
    <Card
      title={t('clues')}
      extra={mayRecordClues(principal) && <Link to="/clues/new"><Button type="primary" data-testid="new-clue">{t('newClue')}</Button></Link>}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={`${t('number')} / ${t('subjectName')}`} defaultValue={params.get('q') ?? ''} onSearch={(v) => set({ q: v || undefined })} style={{ width: 240 }} />
        <Select mode="multiple" allowClear placeholder={t('status')} style={{ minWidth: 200 }} value={params.get('status')?.split(',') ?? []} onChange={(v: string[]) => set({ status: v.join(',') || undefined })} options={CLUE_STATUSES.map((s) => ({ value: s, label: c(`clue:${s}`) }))} data-testid="clue-status-filter" />
        <Select mode="multiple" allowClear placeholder={t('source')} style={{ minWidth: 200 }} value={params.get('source')?.split(',') ?? []} onChange={(v: string[]) => set({ source: v.join(',') || undefined })} options={CLUE_SOURCES.map((s) => ({ value: s, label: c(s) }))} maxTagCount={2} />
        {assigner && (
          <Checkbox checked={params.get('assignedBy') === principal?.agencyId} onChange={(e) => set({ assignedBy: e.target.checked ? principal?.agencyId : undefined })} data-testid="assigned-by-us">
            {t('assignedByUs')}
          </Checkbox>
        )}
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
        data-testid="clues-table"
        columns={[
          { title: t('number'), key: 'number', dataIndex: 'number', sorter: true, sortOrder: sorted('number'), width: 170, render: (v, r) => <Link to={`/clues/${r.id}`}>{v}</Link> },
          { title: t('subjectName'), key: 'subject', dataIndex: ['subject', 'name'], sorter: true, sortOrder: sorted('subject'), ellipsis: true },
          { title: t('source'), key: 'source', dataIndex: 'source', sorter: true, sortOrder: sorted('source'), width: 110, render: (v) => c(v) },
          { title: t('status'), key: 'status', dataIndex: 'status', sorter: true, sortOrder: sorted('status'), width: 170, render: (_, r) => <ClueStatusTag clue={r} /> },
          { title: t('amount'), key: 'amountFen', dataIndex: 'amountFen', sorter: true, sortOrder: sorted('amountFen'), width: 130, align: 'right', render: (v) => yuan(v) },
          { title: t('agency'), key: 'agency', dataIndex: 'agencyId', width: 160, ellipsis: true, render: (v) => names.agency(v) },
          { title: t('createdAt'), key: 'createdAt', dataIndex: 'createdAt', sorter: true, sortOrder: sorted('createdAt'), width: 160, render: (v) => shanghaiTime(v) },
        ]}
      />
    </Card>
  );
}
