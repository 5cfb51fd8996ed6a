import { Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import { Link } from 'react-router-dom';
import type { TransferSummary } from '../api/types';
import { useI18n } from '../i18n';
import { useNames } from '../session';
import { LiveClock } from './Clock';

export const STATE_COLOR: Record<string, string> = {
  drafted: 'default', awaiting_approval: 'gold', approved: 'cyan', sent: 'blue', received: 'geekblue', declined: 'volcano', filed: 'green',
  rejected: 'red', under_supervision: 'purple', filing_ordered: 'magenta', concluded: 'green', judged: 'green', not_filed_final: 'default',
};

/** Transfers as a table: number, title, route, state, the two agencies, the time left on the next clock. */
export function TransferTable({ rows, loading, pagination, onChange, sortable = false, testId }: {
  rows: TransferSummary[];
  loading?: boolean;
  pagination?: TableProps<TransferSummary>['pagination'];
  onChange?: TableProps<TransferSummary>['onChange'];
  sortable?: boolean;
  testId?: string;
}) {
  const { t, c } = useI18n();
  const names = useNames();
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
        { title: t('number'), dataIndex: 'number', key: 'number', width: 150, sorter: sortable, render: (v, r) => <Link to={`/transfers/${r.id}`}>{v}</Link> },
        { title: t('title'), dataIndex: 'title', key: 'title', ellipsis: true, sorter: sortable, render: (v, r) => <Link to={`/transfers/${r.id}`}>{v}</Link> },
        { title: t('route'), dataIndex: 'route', key: 'route', width: 100, render: (v) => c(v) },
        { title: t('state'), dataIndex: 'state', key: 'state', width: 110, sorter: sortable, render: (v) => <Tag color={STATE_COLOR[v]} data-testid="state-tag">{c(v)}</Tag> },
        { title: t('sender'), dataIndex: 'senderAgencyId', key: 'sender', width: 140, ellipsis: true, render: (v) => names.agency(v) },
        { title: t('receiver'), dataIndex: 'receiverAgencyId', key: 'receiver', width: 140, ellipsis: true, render: (v) => names.agency(v) },
        { title: t('timeLeft'), key: 'dueAt', width: 140, sorter: sortable, render: (_, r) => (r.nextClock ? <LiveClock clock={{ dueAt: r.nextClock.dueAt, stoppedAt: null, label: r.nextClock.step, status: 'running' }} /> : '—') },
        { title: t('createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 150, sorter: sortable, defaultSortOrder: sortable ? 'descend' : undefined, render: (v) => new Date(v).toLocaleString() },
      ]}
    />
  );
}
