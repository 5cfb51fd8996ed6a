import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { ProblemError } from '../api/problem';
import type { AgreementStatus, InstitutionAccountView, InstitutionView } from '../api/types';
import { Credentials, Issued } from '../components/Credentials';
import { ErrorNote } from '../components/Loading';
import { SearchBox } from '../components/SearchBox';
import { useProblemForm } from '../forms/useProblemForm';
import { useI18n } from '../i18n';
import { shanghaiToday } from '../period';
import { useSession } from '../session';
import { useApi } from '../useApi';

const AGREEMENT_COLORS: Record<AgreementStatus, string> = { active: 'green', suspended: 'orange', terminated: 'default', terminated_for_fraud: 'red' };

/**
 * The register of designated institutions (定点医药机构) in the caller's jurisdiction, which the
 * agencies that work on them read. The medical insurance bureau also registers one
 * (`POST /institutions`), changes its service agreement (`POST /institutions/{id}/agreement`) and
 * opens its self-inspection portal account or gives it a new password
 * (`POST /institutions/{id}/account`, the temporary password shown once).
 */
export default function InstitutionsPage() {
  const { t, c } = useI18n();
  const { principal } = useSession();
  const { data, error, loading, reload } = useApi<InstitutionView[]>('/institutions');
  const [query, setQuery] = useState('');
  const [registering, setRegistering] = useState(false);
  const [changing, setChanging] = useState<InstitutionView | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  // The bureau keeps the register; the others read it (the API answers only what each may read).
  const keeps = principal?.agencyKind === 'MEDICAL_INSURANCE';
  const q = query.trim().toLowerCase();
  const rows = (data ?? []).filter((i) => !q || i.code.toLowerCase().includes(q) || i.name.toLowerCase().includes(q));

  const issueAccount = async (i: InstitutionView) => {
    setRefusal(null);
    try {
      const account = await api.post<InstitutionAccountView>(`/institutions/${i.id}/account`, {});
      setIssued({ ...account, displayName: i.name });
    } catch (e) {
      setRefusal(e instanceof ProblemError && e.code === 'ACCOUNT_DISABLED' ? t('portalAccountDisabled') : e instanceof ProblemError ? e.problem.detail : String(e));
    }
    reload();
  };

  return (
    <Card
      title={t('institutions')}
      extra={
        <Space>
          <SearchBox placeholder={t('institutionSearch')} onSearch={setQuery} testId="institution-search" />
          {keeps && (
            <Button type="primary" onClick={() => setRegistering(true)} data-testid="register-institution">
              {t('registerInstitution')}
            </Button>
          )}
        </Space>
      }
    >
      {error ? <ErrorNote error={error} /> : null}
      {refusal && <Alert type="error" showIcon title={refusal} style={{ marginBottom: 12 }} data-testid="institutions-error" />}
      <Table<InstitutionView>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="institution-list"
        onRow={(i) => ({ 'data-code': i.code }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('institutionCode'), dataIndex: 'code' },
          { title: t('institutionName'), dataIndex: 'name' },
          { title: t('institutionKind'), key: 'kind', render: (_, i) => c(i.kind) },
          { title: t('ownership'), key: 'ownership', render: (_, i) => c(`ownership:${i.ownership}`) },
          { title: t('institutionLevel'), key: 'level', render: (_, i) => c(`level:${i.level}`) },
          {
            title: t('agreementStatus'),
            key: 'agreement',
            filters: (['active', 'suspended', 'terminated', 'terminated_for_fraud'] as const).map((s) => ({ value: s, text: c(`agreement:${s}`) })),
            onFilter: (value, i) => i.agreementStatus === value,
            render: (_, i) => (
              <Space orientation="vertical" size={0} data-testid="agreement" data-status={i.agreementStatus}>
                <Tag color={AGREEMENT_COLORS[i.agreementStatus]}>{c(`agreement:${i.agreementStatus}`)}</Tag>
                <Typography.Text type="secondary">{t('since')}{i.agreementStatusSince}</Typography.Text>
                {i.newAgreementBlockedUntil && <Typography.Text type="danger">{t('agreementBlockedUntil')}{i.newAgreementBlockedUntil}</Typography.Text>}
              </Space>
            ),
          },
          ...(keeps
            ? [
                {
                  title: t('portalAccount'),
                  key: 'portal',
                  render: (_: unknown, i: InstitutionView) => (
                    <Tag color={i.portalAccount === 'active' ? 'green' : 'default'} data-testid="portal-account" data-state={i.portalAccount}>
                      {c(`portal:${i.portalAccount}`)}
                    </Tag>
                  ),
                },
                {
                  title: '',
                  key: 'actions',
                  render: (_: unknown, i: InstitutionView) => (
                    <Space>
                      <Button size="small" onClick={() => setChanging(i)} data-testid="change-agreement">
                        {t('changeAgreement')}
                      </Button>
                      {i.portalAccount !== 'disabled' && (
                        <Popconfirm
                          title={i.portalAccount === 'none' ? t('confirmOpenPortalAccount') : t('confirmResetPortalPassword')}
                          onConfirm={() => issueAccount(i)}
                          okButtonProps={{ 'data-testid': 'confirm-issue-account' } as never}
                        >
                          <Button size="small" data-testid="issue-account">
                            {i.portalAccount === 'none' ? t('openPortalAccount') : t('resetPortalPassword')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {registering && (
        <RegisterForm
          onCancel={() => setRegistering(false)}
          onDone={() => {
            setRegistering(false);
            reload();
          }}
        />
      )}
      {changing && (
        <AgreementForm
          institution={changing}
          onCancel={() => setChanging(null)}
          onDone={() => {
            setChanging(null);
            reload();
          }}
        />
      )}
      {issued && <Credentials issued={issued} onClose={() => setIssued(null)} />}
    </Card>
  );
}

type Registration = { code: string; name: string; kind: string; ownership: string; level: string };

/** A new designated institution: its code names its region (H + six digits + a five-digit sequence). */
function RegisterForm({ onCancel, onDone }: { onCancel: () => void; onDone: () => void }) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<Registration>();
  const { busy, error, run } = useProblemForm(form, ['code', 'name', 'kind', 'ownership', 'level'], {
    DUPLICATE_INSTITUTION_CODE: t('institutionCodeTaken'),
    UNKNOWN_REGION: t('institutionRegionUnknown'),
    FORBIDDEN: t('institutionOutsideJurisdiction'),
  });
  const finish = async (v: Registration) => {
    if (await run(() => api.post<InstitutionView>('/institutions', { ...v, code: v.code.trim().toUpperCase(), name: v.name.trim() }))) onDone();
  };
  const options = (values: readonly string[], prefix = '') => values.map((v) => ({ value: v, label: c(`${prefix}${v}`) }));
  return (
    <Modal open title={t('registerInstitution')} onCancel={onCancel} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'register-submit' } as never} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={finish} data-testid="register-institution-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Form.Item name="code" label={t('institutionCode')} rules={[{ required: true, message: t('required') }]} extra={t('institutionCodeHint')}>
          <Input autoComplete="off" maxLength={12} />
        </Form.Item>
        <Form.Item name="name" label={t('institutionName')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input autoComplete="off" maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t('institutionKind')} rules={[{ required: true, message: t('required') }]}>
          <Select options={options(['hospital', 'pharmacy'])} data-testid="institution-kind" />
        </Form.Item>
        <Form.Item name="ownership" label={t('ownership')} rules={[{ required: true, message: t('required') }]}>
          <Select options={options(['public', 'private'], 'ownership:')} data-testid="institution-ownership" />
        </Form.Item>
        <Form.Item name="level" label={t('institutionLevel')} rules={[{ required: true, message: t('required') }]}>
          <Select options={options(['3', '2', '1_or_below'], 'level:')} data-testid="institution-level" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type AgreementChange = { status: AgreementStatus; effectiveDate: string; reason: string };

/** Suspends, terminates or renews the service agreement, with the date it takes effect and the reason kept on file. */
function AgreementForm({ institution, onCancel, onDone }: { institution: InstitutionView; onCancel: () => void; onDone: () => void }) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<AgreementChange>();
  const { busy, error, run } = useProblemForm(form, ['status', 'effectiveDate', 'reason'], {
    AGREEMENT_BLOCKED: `${t('agreementBlockedUntil')}${institution.newAgreementBlockedUntil ?? ''}`,
    ILLEGAL_TRANSITION: t('agreementChangedMeanwhile'),
  });
  const finish = async (v: AgreementChange) => {
    if (await run(() => api.post<InstitutionView>(`/institutions/${institution.id}/agreement`, { ...v, reason: v.reason.trim() }))) onDone();
  };
  return (
    <Modal open title={`${t('changeAgreement')}：${institution.name}`} onCancel={onCancel} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'agreement-submit' } as never} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={finish} initialValues={{ effectiveDate: shanghaiToday() }} data-testid="agreement-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Typography.Paragraph>
          {t('agreementStatus')}：{c(`agreement:${institution.agreementStatus}`)}（{t('since')}{institution.agreementStatusSince}）
        </Typography.Paragraph>
        <Form.Item name="status" label={t('newAgreementStatus')} rules={[{ required: true, message: t('required') }]}>
          <Select options={institution.agreementNext.map((s) => ({ value: s, label: c(`agreement:${s}`) }))} data-testid="agreement-status" />
        </Form.Item>
        <Form.Item name="effectiveDate" label={t('effectiveDate')} rules={[{ required: true, message: t('required') }]}>
          <Input type="date" min={institution.agreementStatusSince} />
        </Form.Item>
        <Form.Item name="reason" label={t('agreementReason')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input.TextArea rows={3} maxLength={500} placeholder={t('agreementReasonHint')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
