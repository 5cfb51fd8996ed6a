import { Alert, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import type { ClueView } from '../api/types';
import { LiveClock } from '../components/Clock';
import { ErrorNote, Loading } from '../components/Loading';
import { useProblemForm } from '../forms/useProblemForm';
import { useI18n } from '../i18n';
import { yuan } from '../money';
import { useNames, useSession } from '../session';
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';

interface Reporter {
  name: string;
  phone?: string;
  idNumber?: string;
  email?: string;
}

function ClueStepForm({ clue, action, onDone }: { clue: ClueView; action: string; onDone: (v: ClueView) => void }) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<{ note?: string; outcome?: string }>();
  const { busy, error, run } = useProblemForm(form, ['note', 'outcome']);
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={async (v) => {
        let view: ClueView | undefined;
        const body = { action, ...(v.note?.trim() ? { note: v.note.trim() } : {}), ...(v.outcome ? { outcome: v.outcome } : {}) };
        if (await run(async () => (view = await api.post<ClueView>(`/clues/${clue.id}/steps`, body)))) onDone(view!);
      }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {action === 'conclude' && (
        <Form.Item name="outcome" label={t('outcome')} rules={[{ required: true, message: t('required') }]}>
          <Select options={['unfounded', 'case_opened', 'transferred'].map((o) => ({ value: o, label: c(o) }))} />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('note')}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {c(action)}
      </Button>
    </Form>
  );
}

/**
 * One clue. The subject's ID number comes masked; a real-name reporter's identity stays sealed and
 * only the receiving bureau's tip-off desk sees a "show" button, each use of which the API audits.
 */
export default function ClueDetailPage() {
  const { id } = useParams();
  const { t, c } = useI18n();
  const names = useNames();
  const { principal } = useSession();
  const { data: clue, error, setData } = useApi<ClueView>(`/clues/${id}`);
  const [acting, setActing] = useState<string | null>(null);
  const [reporter, setReporter] = useState<Reporter | null>(null);
  const [revealError, setRevealError] = useState<unknown>();
  if (error) return <ErrorNote error={error} />;
  if (!clue) return <Loading />;
  const mayReveal = clue.hasReporter && principal?.agencyId === clue.agencyId && (principal.roles ?? []).includes('complaint_handler' as never);
  const reveal = () =>
    api
      .post<Reporter | null>(`/clues/${clue.id}/reporter`)
      .then((r) => setReporter(r ?? { name: t('anonymous') }))
      .catch(setRevealError);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={<Space><span>{clue.number}</span><Tag>{clue.outcome ? c(clue.outcome) : c(`clue:${clue.status}`)}</Tag>{clue.repeatedParty && <Tag color="red">!</Tag>}</Space>}>
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('subjectName')}>{clue.subject.name} {clue.subject.institutionCode && <Tag>{clue.subject.institutionCode}</Tag>}</Descriptions.Item>
          <Descriptions.Item label={t('idNumber')}>{clue.subject.idNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('source')}>{c(clue.source)}</Descriptions.Item>
          <Descriptions.Item label={t('agency')}>{names.agency(clue.agencyId)}</Descriptions.Item>
          <Descriptions.Item label={t('period')}>{clue.periodFrom} — {clue.periodTo}</Descriptions.Item>
          <Descriptions.Item label={t('amount')}>{yuan(clue.amountFen)}</Descriptions.Item>
          <Descriptions.Item label={t('createdAt')}>{shanghaiTime(clue.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('timeLeft')}>
            {clue.status === 'concluded' ? '—' : <LiveClock clock={{ dueAt: clue.filingDecisionDueAt, stoppedAt: null, label: '', status: 'running' }} />}
          </Descriptions.Item>
          <Descriptions.Item label={t('reporter')} span={2}>
            {!clue.hasReporter && t('anonymous')}
            {clue.hasReporter && !reporter && (
              <Space>
                <span data-testid="reporter-masked">{t('reporterHidden')}</span>
                {mayReveal && (
                  <Popconfirm title={t('showAudited')} onConfirm={reveal} okText={t('show')} cancelText={t('cancel')}>
                    <Button size="small" data-testid="reveal-reporter">{t('show')}</Button>
                  </Popconfirm>
                )}
              </Space>
            )}
            {reporter && (
              <span data-testid="reporter">
                {reporter.name} {reporter.phone} {reporter.idNumber} {reporter.email}
              </span>
            )}
            {revealError ? <ErrorNote error={revealError} /> : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('description')} span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{clue.description}</Typography.Paragraph>
          </Descriptions.Item>
          {clue.duplicates.length > 0 && (
            <Descriptions.Item label="⚠" span={2}>
              {clue.duplicates.map((d) => <Link key={d.id} to={`/clues/${d.id}`}><Tag color="orange">{d.number}</Tag></Link>)}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={t('actions')} size="small">
        <Space wrap>
          {clue.allowedActions.map((a) => (
            <Button key={a} type="primary" onClick={() => setActing(a)} data-testid={`clue-action-${a}`}>{c(a)}</Button>
          ))}
          {principal?.agencyKind === 'MEDICAL_INSURANCE' && principal.agencyId === clue.agencyId && clue.status !== 'concluded' && (
            <Link to={`/transfers/new?clue=${clue.id}`}><Button>{t('newTransfer')}</Button></Link>
          )}
          {!clue.allowedActions.length && <Typography.Text type="secondary">{t('noActions')}</Typography.Text>}
        </Space>
      </Card>
      <Modal open={!!acting} title={c(acting)} footer={null} onCancel={() => setActing(null)} destroyOnHidden>
        {acting && <ClueStepForm clue={clue} action={acting} onDone={(v) => { setActing(null); setData(v); }} />}
      </Modal>
    </Space>
  );
}
