import { Alert, Button, Form, Input, Select } from 'antd';
import { api } from '../api/client';
import type { AgencyView, OfficerView, TransferView } from '../api/types';
import { useI18n } from '../i18n';
import { ROUTE_RECEIVER } from '../nav';
import { useProblemForm } from './useProblemForm';

export interface DraftValues {
  route?: string;
  receiverAgencyId?: string;
  clueId?: string;
  title?: string;
  summary?: string;
  teamOfficerIds?: string[];
}

const FIELDS = ['route', 'receiverAgencyId', 'clueId', 'title', 'summary', 'teamOfficerIds'] as const;

/** Drafting a transfer: the route, the receiving agency, the report and the officers who wrote it. */
export function DraftTransferForm({
  routes,
  agencies,
  officers,
  clues = [],
  initial,
  onDone,
  submit = (body) => api.post<TransferView>('/transfers', body),
}: {
  routes: string[];
  agencies: AgencyView[];
  officers: OfficerView[];
  clues?: { id: string; number: string; subject: { name: string } }[];
  initial?: DraftValues;
  onDone: (view: TransferView) => void;
  submit?: (body: Record<string, unknown>) => Promise<TransferView>;
}) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<DraftValues>();
  const route = Form.useWatch('route', form) ?? initial?.route ?? routes[0];
  const { busy, error, run } = useProblemForm(form, FIELDS);
  const receivers = agencies.filter((a) => a.kind === ROUTE_RECEIVER[route ?? '']);

  const finish = async (v: DraftValues) => {
    const body: Record<string, unknown> = { route: v.route, receiverAgencyId: v.receiverAgencyId, title: v.title?.trim(), summary: v.summary?.trim() };
    if (v.clueId) body.clueId = v.clueId;
    if (v.teamOfficerIds?.length) body.teamOfficerIds = v.teamOfficerIds;
    let view: TransferView | undefined;
    if (await run(async () => (view = await submit(body)))) onDone(view!);
  };

  return (
    <Form form={form} layout="vertical" onFinish={finish} initialValues={{ route: routes[0], ...initial }} data-testid="draft-form" style={{ maxWidth: 760 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form.Item name="route" label={t('route')} rules={[{ required: true, message: t('required') }]}>
        <Select options={routes.map((r) => ({ value: r, label: c(r) }))} onChange={() => form.setFieldValue('receiverAgencyId', undefined)} />
      </Form.Item>
      <Form.Item name="receiverAgencyId" label={t('receiver')} rules={[{ required: true, message: t('required') }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={receivers.map((a) => ({ value: a.id, label: a.name }))} data-testid="receiver-select" />
      </Form.Item>
      {clues.length > 0 && (
        <Form.Item name="clueId" label={t('clue')}>
          <Select allowClear options={clues.map((cl) => ({ value: cl.id, label: `${cl.number} ${cl.subject.name}` }))} />
        </Form.Item>
      )}
      <Form.Item name="title" label={t('title')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="summary" label={t('summary')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
        <Input.TextArea rows={5} maxLength={20000} />
      </Form.Item>
      <Form.Item name="teamOfficerIds" label={t('team')}>
        <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={officers.filter((o) => !o.disabled).map((o) => ({ value: o.id, label: o.displayName }))} data-testid="team-select" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="draft-submit">
        {t('submitDraft')}
      </Button>
    </Form>
  );
}
