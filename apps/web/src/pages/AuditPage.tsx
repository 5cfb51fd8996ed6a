import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { AuditEntryView, AuditTrailPage } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { useI18n } from '../i18n';
import { codeLabels } from '../i18n/messages';
import { isDate, shanghaiToday } from '../period';
import { useNames, useSession } from '../session';
import { shanghaiTime } from '../time';

/** The groups of actions the trail is narrowed to, by their prefix (`GET /audit?action=clue.`). */
const ACTION_GROUPS = ['session', 'account', 'officer', 'agency', 'institution', 'clue', 'transfer', 'case', 'campaign', 'ledger', 'supervision', 'invoice', 'webhook', 'audit_trail'] as const;

interface Filters {
  from: string;
  to: string;
  group?: string;
  actorId?: string;
  outcome?: 'succeeded' | 'refused';
  target?: string;
}

/** The first day of the default period: a week before today (Shanghai). */
const weekBefore = (today: string) => new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);

/**
 * 操作日志: what the officers of the administrator's agency did on the platform (`GET /audit`, every
 * service's log merged newest first), each refusal too: who, when, what, on which record, and the
 * detail the service recorded. Narrowed by period, kind of action, officer, outcome and record;
 * 加载更多 follows the page's `next` cursor. Each page read is itself an entry (操作日志 · 查看, with
 * the query), which the next reading shows.
 */
export default function AuditPage() {
  const { t, c, lang } = useI18n();
  const { principal, directory } = useSession();
  const { officer } = useNames();
  const today = shanghaiToday();
  const [filters, setFilters] = useState<Filters>({ from: weekBefore(today), to: today });
  const [items, setItems] = useState<AuditEntryView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const latest = useRef(0);
  const officers = [...directory.officers.values()].filter((o) => o.agencyId === principal?.agencyId);

  /** An action in words: its own label, or its group and then what was done (a procedure step's label where it has one). */
  const actionLabel = (action: string) => {
    if (Object.hasOwn(codeLabels[lang], `audit:${action}`)) return c(`audit:${action}`);
    const [group, ...rest] = action.split('.');
    const verb = rest.join('.');
    const done = Object.hasOwn(codeLabels[lang], `audit:${verb}`) ? c(`audit:${verb}`) : c(verb);
    return `${c(`audit:${group}`)} · ${done}`;
  };

  const load = useCallback(
    async (before?: string) => {
      const q = new URLSearchParams({ from: filters.from, to: filters.to });
      if (filters.group) q.set('action', `${filters.group}.`);
      if (filters.actorId) q.set('actorId', filters.actorId);
      if (filters.outcome) q.set('outcome', filters.outcome);
      if (filters.target) q.set('target', filters.target);
      if (before) q.set('before', before);
      // An answer to filters changed since is dropped: the list shows only what the filters now ask for.
      const asked = ++latest.current;
      setLoading(true);
      try {
        const page = await api.get<AuditTrailPage>(`/audit?${q}`);
        if (asked !== latest.current) return;
        setItems((shown) => (before ? [...shown, ...page.items] : page.items));
        setNext(page.next);
        setError(undefined);
      } catch (e) {
        if (asked === latest.current) setError(e);
      } finally {
        if (asked === latest.current) setLoading(false);
      }
    },
    [filters],
  );
  useEffect(() => void load(), [load]);

  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));
  return (
    <Card title={t('auditTrail')}>
      <Space wrap style={{ marginBottom: 12 }} data-testid="audit-filters">
        <Input type="date" prefix={t('periodFrom')} value={filters.from} max={filters.to} style={{ width: 180 }} data-testid="audit-from" onChange={(e) => isDate(e.target.value) && set({ from: e.target.value })} />
        <Input type="date" prefix={t('periodTo')} value={filters.to} min={filters.from} style={{ width: 180 }} data-testid="audit-to" onChange={(e) => isDate(e.target.value) && set({ to: e.target.value })} />
        <Select<string> allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('auditAction')} style={{ width: 150 }} value={filters.group} onChange={(group) => set({ group })} options={ACTION_GROUPS.map((g) => ({ value: g, label: c(`audit:${g}`) }))} data-testid="audit-group" />
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('auditOfficer')}
          style={{ width: 200 }}
          value={filters.actorId}
          onChange={(actorId) => set({ actorId })}
          options={officers.map((o) => ({ value: o.id, label: o.displayName }))}
          data-testid="audit-officer"
        />
        <Select<string> allowClear placeholder={t('auditOutcome')} style={{ width: 120 }} value={filters.outcome} onChange={(outcome) => set({ outcome: outcome as Filters['outcome'] })} options={(['succeeded', 'refused'] as const).map((o) => ({ value: o, label: t(o === 'succeeded' ? 'auditSucceeded' : 'auditRefused') }))} data-testid="audit-outcome" />
        <Input.Search allowClear placeholder={t('auditTargetSearch')} style={{ width: 240 }} onSearch={(v) => set({ target: v.trim() || undefined })} data-testid="audit-target" />
      </Space>
      {error ? <ErrorNote error={error} /> : null}
      <Table<AuditEntryView>
        rowKey={(e) => `${e.service}/${e.id}`}
        size="small"
        loading={loading}
        dataSource={items}
        pagination={false}
        data-testid="audit-list"
        onRow={(e) => ({ 'data-action': e.action, 'data-outcome': e.outcome }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (e) => (
            <Space orientation="vertical" size={4} data-testid="audit-detail">
              <Typography.Text type="secondary">
                {t('auditRequest')}：<Typography.Text copyable code>{e.correlationId ?? '—'}</Typography.Text>
              </Typography.Text>
              <pre style={{ margin: 0, padding: 8, fontSize: 12, background: 'rgba(0, 0, 0, 0.02)', borderRadius: 4 }}>{JSON.stringify(e.detail, null, 2)}</pre>
            </Space>
          ),
        }}
        columns={[
          { title: t('auditAt'), key: 'at', width: 180, render: (_, e) => shanghaiTime(e.at) },
          { title: t('auditOfficer'), key: 'actor', render: (_, e) => officer(e.actorId) },
          { title: t('auditAction'), key: 'action', render: (_, e) => <span title={e.action}>{actionLabel(e.action)}</span> },
          {
            title: t('auditTarget'),
            key: 'target',
            // An account acted on is named (the agency's own officers); other records by the start of their id.
            render: (_, e) =>
              e.target && directory.officers.has(e.target) ? (
                officer(e.target)
              ) : e.target ? (
                <Typography.Text code copyable={{ text: e.target }}>
                  {e.target.length > 13 ? `${e.target.slice(0, 8)}…` : e.target}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('auditOutcome'),
            key: 'outcome',
            width: 90,
            render: (_, e) => <Tag color={e.outcome === 'refused' ? 'red' : 'green'}>{t(e.outcome === 'refused' ? 'auditRefused' : 'auditSucceeded')}</Tag>,
          },
        ]}
      />
      {next && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void load(next)} loading={loading} data-testid="audit-more">
            {t('loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}
