import { Card, Input, Select, Space, Table, Tag } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useCallback, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { ClueView, Page } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { useNames } from '../session';
import { useApi } from '../useApi';

const STATUSES = ['received', 'triaged', 'verifying', 'concluded'];
const SOURCES = ['tip_off_hotline', 'tip_off_web', 'tip_off_mail', 'tip_off_app', 'assigned', 'big_data', 'inspection', 'self_inspection', 'agency_transfer'];

export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const whole = Math.trunc(fen / 100);
  const cents = String(Math.abs(fen % 100)).padStart(2, '0');
  return `¥${whole.toLocaleString('zh-CN')}.${cents}`;
}

/** The clues the officer may read: filtered, searched, sorted and paged by the server. */
export default function CluesPage() {
  const { t, c } = useI18n();
  const names = useNames();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const query = useMemo(() => {
    const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize), sort: params.get('sort') ?? '-createdAt' });
    for (const k of ['status', 'source', 'q']) if (params.get(k)) q.set(k, params.get(k)!);
    return q.toString();
  }, [params, page, pageSize]);
  const { data, error, loading, reload } = useApi<Page<ClueView>>(`/clues?${query}`);
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
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (n) => `${t('total')} ${n}` }}
        onChange={(p, _f, sorter) => {
          const s = sorter as SorterResult<ClueView>;
          set({ page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20), sort: s.order ? `${s.order === 'descend' ? '-' : ''}${String(s.columnKey)}` : undefined });
        }}
        columns={[
          { title: t('number'), key: 'number', dataIndex: 'number', sorter: true, width: 170, render: (v, r) => <Link to={`/clues/${r.id}`}>{v}</Link> },
          { title: t('subjectName'), key: 'subject', dataIndex: ['subject', 'name'], sorter: true, ellipsis: true },
          { title: t('source'), key: 'source', dataIndex: 'source', sorter: true, width: 110, render: (v) => c(v) },
          { title: t('status'), key: 'status', dataIndex: 'status', sorter: true, width: 100, render: (v, r) => <Tag>{r.outcome ? c(r.outcome) : c(`clue:${v}`)}</Tag> },
          { title: t('amount'), key: 'amountFen', dataIndex: 'amountFen', sorter: true, width: 130, align: 'right', render: (v) => yuan(v) },
          { title: t('agency'), key: 'agency', dataIndex: 'agencyId', width: 160, ellipsis: true, render: (v) => names.agency(v) },
          { title: t('createdAt'), key: 'createdAt', dataIndex: 'createdAt', sorter: true, defaultSortOrder: 'descend', width: 160, render: (v) => new Date(v).toLocaleString() },
        ]}
      />
    </Card>
  );
}
