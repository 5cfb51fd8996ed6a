import { Alert, Button, Card, Descriptions, Empty, Form, Input, Space, Tag, Timeline, Typography } from 'antd';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import type { NotificationView, SupervisionView } from '../api/types';
import { ErrorNote, Loading } from '../components/Loading';
import { useProblemForm } from '../forms/useProblemForm';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { useNames, useSession } from '../session';
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';

/** One form of the order page: a progress report (the supervised bureau) or the closing note (the office). */
function OrderForm({ path, fields, submitLabel, testId, onDone }: { path: string; fields: { name: string; label: string; required: boolean; rows?: number }[]; submitLabel: string; testId: string; onDone: (v: SupervisionView) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Record<string, string>>();
  const { busy, error, run } = useProblemForm(form, fields.map((f) => f.name));
  const finish = async (values: Record<string, string>) => {
    const body: Record<string, string> = {};
    for (const f of fields) if (values[f.name]?.trim()) body[f.name] = values[f.name].trim();
    let view: SupervisionView | undefined;
    if (await run(async () => (view = await api.post<SupervisionView>(path, body)))) {
      form.resetFields();
      onDone(view!);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={finish} data-testid={testId}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      {fields.map((f) => (
        <Form.Item key={f.name} name={f.name} label={f.label} rules={f.required ? [{ required: true, whitespace: true, message: t('required') }] : []}>
          {f.rows ? <Input.TextArea rows={f.rows} maxLength={10000} /> : <Input maxLength={100} />}
        </Form.Item>
      ))}
      <Button type="primary" htmlType="submit" loading={busy} data-testid={`${testId}-submit`}>
        {submitLabel}
      </Button>
    </Form>
  );
}

/**
 * A supervision order: its requirements, deadlines and progress reports. The view carries no
 * `allowedActions`; the forms follow who the order names (the supervised bureau reports, the
 * issuing office closes), and the API checks again.
 */
export default function SupervisionDetailPage() {
  const { id } = useParams();
  const { t, c } = useI18n();
  const names = useNames();
  const { principal } = useSession();
  const { data: view, error, reload, setData } = useApi<SupervisionView>(`/supervisions/${id}`);
  useLive(useCallback((n: NotificationView) => n.link?.includes(id ?? '-') && reload(), [id, reload]));
  if (error) return <ErrorNote error={error} />;
  if (!view) return <Loading />;
  const open = view.status === 'open';
  const supervised = open && principal?.agencyId === view.supervisedAgencyId;
  const issuer = open && principal?.agencyId === view.issuingAgencyId;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span>{view.documentNumber}</span>
            <Tag color={view.kind === 'listed' ? 'volcano' : 'blue'}>{c(view.kind)}</Tag>
            <Tag data-testid="supervision-status" data-status={view.status}>{c(`supervision:${view.status}`)}</Tag>
          </Space>
        }
      >
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('cases')}><Link to={`/cases/${view.caseId}`}>{view.caseNumber}</Link></Descriptions.Item>
          <Descriptions.Item label={t('issuingAgency')}>{names.agency(view.issuingAgencyId)}</Descriptions.Item>
          <Descriptions.Item label={t('supervisedAgency')}>{names.agency(view.supervisedAgencyId)}</Descriptions.Item>
          <Descriptions.Item label={t('reportEvery')}>{view.reportEveryWorkingDays}</Descriptions.Item>
          <Descriptions.Item label={t('nextReport')}>
            {view.nextReportDueAt ? <Tag color={view.reportOverdue ? 'red' : 'blue'} data-testid="next-report">{shanghaiTime(view.nextReportDueAt)}</Tag> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('deadline')}>
            <Tag color={view.deadlineOverdue ? 'red' : 'blue'}>{shanghaiTime(view.deadline)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('requirements')} span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{view.requirements}</Typography.Paragraph>
          </Descriptions.Item>
        </Descriptions>
        {(view.reportOverdue || view.deadlineOverdue) && open && <Alert type="error" showIcon title={t('overdue')} style={{ marginTop: 8 }} />}
      </Card>
      <Card size="small" title={t('reports')}>
        {view.reports.length ? (
          <Timeline
            items={view.reports.map((r) => ({
              key: r.seq,
              color: r.late ? 'red' : 'blue',
              content: (
                <div data-testid="supervision-report">
                  <div style={{ whiteSpace: 'pre-wrap' }}>{r.progress}</div>
                  <Typography.Text type="secondary">
                    {shanghaiTime(r.at)} · {names.officer(r.actorId)} · {names.agency(r.agencyId)}
                    {r.documentNumber && ` · ${t('documentNumber')} ${r.documentNumber}`}
                  </Typography.Text>
                  {r.late && <Tag color="red" style={{ marginLeft: 8 }}>{t('late')}</Tag>}
                </div>
              ),
            }))}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        )}
      </Card>
      {supervised && (
        <Card size="small" title={t('reportProgress')}>
          <OrderForm
            path={`/supervisions/${view.id}/reports`}
            testId="report-form"
            submitLabel={t('reportProgress')}
            fields={[
              { name: 'progress', label: t('progress'), required: true, rows: 4 },
              { name: 'documentNumber', label: t('documentNumber'), required: false },
            ]}
            onDone={setData}
          />
        </Card>
      )}
      {issuer && (
        <Card size="small" title={t('closeOrder')}>
          <OrderForm path={`/supervisions/${view.id}/close`} testId="close-form" submitLabel={t('closeOrder')} fields={[{ name: 'note', label: t('note'), required: true, rows: 3 }]} onDone={setData} />
        </Card>
      )}
    </Space>
  );
}
