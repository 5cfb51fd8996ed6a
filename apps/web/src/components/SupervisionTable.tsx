import { Space, Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import { Link } from 'react-router-dom';
import type { SupervisionView } from '../api/types';
import { useI18n } from '../i18n';
import { useNames } from '../session';
import { shanghaiTime } from '../time';

/** Supervision orders as a table: the order and its case (links), kind and status, the supervised bureau, the next report and the deadline (red when overdue). */
export function SupervisionTable({ rows, loading, pagination, onChange, testId }: {
  rows: SupervisionView[];
  loading?: boolean;
  pagination?: TableProps<SupervisionView>['pagination'];
  onChange?: TableProps<SupervisionView>['onChange'];
  testId?: string;
}) {
  const { t, c } = useI18n();
  const names = useNames();
  return (
    <Table<SupervisionView>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={rows}
      scroll={{ x: 900 }}
      data-testid={testId}
      pagination={pagination ?? false}
      onChange={onChange}
      columns={[
        { title: t('documentNumber'), dataIndex: 'documentNumber', render: (v, r) => <Link to={`/supervisions/${r.id}`}>{v}</Link> },
        { title: t('cases'), dataIndex: 'caseNumber', render: (v, r) => <Link to={`/cases/${r.caseId}`}>{v}</Link> },
        { title: t('status'), dataIndex: 'kind', width: 160, render: (v, r) => <Space size={4}><Tag color={v === 'listed' ? 'volcano' : 'blue'}>{c(v)}</Tag><Tag>{c(`supervision:${r.status}`)}</Tag></Space> },
        { title: t('supervisedAgency'), dataIndex: 'supervisedAgencyId', ellipsis: true, render: (v) => names.agency(v) },
        { title: t('nextReport'), dataIndex: 'nextReportDueAt', width: 170, render: (v, r) => (v ? <Tag color={r.reportOverdue ? 'red' : 'default'}>{shanghaiTime(v)}</Tag> : '—') },
        { title: t('deadline'), dataIndex: 'deadline', width: 170, render: (v, r) => <Tag color={r.deadlineOverdue ? 'red' : 'default'}>{shanghaiTime(v)}</Tag> },
      ]}
    />
  );
}
