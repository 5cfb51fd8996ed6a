import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../api/client';
import type { LedgerHistoryPage, LedgerProblemView, LedgerStepView, LedgerView, NotificationView } from '../api/types';
import { DownloadButton } from '../components/Download';
import { ErrorNote, Loading } from '../components/Loading';
import { LedgerProgressForm } from '../forms/LedgerProgressForm';
import { useProblemForm } from '../forms/useProblemForm';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useLive } from '../inbox/live';
import { fenToYuan, YUAN, yuan, yuanToFen } from '../money';
import { useNames, useSession } from '../session';
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';

const MONEY_FIELDS: [keyof LedgerProblemView, MessageKey][] = [
  ['violatingEmployeesFen', 'violatingEmployeesYuan'],
  ['violatingResidentsFen', 'violatingResidentsYuan'],
  ['refundedEmployeesFen', 'refundedEmployeesYuan'],
  ['refundedResidentsFen', 'refundedResidentsYuan'],
];

interface RowValues {
  category?: string;
  content?: string;
  violatingEmployeesFen?: string;
  violatingResidentsFen?: string;
  refundedEmployeesFen?: string;
  refundedResidentsFen?: string;
  rectified?: boolean;
  reason?: string;
}
interface LedgerValues {
  insuranceTypes: string[];
  problems: RowValues[];
}

/** The body of PUT /ledgers/{id} and POST /campaigns/{id}/ledgers: yuan as typed, sent in fen. */
export function ledgerBody(v: LedgerValues) {
  return {
    insuranceTypes: v.insuranceTypes ?? [],
    problems: (v.problems ?? []).map((r) => ({
      category: r.category?.trim() ?? '',
      content: r.content?.trim() ?? '',
      violatingEmployeesFen: yuanToFen(r.violatingEmployeesFen || '0'),
      violatingResidentsFen: yuanToFen(r.violatingResidentsFen || '0'),
      refundedEmployeesFen: yuanToFen(r.refundedEmployeesFen || '0'),
      refundedResidentsFen: yuanToFen(r.refundedResidentsFen || '0'),
      rectified: !!r.rectified,
      ...(r.reason?.trim() ? { reason: r.reason.trim() } : {}),
    })),
  };
}

/**
 * The institution's Annex 3 as a form: insurance types and one block per problem row. Saving
 * creates the ledger (`campaignId`) or replaces it (`ledger`); submit / resubmit save first.
 */
