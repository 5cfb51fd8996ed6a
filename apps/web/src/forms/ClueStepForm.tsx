import { Alert, Button, Form, Input, Select } from 'antd';
import { api } from '../api/client';
import type { ClueView } from '../api/types';
import { useI18n } from '../i18n';
import { shanghaiToday } from '../period';
import { useProblemForm } from './useProblemForm';

export interface ClueStepValues {
  outcome?: string;
  note?: string;
  reportBackBy?: string;
}

/** The fields the form shows: an error on any other is said above the form. */
const FIELDS = ['note', 'outcome', 'reportBackBy'];

/**
 * One step of a clue (`POST /clues/{id}/steps`): 办结 with its outcome; for a clue assigned down,
 * the assigning bureau's 审核销号 (accept_report, an opinion if any) or 退回重新核查 (return_report,
 * with the reasons and a new report-back date, both required); any other step with an opinion.
 */
export function ClueStepForm({
  clueId,
  action,
  onDone,
  onCancel,
  submit = (body) => api.post<ClueView>(`/clues/${clueId}/steps`, body),
}: {
  clueId: string;
  action: string;
  onDone: (view: ClueView) => void;
  onCancel?: () => void;
  submit?: (body: Record<string, unknown>) => Promise<ClueView>;
}) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<ClueStepValues>();
  const { busy, error, run } = useProblemForm(form, FIELDS, {
    // Someone else took a step meanwhile: the buttons on this page are out of date.
    ILLEGAL_TRANSITION: t('clueStepOutdated'),
    FORBIDDEN: t('errorForbidden'),
  });
  const returning = action === 'return_report';
  const today = shanghaiToday();

  const finish = async (v: ClueStepValues) => {
    const body: Record<string, unknown> = { action };
    if (v.note?.trim()) body.note = v.note.trim();
    if (action === 'conclude' && v.outcome) body.outcome = v.outcome;
    if (returning && v.reportBackBy) body.reportBackBy = v.reportBackBy;
    let view: ClueView | undefined;
    if (await run(async () => (view = await submit(body)))) onDone(view!);
  };

  return (
    <Form form={form} layout="vertical" onFinish={finish} data-testid={`clue-step-form-${action}`}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      {action === 'conclude' && (
        <Form.Item name="outcome" label={t('outcome')} rules={[{ required: true, message: t('required') }]}>
          <Select options={['unfounded', 'case_opened', 'transferred'].map((o) => ({ value: o, label: c(o) }))} data-testid="clue-outcome" />
        </Form.Item>
      )}
      <Form.Item name="note" label={returning ? t('reasonsForReturn') : t('note')} rules={returning ? [{ required: true, whitespace: true, message: t('required') }] : []}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      {returning && (
        <Form.Item
          name="reportBackBy"
          label={t('newReportBackBy')}
          extra={t('reportBackHint')}
          rules={[{ required: true, message: t('required') }, { validator: async (_, v?: string) => (v && v < today ? Promise.reject(new Error(t('notBeforeToday'))) : undefined) }]}
        >
          <Input type="date" />
        </Form.Item>
      )}
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t('cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="step-submit">
          {c(action)}
        </Button>
      </div>
    </Form>
  );
}
