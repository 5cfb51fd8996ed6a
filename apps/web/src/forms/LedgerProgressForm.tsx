import { Alert, Button, Card, Checkbox, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { LedgerProblemView, LedgerView } from '../api/types';
import { useI18n } from '../i18n';
import { fenToYuan, YUAN, yuan, yuanToFen } from '../money';
import { useProblemForm } from './useProblemForm';

interface RowValues {
  /** yuan as typed; sent in fen */
  refundedEmployeesFen?: string;
  refundedResidentsFen?: string;
  rectified?: boolean;
  reason?: string;
}
interface ProgressValues {
  problems: RowValues[];
  note?: string;
}

const COLUMNS = [
  ['refundedEmployeesFen', 'violatingEmployeesFen', 'refundedEmployeesYuan'],
  ['refundedResidentsFen', 'violatingResidentsFen', 'refundedResidentsYuan'],
] as const;

/** A row still open: not rectified, or not every violating fund refunded. */
export const isOpenRow = (p: LedgerProblemView) => !p.rectified || p.refundedEmployeesFen < p.violatingEmployeesFen || p.refundedResidentsFen < p.violatingResidentsFen;

/** The entries of `POST /ledgers/{id}/progress` for the open rows, in their order: refunds in fen (yuan as typed, by the digits). */
export function progressBody(rows: LedgerProblemView[], v: ProgressValues) {
  const note = v.note?.trim();
  return {
    problems: rows.map((r, i) => {
      const x = v.problems?.[i] ?? {};
      const reason = x.reason?.trim();
      return {
        seq: r.seq,
        refundedEmployeesFen: yuanToFen(x.refundedEmployeesFen || '0'),
        refundedResidentsFen: yuanToFen(x.refundedResidentsFen || '0'),
        rectified: !!x.rectified,
        ...(reason ? { reason } : {}),
      };
    }),
    ...(note ? { note } : {}),
  };
}

/**
 * Progress after the bureau accepted a ledger (`POST /ledgers/{id}/progress`), for the institution:
 * one block per row still open with the refunds so far in yuan (sent in fen), rectified or not and
 * the reason. The API moves rows forward only (refunds never shrink nor pass the violating funds, a
 * rectified row stays so) and says what it refuses next to the column (`problems.0.refundedEmployeesFen`).
 */
export function LedgerProgressForm({
  ledger,
  onDone,
  submit = (body) => api.post<LedgerView>(`/ledgers/${ledger.id}/progress`, body),
}: {
  ledger: LedgerView;
  onDone: (v: LedgerView) => void;
  submit?: (body: ReturnType<typeof progressBody>) => Promise<LedgerView>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<ProgressValues>();
  const { busy, error, run } = useProblemForm(form, ['note', ...['refundedEmployeesFen', 'refundedResidentsFen', 'rectified', 'reason'].map((k) => `problems.*.${k}`)]);
  const [unchanged, setUnchanged] = useState(false);
  const rows = ledger.problems.filter(isOpenRow);
  if (!rows.length) return <Alert type="success" showIcon title={t('progressComplete')} data-testid="progress-complete" />;

  const finish = async (v: ProgressValues) => {
    const body = progressBody(rows, v);
    const changed = body.problems.some((p, i) => {
      const r = rows[i];
      return p.refundedEmployeesFen !== r.refundedEmployeesFen || p.refundedResidentsFen !== r.refundedResidentsFen || p.rectified !== r.rectified || (p.reason !== undefined && p.reason !== r.reason);
    });
    setUnchanged(!changed);
    if (!changed) return;
    let view: LedgerView | undefined;
    if (await run(async () => (view = await submit(body)))) onDone(view!);
  };
  const initial: ProgressValues = {
    problems: rows.map((r) => ({ refundedEmployeesFen: fenToYuan(r.refundedEmployeesFen), refundedResidentsFen: fenToYuan(r.refundedResidentsFen), rectified: r.rectified, reason: r.reason ?? undefined })),
  };
  return (
    <Form form={form} layout="vertical" onFinish={finish} initialValues={initial} data-testid="progress-form">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      {unchanged && <Alert type="warning" showIcon title={t('nothingChanged')} style={{ marginBottom: 12 }} data-testid="progress-unchanged" />}
      <Space orientation="vertical" style={{ width: '100%' }}>
        {rows.map((r, i) => (
          <Card key={r.seq} size="small" title={`${t('row')} ${r.seq} · ${r.category}`} data-testid="progress-row" data-seq={r.seq}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {r.content}
            </Typography.Paragraph>
            <Space wrap align="start">
              {COLUMNS.map(([refunded, violating, label]) => (
                <Form.Item
                  key={refunded}
                  name={['problems', i, refunded]}
                  label={t(label)}
                  extra={`${t('violatingFunds')} ${yuan(r[violating])}`}
                  rules={[{ pattern: YUAN, message: t('yuanFormat') }]}
                  style={{ width: 220 }}
                >
                  <Input inputMode="decimal" disabled={r[violating] === 0} data-testid={`progress-${refunded}`} />
                </Form.Item>
              ))}
              <Form.Item name={['problems', i, 'rectified']} valuePropName="checked" label=" ">
                <Checkbox disabled={r.rectified} data-testid="progress-rectified">
                  {t('rectified')}
                </Checkbox>
              </Form.Item>
              <Form.Item name={['problems', i, 'reason']} label={t('reason')} style={{ width: 280 }}>
                <Input maxLength={200} data-testid="progress-reason" />
              </Form.Item>
            </Space>
          </Card>
        ))}
        <Form.Item name="note" label={t('remark')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="progress-note" />
        </Form.Item>
      </Space>
      <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="progress-submit">
          {t('recordProgress')}
        </Button>
      </div>
    </Form>
  );
}