export function LedgerEditor({ ledger, campaignId, onSaved }: { ledger?: LedgerView; campaignId?: string; onSaved: (v: LedgerView) => void }) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<LedgerValues>();
  const { busy, error, run } = useProblemForm(form, ['insuranceTypes', ...['category', 'content', ...MONEY_FIELDS.map(([k]) => k), 'rectified', 'reason'].map((k) => `problems.*.${k}`)], { LEDGER_CHANGED: t('ledgerChanged') });
  const steps = (ledger?.allowedActions ?? []).filter((a) => a === 'submit' || a === 'resubmit');
  const save = async (then?: string) => {
    let values: LedgerValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    let view: LedgerView | undefined;
    const ok = await run(async () => {
      const body = ledgerBody(values);
      // The ledger as loaded: a save made meanwhile by someone else is not overwritten (409 LEDGER_CHANGED).
      view = ledger ? await api.put<LedgerView>(`/ledgers/${ledger.id}`, { ...body, updatedAt: ledger.updatedAt }) : await api.post<LedgerView>(`/campaigns/${campaignId}/ledgers`, body);
      if (then) view = await api.post<LedgerView>(`/ledgers/${view.id}/steps`, { action: then });
    });
    if (ok) onSaved(view!);
  };
  const initial: LedgerValues = {
    insuranceTypes: ledger?.insuranceTypes ?? ['employees', 'residents'],
    problems: (ledger?.problems ?? []).map((p) => ({
      category: p.category,
      content: p.content,
      violatingEmployeesFen: fenToYuan(p.violatingEmployeesFen),
      violatingResidentsFen: fenToYuan(p.violatingResidentsFen),
      refundedEmployeesFen: fenToYuan(p.refundedEmployeesFen),
      refundedResidentsFen: fenToYuan(p.refundedResidentsFen),
      rectified: p.rectified,
      reason: p.reason ?? undefined,
    })),
  };
  return (
    <Form form={form} layout="vertical" initialValues={initial} data-testid="ledger-form">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form.Item name="insuranceTypes" label={t('insuranceTypes')} rules={[{ required: true, message: t('required') }]}>
        <Checkbox.Group options={['employees', 'residents'].map((v) => ({ value: v, label: c(v) }))} />
      </Form.Item>
      <Form.List name="problems">
        {(rows, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {rows.map((row, i) => (
              <Card key={row.key} size="small" title={`${t('row')} ${i + 1}`} extra={<Button size="small" danger onClick={() => remove(row.name)}>{t('remove')}</Button>} data-testid="ledger-row">
                <Space wrap align="start">
                  <Form.Item name={[row.name, 'category']} label={t('category')} rules={[{ required: true, whitespace: true, message: t('required') }]} style={{ width: 300 }}>
                    <Input maxLength={200} data-testid="row-category" />
                  </Form.Item>
                  <Form.Item name={[row.name, 'content']} label={t('content')} rules={[{ required: true, whitespace: true, message: t('required') }]} style={{ width: 420 }}>
                    <Input.TextArea rows={2} maxLength={300} data-testid="row-content" />
                  </Form.Item>
                </Space>
                <Space wrap align="start">
                  {MONEY_FIELDS.map(([k, label]) => (
                    <Form.Item key={k} name={[row.name, k]} label={t(label)} rules={[{ pattern: YUAN, message: t('yuanFormat') }]} style={{ width: 180 }}>
                      <Input inputMode="decimal" placeholder="0.00" data-testid={`row-${k}`} />
                    </Form.Item>
                  ))}
                  <Form.Item name={[row.name, 'rectified']} valuePropName="checked" label=" ">
                    <Checkbox data-testid="row-rectified">{t('rectified')}</Checkbox>
                  </Form.Item>
                  <Form.Item name={[row.name, 'reason']} label={t('reason')} style={{ width: 260 }}>
                    <Input maxLength={500} data-testid="row-reason" />
                  </Form.Item>
                </Space>
              </Card>
            ))}
            <Button onClick={() => add({ rectified: false })} data-testid="ledger-add-row">
              {t('addRow')}
            </Button>
          </Space>
        )}
      </Form.List>
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end', marginTop: 12 }}>
        <Button loading={busy} onClick={() => save()} data-testid="ledger-save">
          {t('save')}
        </Button>
        {steps.map((a) => (
          <Button key={a} type="primary" loading={busy} onClick={() => save(a)} data-testid={`ledger-step-${a}`}>
            {c(`ledger:${a}`)}
          </Button>
        ))}
      </div>
    </Form>
  );
}

/** What a progress entry changed in one row: each column before → after, refunds in yuan. */
function ProgressChange({ change }: { change: NonNullable<LedgerStepView['changes']>[number] }) {
  const { t } = useI18n();
  const parts: string[] = [];
  for (const [k, label] of MONEY_FIELDS) {
    const [a, b] = [change.before[k], change.after[k]];
    if (a !== b) parts.push(`${t(label)} ${yuan(a as number)} → ${yuan(b as number)}`);
  }
  if (change.before.rectified !== change.after.rectified) parts.push(`${t('rectified')} ${t(change.before.rectified ? 'yes' : 'no')} → ${t(change.after.rectified ? 'yes' : 'no')}`);
  if (change.before.reason !== change.after.reason) parts.push(`${t('reason')} ${change.before.reason ?? '—'} → ${change.after.reason ?? '—'}`);
  return (
    <div data-testid="ledger-change" data-seq={change.seq}>
      {`${t('row')} ${change.seq}：${parts.join('；')}`}
    </div>
  );
}

