import { Alert, Button, Checkbox, Form, Input, InputNumber, Select } from 'antd';
import { api } from '../api/client';
import type { CaseView } from '../api/types';
import { useI18n } from '../i18n';
import { YUAN, yuanToFen } from '../money';
import { useProblemForm } from './useProblemForm';

export interface CaseStepRule {
  action: string;
  label: string;
  needs: string[];
}

interface PenaltyValues {
  violationKind?: string;
  /** yuan as typed; sent as lossFen in fen */
  lossFen?: string;
  /** yuan as typed; sent as refundFen in fen */
  refundFen?: string;
  /** yuan as typed; sent as fineFen in fen */
  fineFen?: string;
  agreement?: string;
  creditRecord?: boolean;
}

export interface CaseStepValues {
  documentNumber?: string;
  note?: string;
  pauseKind?: string;
  days?: number;
  penalty?: PenaltyValues;
}

/** The fields the form shows for an action: an error on any other field is said above the form. */
const FIELDS = ['documentNumber', 'note', 'penalty', 'pauseKind', 'days'];

/**
 * The form of one step of an administrative case. What the procedure (GET /cases/procedure) says
 * the step needs is marked required; a penalty is entered in yuan and sent in fen; whatever the API
 * still refuses (e.g. a fine outside 1–2× the loss) is shown next to its field, and the procedure's
 * refusals of the step itself (a penalty heavier than notified, an extension after the deadline) in
 * the officer's language.
 */
export function CaseStepForm({
  caseId,
  rule,
  onDone,
  onCancel,
  submit = (body) => api.post<CaseView>(`/cases/${caseId}/steps`, body),
}: {
  caseId: string;
  rule: CaseStepRule;
  onDone: (view: CaseView) => void;
  onCancel?: () => void;
  submit?: (body: Record<string, unknown>) => Promise<CaseView>;
}) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<CaseStepValues>();
  const { busy, error, run } = useProblemForm(form, FIELDS, {
    PENALTY_HEAVIER_THAN_NOTIFIED: t('penaltyHeavierThanNotified'),
    PENALTY_NOT_NOTIFIED: t('penaltyNotNotified'),
    FINE_IN_PLACE_OF_CRIMINAL_PENALTY: t('fineInPlaceOfCriminalPenalty'),
    DEADLINE_PASSED: t('deadlinePassed'),
    // Someone else took a step meanwhile: the buttons on this page are out of date.
    ILLEGAL_TRANSITION: t('caseStepOutdated'),
  });
  const needs = (f: string) => rule.needs.includes(f);
  const req = (on: boolean) => (on ? [{ required: true, whitespace: true, message: t('required') }] : []);
  const yuanRule = [{ required: true, message: t('required') }, { pattern: YUAN, message: t('yuanFormat') }];

  const finish = async (values: CaseStepValues) => {
    const body: Record<string, unknown> = { action: rule.action };
    for (const k of ['documentNumber', 'note'] as const) {
      const v = values[k]?.trim();
      if (v) body[k] = v;
    }
    if (rule.action === 'pause_clock' && values.pauseKind) body.pauseKind = values.pauseKind;
    if (rule.action === 'extend_after_collective' && values.days !== undefined && values.days !== null) body.days = values.days;
    if (needs('penalty') && values.penalty) {
      const p = values.penalty;
      body.penalty = {
        violationKind: p.violationKind,
        lossFen: yuanToFen(p.lossFen ?? '0'),
        refundFen: yuanToFen(p.refundFen ?? '0'),
        fineFen: yuanToFen(p.fineFen ?? '0'),
        agreement: p.agreement,
        creditRecord: !!p.creditRecord,
      };
    }
    let view: CaseView | undefined;
    if (await run(async () => (view = await submit(body)))) onDone(view!);
  };

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={finish}
      data-testid={`case-step-form-${rule.action}`}
      initialValues={{ penalty: { violationKind: 'violation', agreement: 'none', creditRecord: false, lossFen: '0', refundFen: '0', fineFen: '0' } }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      {needs('penalty') && (
        <>
          <Form.Item name={['penalty', 'violationKind']} label={t('violationKind')} rules={[{ required: true, message: t('required') }]}>
            <Select options={['violation', 'fraud'].map((v) => ({ value: v, label: c(v) }))} />
          </Form.Item>
          <Form.Item name={['penalty', 'lossFen']} label={t('lossYuan')} rules={yuanRule}>
            <Input inputMode="decimal" data-testid="penalty-loss" />
          </Form.Item>
          <Form.Item name={['penalty', 'refundFen']} label={t('refundYuan')} rules={yuanRule}>
            <Input inputMode="decimal" data-testid="penalty-refund" />
          </Form.Item>
          <Form.Item name={['penalty', 'fineFen']} label={t('fineYuan')} rules={yuanRule}>
            <Input inputMode="decimal" data-testid="penalty-fine" />
          </Form.Item>
          <Form.Item name={['penalty', 'agreement']} label={t('agreement')} rules={[{ required: true, message: t('required') }]}>
            <Select options={['none', 'suspend', 'terminate'].map((v) => ({ value: v, label: c(v) }))} />
          </Form.Item>
          <Form.Item name={['penalty', 'creditRecord']} valuePropName="checked">
            <Checkbox>{t('creditRecord')}</Checkbox>
          </Form.Item>
        </>
      )}
      {rule.action === 'pause_clock' && (
        <Form.Item name="pauseKind" label={t('pauseKind')} rules={[{ required: true, message: t('required') }]}>
          <Select options={['test', 'appraisal', 'public_notice', 'expert_review'].map((v) => ({ value: v, label: c(v) }))} />
        </Form.Item>
      )}
      {rule.action === 'extend_after_collective' && (
        <Form.Item name="days" label={t('extensionDays')} rules={[{ required: true, message: t('required') }]}>
          <InputNumber min={1} max={60} precision={0} />
        </Form.Item>
      )}
      <Form.Item name="documentNumber" label={t('documentNumber')} rules={req(needs('documentNumber'))}>
        <Input maxLength={100} placeholder="甘医保罚〔2026〕1号" />
      </Form.Item>
      <Form.Item name="note" label={t('note')} rules={req(needs('note'))}>
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
