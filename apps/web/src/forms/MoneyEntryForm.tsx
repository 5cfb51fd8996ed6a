import { Alert, Button, Form, Input, Select } from 'antd';
import { api } from '../api/client';
import type { CaseView, MoneyKind } from '../api/types';
import { useI18n } from '../i18n';
import { SIGNED_YUAN, yuanToFen } from '../money';
import { useProblemForm } from './useProblemForm';

/** The kinds of a case's money entry (MONEY_KINDS of the API). */
export const MONEY_KINDS = ['violating_employees', 'violating_residents', 'refunded', 'fine_paid', 'recovered_after_judgment'] as const satisfies readonly MoneyKind[];

export interface MoneyEntryValues {
  kind?: string;
  /** yuan as typed; sent as amountFen in fen */
  amountFen?: string;
  documentNumber?: string;
  note?: string;
}

/**
 * One entry of a case's money ledger (`POST /cases/{id}/money`): the kind, the amount typed in yuan
 * (at most two decimals, a correction negative, never zero) sent as integer fen converted by the
 * digits, the document it is recorded from and a remark. The API's refusals (e.g. a kind's total
 * that would fall below zero, on `amountFen`) come back next to their fields.
 */
export function MoneyEntryForm({
  caseId,
  onDone,
  onCancel,
  submit = (body) => api.post<CaseView>(`/cases/${caseId}/money`, body),
}: {
  caseId: string;
  onDone: (view: CaseView) => void;
  onCancel?: () => void;
  submit?: (body: Record<string, unknown>) => Promise<CaseView>;
}) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<MoneyEntryValues>();
  const { busy, error, run } = useProblemForm(form, ['kind', 'amountFen', 'documentNumber', 'note'], {
    MONEY_DOCUMENT_RECORDED: t('moneyDocumentRecorded'),
    NO_FINE_DECIDED: t('noFineDecided'),
    FINE_PAID_ABOVE_DECIDED: t('finePaidAboveDecided'),
  });
  const finish = async (v: MoneyEntryValues) => {
    const body: Record<string, unknown> = { kind: v.kind, amountFen: yuanToFen(v.amountFen!) };
    for (const k of ['documentNumber', 'note'] as const) {
      const x = v[k]?.trim();
      if (x) body[k] = x;
    }
    let view: CaseView | undefined;
    if (await run(async () => (view = await submit(body)))) onDone(view!);
  };
  return (
    <Form form={form} layout="vertical" onFinish={finish} data-testid="money-form">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form.Item name="kind" label={t('moneyKind')} rules={[{ required: true, message: t('required') }]}>
        <Select options={MONEY_KINDS.map((k) => ({ value: k, label: c(`money:${k}`) }))} data-testid="money-kind" />
      </Form.Item>
      <Form.Item
        name="amountFen"
        label={t('amountYuan')}
        extra={t('correctionNegative')}
        rules={[
          { required: true, message: t('required') },
          { pattern: SIGNED_YUAN, message: t('yuanFormat') },
          { validator: async (_, v?: string) => (v && SIGNED_YUAN.test(v.trim()) && yuanToFen(v) === 0 ? Promise.reject(new Error(t('notZero'))) : undefined) },
        ]}
      >
        <Input inputMode="decimal" placeholder="0.00" data-testid="money-amount" />
      </Form.Item>
      <Form.Item name="documentNumber" label={t('moneyDocument')}>
        <Input maxLength={100} placeholder="甘医保退〔2026〕1号" />
      </Form.Item>
      <Form.Item name="note" label={t('remark')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t('cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="money-submit">
          {t('recordMoney')}
        </Button>
      </div>
    </Form>
  );
}