/**
 * A ledger's steps, oldest first. The view carries the latest ones (LEDGER_VIEW_HISTORY_STEPS at
 * most, fewer when progress entries are large); older ones are read on request, a page at a time
 * (GET /ledgers/{id}/history, newest first, `before` to go on).
 */
function LedgerHistory({ view }: { view: LedgerView }) {
  const { t, c } = useI18n();
  const names = useNames();
  const { principal } = useSession();
  const [older, setOlder] = useState<LedgerStepView[]>([]);
  const [before, setBefore] = useState(view.historyBefore);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const steps = [...older, ...view.history];
  const earlier = async () => {
    if (before === null) return;
    setLoading(true);
    try {
      const page = await api.get<LedgerHistoryPage>(`/ledgers/${view.id}/history?before=${before}`);
      setOlder([...[...page.items].reverse(), ...older]);
      setBefore(page.before);
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  return (
    <Card
      title={t('history')}
      size="small"
      extra={
        <Typography.Text type="secondary" data-testid="ledger-history-count" data-shown={steps.length} data-total={view.historyTotal}>
          {t('historyShown').replace('{shown}', String(steps.length)).replace('{total}', String(view.historyTotal))}
        </Typography.Text>
      }
    >
      {before !== null && (
        <Button size="small" loading={loading} onClick={earlier} style={{ marginBottom: 12 }} data-testid="ledger-history-earlier">
          {t('historyEarlier')}
        </Button>
      )}
      {error ? <ErrorNote error={error} /> : null}
      <Timeline
        items={steps.map((h) => ({
          key: h.id,
          content: (
            <div data-testid="ledger-history" data-action={h.action} data-step={h.id}>
              <Typography.Text strong>{c(`ledger:${h.action}`)}</Typography.Text> → {c(`ledger:${h.toStatus}`)}
              <div>
                <Typography.Text type="secondary">
                  {shanghaiTime(h.at)} ·{' '}
                  {h.actorKind === 'institution'
                    ? view.institution.name
                    : // An institution reads no directory: the officers who act on its ledger are the reviewing bureau's.
                      principal?.kind === 'institution'
                      ? c('MEDICAL_INSURANCE')
                      : `${names.officer(h.actorId)} · ${names.agency(h.agencyId ?? '')}`}
                </Typography.Text>
              </div>
              {h.note && <div style={{ whiteSpace: 'pre-wrap' }}>{h.note}</div>}
              {h.changes?.map((ch) => <ProgressChange key={ch.seq} change={ch} />)}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

/** One ledger: the institution block, the rows (a form while the institution may edit), its steps and the Annex 3 files. */
export function LedgerPanel({ id }: { id: string }) {
  const { t, c } = useI18n();
  const { data: view, error, reload, setData } = useApi<LedgerView>(`/ledgers/${id}`);
  const [returning, setReturning] = useState(false);
  const [note, setNote] = useState('');
  const [stepError, setStepError] = useState<string | null>(null);
  useLive(useCallback((n: NotificationView) => n.link?.includes(id) && reload(), [id, reload]));
  if (error) return <ErrorNote error={error} />;
  if (!view) return <Loading />;
  const step = async (action: string, body: Record<string, unknown> = {}) => {
    setStepError(null);
    try {
      setData(await api.post<LedgerView>(`/ledgers/${view.id}/steps`, { action, ...body }));
      return true;
    } catch (e) {
      setStepError(String((e as Error).message));
      return false;
    }
  };
  const editable = view.allowedActions.includes('update');
  const base = `附件3_${view.institution.code}`;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span data-testid="ledger-institution">{view.institution.name}</span>
            <Tag color={view.status === 'accepted' ? 'green' : view.status === 'returned' ? 'red' : 'blue'} data-testid="ledger-status" data-status={view.status}>
              {c(`ledger:${view.status}`)}
            </Tag>
          </Space>
        }
        extra={
          <Space>
            <DownloadButton path={`/ledgers/${view.id}/annex3.xlsx`} name={`${base}.xlsx`} label={t('downloadXlsx')} testId="annex3-xlsx" />
            <DownloadButton path={`/ledgers/${view.id}/annex3.csv`} name={`${base}.csv`} label={t('downloadCsv')} testId="annex3-csv" />
          </Space>
        }
      >
        <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('institution')}>{view.institution.code}</Descriptions.Item>
          <Descriptions.Item label={t('insuranceTypes')}>{view.insuranceTypes.map((x) => c(x)).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('count')}>{view.totals.problems}</Descriptions.Item>
          <Descriptions.Item label={t('violatingEmployeesYuan')}>{yuan(view.totals.violatingEmployeesFen)}</Descriptions.Item>
          <Descriptions.Item label={t('violatingResidentsYuan')}>{yuan(view.totals.violatingResidentsFen)}</Descriptions.Item>
          <Descriptions.Item label={t('rectified')}>{`${view.totals.rectified} / ${view.totals.problems}`}</Descriptions.Item>
        </Descriptions>
        {view.status === 'returned' && view.returnReasons && (
          <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('returnReasons')} description={<span data-testid="return-reasons">{view.returnReasons}</span>} />
        )}
        {stepError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={stepError} data-testid="step-error" />}
        {(view.allowedActions.includes('accept') || view.allowedActions.includes('return')) && (
          <Space style={{ marginTop: 12 }}>
            {view.allowedActions.includes('accept') && (
              <Button type="primary" onClick={() => step('accept')} data-testid="ledger-step-accept">
                {c('ledger:accept')}
              </Button>
            )}
            {view.allowedActions.includes('return') && (
              <Button danger onClick={() => setReturning(true)} data-testid="ledger-step-return">
                {c('ledger:return')}
              </Button>
            )}
          </Space>
        )}
      </Card>
      <Card title={t('problems')} size="small">
        {editable ? (
          <LedgerEditor key={view.updatedAt} ledger={view} onSaved={setData} />
        ) : (
          <Table<LedgerProblemView>
            size="small"
            rowKey="seq"
            pagination={false}
            dataSource={view.problems}
            scroll={{ x: 1100 }}
            columns={[
              { title: '#', dataIndex: 'seq', width: 50 },
              { title: t('category'), dataIndex: 'category', width: 200 },
              { title: t('content'), dataIndex: 'content' },
              ...MONEY_FIELDS.map(([k, label]) => ({ title: t(label), dataIndex: k, width: 130, align: 'right' as const, render: (v: number) => yuan(v) })),
              { title: t('rectified'), dataIndex: 'rectified', width: 90, render: (v: boolean, r: LedgerProblemView) => (v ? <Tag color="green">✓</Tag> : <Tag>{r.reason}</Tag>) },
            ]}
          />
        )}
      </Card>
      {view.allowedActions.includes('progress') && (
        <Card title={c('ledger:progress')} size="small">
          <LedgerProgressForm key={view.updatedAt} ledger={view} onDone={setData} />
        </Card>
      )}
      <LedgerHistory key={`${view.id}:${view.historyTotal}:${view.historyBefore}`} view={view} />
      <Modal
        open={returning}
        title={c('ledger:return')}
        onCancel={() => setReturning(false)}
        okButtonProps={{ disabled: !note.trim(), 'data-testid': 'return-confirm' } as never}
        onOk={async () => (await step('return', { note: note.trim() })) && setReturning(false)}
        destroyOnHidden
      >
        <Typography.Text>{t('returnReasons')}</Typography.Text>
        <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="return-note" />
      </Modal>
    </Space>
  );
}

export default function LedgerDetailPage() {
  const { id } = useParams();
  return id ? <LedgerPanel id={id} /> : null;
}
