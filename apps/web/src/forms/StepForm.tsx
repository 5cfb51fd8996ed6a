import { Alert, Button, Form, Input, Select } from 'antd';
import { api } from '../api/client';
import type { AgencyView, TransferView } from '../api/types';
import { useI18n } from '../i18n';
import { useProblemForm } from './useProblemForm';

export interface StepRule {
  action: string;
  label: string;
  needsNote: boolean;
  needsDocument: boolean;
}

export interface StepValues {
  documentNumber?: string;
  note?: string;
  toAgencyId?: string;
  courtAgencyId?: string;
}

/** The fields the form shows for an action: an error on any other field is said above the form, not lost. */
function fieldsOf(action: string): string[] {
  return ['documentNumber', 'note', ...(action === 'forward' ? ['toAgencyId'] : []), ...(action === 'prosecute' ? ['courtAgencyId'] : [])];
}

/**
 * The form of one step of a transfer (e.g. 不予立案 with its document number and reasons). What the
 * procedure asks for is marked required; whatever the API still refuses is shown next to its field.
 */
export function StepForm({
  transferId,
  rule,
  agencies = [],
  onDone,
  onCancel,
  submit = (body) => api.post<TransferView>(`/transfers/${transferId}/steps`, body),
}: {
  transferId: string;
  rule: StepRule;
  agencies?: AgencyView[];
  onDone: (view: TransferView) => void;
  onCancel?: () => void;
  submit?: (body: Record<string, unknown>) => Promise<TransferView>;
}) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<StepValues>();
  const { busy, error, run } = useProblemForm(form, fieldsOf(rule.action), { NOT_YET_DUE: t('notYetDue') });

  const finish = async (values: StepValues) => {
    const body: Record<string, unknown> = { action: rule.action };
    for (const k of ['documentNumber', 'note', 'toAgencyId', 'courtAgencyId'] as const) {
      const v = values[k]?.trim();
      if (v) body[k] = v;
    }
    let view: TransferView | undefined;
    if (await run(async () => (view = await submit(body)))) onDone(view!);
  };

  return (
    <Form form={form} layout="vertical" onFinish={finish} data-testid={`step-form-${rule.action}`}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      {rule.action === 'forward' && (
        <Form.Item name="toAgencyId" label={c('POLICE')} rules={[{ required: true, message: t('required') }]}>
          <Select options={agencies.filter((a) => a.kind === 'POLICE').map((a) => ({ value: a.id, label: a.name }))} />
        </Form.Item>
      )}
      {rule.action === 'prosecute' && (
        <Form.Item name="courtAgencyId" label={c('COURT')} rules={[{ required: true, message: t('required') }]}>
          <Select options={agencies.filter((a) => a.kind === 'COURT').map((a) => ({ value: a.id, label: a.name }))} />
        </Form.Item>
      )}
      <Form.Item name="documentNumber" label={t('documentNumber')} rules={rule.needsDocument ? [{ required: true, whitespace: true, message: t('required') }] : []}>
        <Input maxLength={100} placeholder="甘医保移〔2026〕1号" />
      </Form.Item>
      <Form.Item name="note" label={t('note')} rules={rule.needsNote ? [{ required: true, whitespace: true, message: t('required') }] : []}>
        <Input.TextArea rows={3} maxLength={10000} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t('cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="step-submit">
          {c(rule.action)}
        </Button>
      </div>
    </Form>
  );
}
