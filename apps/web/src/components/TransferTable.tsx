import { Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { Link } from 'react-router-dom';
import type { TransferSummary } from '../api/types';
import { useI18n } from '../i18n';
import { useNames } from '../session';
import { shanghaiTime } from '../time';
import { LiveClock } from './Clock';

export const STATE_COLOR: Record<string, string> = {
  drafted: 'default', awaiting_approval: 'gold', approved: 'cyan', sent: 'blue', received: 'geekblue', declined: 'volcano', filed: 'green',
  rejected: 'red', under_supervision: 'purple', filing_ordered: 'magenta', concluded: 'green', judged: 'green', not_filed_final: 'default',
};

/**
 * Transfers as a table: number, title, route, state, the two agencies, the time left on the next
 * clock. Given `sortOrder` (the list's, from usePagedList), the sortable headers show the sort the
 * URL holds, so paging keeps it rather than falling back to a default the table assumed.
 */
export function TransferTable({ rows, loading, pagination, onChange, sortOrder, testId }: {
  rows: TransferSummary[];
  loading?: boolean;
  pagination?: TableProps<TransferSummary>['pagination'];
  onChange?: TableProps<TransferSummary>['onChange'];
  sortOrder?: (key: string) => SortOrder;
  testId?: string;
}) {
  const { t, c } = useI18n();
  const names = useNames();
  const sorted = (key: string) => (sortOrder ? { sorter: true, sortOrder: sortOrder(key) } : {});
  return (
    <Table<TransferSummary>
      size="small"
      rowKey="id"
      data-testid={testId}
      loading={loading}
      dataSource={rows}
      pagination={pagination ?? false}
      onChange={onChange}
      scroll={{ x: 1130 }}
      columns={[
        { title: t('number'), dataIndex: 'number', key: 'number', width: 150, ...sorted('number'), render: (v, r) => <Link to={`/transfers/${r.id}`}>{v}</Link> },
        { title: t('title'), dataIndex: 'title', key: 'title', ellipsis: true, ...sorted('title'), render: (v, r) => <Link to={`/transfers/${r.id}`}>{v}</Link> },
        { title: t('route'), dataIndex: 'route', key: 'route', width: 100, render: (v) => c(v) },
        { title: t('state'), dataIndex: 'state', key: 'state', width: 110, ...sorted('state'), render: (v) => <Tag color={STATE_COLOR[v]} data-testid="state-tag">{c(v)}</Tag> },
        { title: t('sender'), dataIndex: 'senderAgencyId', key: 'sender', width: 140, ellipsis: true, render: (v) => names.agency(v) },
        { title: t('receiver'), dataIndex: 'receiverAgencyId', key: 'receiver', width: 140, ellipsis: true, render: (v) => names.agency(v) },
        { title: t('timeLeft'), key: 'dueAt', width: 140, ...sorted('dueAt'), render: (_, r) => (r.nextClock ? <LiveClock clock={{ dueAt: r.nextClock.dueAt, stoppedAt: null, label: r.nextClock.step, status: 'running' }} /> : '—') },
        { title: t('createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 150, ...sorted('createdAt'), render: (v) => shanghaiTime(v) },
      ]}
    />
  );
}
