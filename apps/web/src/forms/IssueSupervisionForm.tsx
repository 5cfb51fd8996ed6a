import { Alert, Button, Form, Input, InputNumber, Select } from 'antd';
import { api } from '../api/client';
import type { SupervisionView } from '../api/types';
import { useI18n } from '../i18n';
import { useProblemForm } from './useProblemForm';

type Values = { kind: 'supervision' | 'listed'; documentNumber: string; requirements: string; deadline: string; reportEveryWorkingDays: number };

/**
 * 督办 / 挂牌督办 of a case by the leading-group office (`POST /supervisions`). 挂牌督办 is offered
 * for a major case only, as the API takes it for no other. The deadline is a date in Asia/Shanghai,
 * sent as the end of that day; the API's refusals land next to the fields, or above the form in the
 * officer's language when they concern the case (concluded meanwhile, or put under an order by
 * someone else).
 */
export function IssueSupervisionForm({ caseId, major, onDone }: { caseId: string; major: boolean; onDone: (v: SupervisionView) => void }) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useProblemForm(form, ['kind', 'documentNumber', 'requirements', 'deadline', 'reportEveryWorkingDays'], {
    CASE_CONCLUDED: t('caseConcluded'),
    SUPERVISION_ALREADY_OPEN: t('supervisionAlreadyOpen'),
    LISTED_SUPERVISION_NEEDS_MAJOR_CASE: t('listedNeedsMajor'),
  });
  const kinds = major ? (['supervision', 'listed'] as const) : (['supervision'] as const);
  const required = [{ required: true, whitespace: true, message: t('required') }];
  const finish = async (v: Values) => {
    let view: SupervisionView | undefined;
    const body = { caseId, kind: v.kind, documentNumber: v.documentNumber.trim(), requirements: v.requirements.trim(), deadline: `${v.deadline}T23:59:59+08:00`, reportEveryWorkingDays: v.reportEveryWorkingDays };
    if (await run(async () => (view = await api.post<SupervisionView>('/supervisions', body)))) onDone(view!);
  };
  return (
    <Form form={form} layout="vertical" onFinish={finish} initialValues={{ kind: 'supervision', reportEveryWorkingDays: 10 }} data-testid="issue-supervision-form">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form.Item name="kind" label={t('supervisions')} rules={[{ required: true, message: t('required') }]}>
        <Select options={kinds.map((k) => ({ value: k, label: c(k) }))} data-testid="supervision-kind" />
      </Form.Item>
      <Form.Item name="documentNumber" label={t('documentNumber')} rules={required}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="requirements" label={t('requirements')} rules={required}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Form.Item name="deadline" label={t('deadline')} rules={required}>
        <Input type="date" />
      </Form.Item>
      <Form.Item name="reportEveryWorkingDays" label={t('reportEvery')} rules={[{ required: true, message: t('required') }]}>
        <InputNumber min={1} max={60} precision={0} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="issue-supervision-submit">
        {t('issueSupervision')}
      </Button>
    </Form>
  );
}
