import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { ProblemError } from '../api/problem';
import type { AgencyView, NewOfficerCredentialsView, OfficerView, TemporaryPasswordView } from '../api/types';
import { Credentials, Issued } from '../components/Credentials';
import { ErrorNote } from '../components/Loading';
import { useProblemForm } from '../forms/useProblemForm';
import { useI18n } from '../i18n';
import { holdsRole } from '../nav';
import { useNames, useSession } from '../session';
import { useApi } from '../useApi';

/** The roles an officer may hold, in the order the console lists them. */
const ROLES = ['officer', 'head', 'legal_reviewer', 'complaint_handler', 'admin'] as const;

/**
 * The administrator's own agency: how other agencies reach it (`PATCH /agencies/{id}`), and its
 * officers: opening an account for a new one (`POST /officers`), giving an officer a new password
 * (`POST /officers/{id}/password-reset`) and enabling a disabled account again
 * (`POST /officers/{id}/enable`), each answered with a temporary password shown once; their roles,
 * which the administrator gives (`PUT /officers/{id}/roles`; the officer signs in again), their
 * name as the steps they signed show it (`PATCH /officers/{id}`), and disabling an account. Each
 * answer replaces the officer in the session's directory, so the console names them anew at once.
 * The API refuses the agency's last administrator giving up the role or being disabled.
 */
export default function OfficersPage() {
  const { t, c } = useI18n();
  const { principal, officerChanged } = useSession();
  const { data, error, loading, reload } = useApi<OfficerView[]>('/officers');
  const [editing, setEditing] = useState<OfficerView | null>(null);
  const [renaming, setRenaming] = useState<OfficerView | null>(null);
  const [adding, setAdding] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  // A leading-group office reads the officers of its region; it administers only its own.
  const rows = (data ?? []).filter((o) => o.agencyId === principal?.agencyId);
  // Any officer may read the list (the menu shows it to administrators); only they are offered the changes.
  const administers = holdsRole(principal, 'admin');

  /**
   * One of the account actions behind a confirmation (`POST /officers/{id}/…`). The new temporary
   * password of a reset or an enabling is shown once; a refusal above the list, in the console's
   * words where its code is known.
   */
  const act = async (o: OfficerView, action: 'disable' | 'password-reset' | 'enable') => {
    setRefusal(null);
    try {
      const answer = await api.post<OfficerView | TemporaryPasswordView | NewOfficerCredentialsView>(`/officers/${o.id}/${action}`, {});
      if ('officer' in answer) officerChanged(answer.officer);
      else if ('disabled' in answer) officerChanged(answer);
      if ('temporaryPassword' in answer) setIssued({ ...answer, username: o.username, displayName: o.displayName });
    } catch (e) {
      const known: Record<string, string> = { LAST_ADMINISTRATOR: t('lastAdministrator'), OFFICER_ENABLED: t('accountNotDisabled') };
      setRefusal(e instanceof ProblemError ? (known[e.code] ?? e.problem.detail) : String(e));
    }
    reload();
  };

  /**
   * A form's answer: its dialog closes, and the officer as the API answered replaces theirs in the
   * session's directory and the list. Administrators who corrected their own name renew their
   * tokens, whose principal the header shows, and which the agencies service writes from the account.
   */
  const changedBy = (close: () => void) => (changed: OfficerView) => {
    close();
    officerChanged(changed);
    if (changed.id === principal?.id && changed.displayName !== principal.displayName) void api.refresh();
    reload();
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <OwnAgency administers={administers} />
      <Card
        title={t('officers')}
        extra={
          administers && (
            <Button type="primary" onClick={() => setAdding(true)} data-testid="add-officer">
              {t('addOfficer')}
            </Button>
          )
        }
      >
        {error ? <ErrorNote error={error} /> : null}
        {refusal && <Alert type="error" showIcon title={refusal} style={{ marginBottom: 12 }} data-testid="officers-error" />}
        <Table<OfficerView>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={rows}
          pagination={false}
          data-testid="officer-list"
          onRow={(o) => ({ 'data-username': o.username }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('displayName'), dataIndex: 'displayName' },
            { title: t('username'), dataIndex: 'username' },
            {
              title: t('roles'),
              key: 'roles',
              render: (_, o) => (
                <Space size={4} wrap data-testid="officer-roles">
                  {ROLES.filter((r) => (o.roles as readonly string[]).includes(r)).map((r) => (
                    <Tag key={r} color={r === 'admin' ? 'gold' : undefined} data-role={r}>
                      {c(`role:${r}`)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('accountStatus'),
              key: 'status',
              render: (_, o) => (
                <Tag color={o.disabled ? 'default' : 'green'} data-testid="officer-status" data-disabled={String(o.disabled)}>
                  {o.disabled ? t('disabled') : t('active')}
                </Tag>
              ),
            },
            {
              title: '',
              key: 'actions',
              render: (_, o) =>
                !administers ? null : (
                  <Space>
                    <Button size="small" onClick={() => setRenaming(o)} data-testid="rename-officer">
                      {t('renameOfficer')}
                    </Button>
                    {o.disabled ? (
                      <Popconfirm title={t('confirmEnable')} onConfirm={() => act(o, 'enable')} okButtonProps={{ 'data-testid': 'confirm-enable' } as never}>
                        <Button size="small" data-testid="enable-officer">
                          {t('enableAccount')}
                        </Button>
                      </Popconfirm>
                    ) : (
                      <>
                        <Button size="small" onClick={() => setEditing(o)} data-testid="change-roles">
                          {t('changeRoles')}
                        </Button>
                        <Popconfirm title={t('confirmResetPassword')} onConfirm={() => act(o, 'password-reset')} okButtonProps={{ 'data-testid': 'confirm-reset-password' } as never}>
                          <Button size="small" data-testid="reset-password">
                            {t('resetPassword')}
                          </Button>
                        </Popconfirm>
                        <Popconfirm title={t('confirmDisable')} onConfirm={() => act(o, 'disable')} okButtonProps={{ danger: true, 'data-testid': 'confirm-disable' } as never}>
                          <Button size="small" danger data-testid="disable-officer">
                            {t('disableAccount')}
                          </Button>
                        </Popconfirm>
                      </>
                    )}
                  </Space>
                ),
            },
          ]}
        />
        {adding && (
          <AddOfficerForm
            onCancel={() => setAdding(false)}
            onDone={(created) => {
              setAdding(false);
              officerChanged(created.officer);
              setIssued({ ...created, username: created.officer.username, displayName: created.officer.displayName });
              reload();
            }}
          />
        )}
        {issued && <Credentials issued={issued} onClose={() => setIssued(null)} />}
        {editing && (
          <RolesForm
            officer={editing}
            own={editing.id === principal?.id}
            onCancel={() => setEditing(null)}
            onDone={changedBy(() => setEditing(null))}
          />
        )}
        {renaming && (
          <NameForm
            officer={renaming}
            onCancel={() => setRenaming(null)}
            onDone={changedBy(() => setRenaming(null))}
          />
        )}
      </Card>
    </Space>
  );
}

/** How other agencies reach the officer's own agency, shown in their 联络名录; its administrator changes it. */
function OwnAgency({ administers }: { administers: boolean }) {
  const { t, c } = useI18n();
  const { principal, agencyChanged } = useSession();
  const { directory, region } = useNames();
  const [editing, setEditing] = useState(false);
  const own = principal?.agencyId ? directory.agencies.get(principal.agencyId) : undefined;
  if (!own) return null;
  return (
    <Card
      size="small"
      title={t('ownAgency')}
      extra={
        administers && (
          <Button size="small" onClick={() => setEditing(true)} data-testid="edit-contacts">
            {t('editContacts')}
          </Button>
        )
      }
    >
      <Descriptions column={2} size="small" data-testid="own-agency">
        <Descriptions.Item label={t('agencyName')}>{own.name}</Descriptions.Item>
        <Descriptions.Item label={t('agencyKind')}>{c(own.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('region')}>{region(own.regionCode)}</Descriptions.Item>
        <Descriptions.Item label={t('contactPhone')}>
          <span data-testid="own-phone">{own.contactPhone ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('contactAddress')} span={2}>
          <span data-testid="own-address">{own.contactAddress ?? '—'}</span>
        </Descriptions.Item>
      </Descriptions>
      {editing && (
        <ContactsForm
          agency={own}
          onCancel={() => setEditing(false)}
          onDone={(changed) => {
            setEditing(false);
            agencyChanged(changed);
          }}
        />
      )}
    </Card>
  );
}

/** The agency's telephone and address; an emptied field is removed. */
function ContactsForm({ agency, onCancel, onDone }: { agency: AgencyView; onCancel: () => void; onDone: (changed: AgencyView) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ contactPhone: string; contactAddress: string }>();
  const { busy, error, run } = useProblemForm(form, ['contactPhone', 'contactAddress']);
  const finish = async (v: { contactPhone?: string; contactAddress?: string }) => {
    const contacts = { contactPhone: v.contactPhone?.trim() || null, contactAddress: v.contactAddress?.trim() || null };
    let changed: AgencyView | undefined;
    if (await run(async () => (changed = await api.patch<AgencyView>(`/agencies/${agency.id}`, contacts)))) onDone(changed!);
  };
  return (
    <Modal open title={`${t('editContacts')}：${agency.name}`} onCancel={onCancel} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'contacts-submit' } as never} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={finish} initialValues={{ contactPhone: agency.contactPhone ?? '', contactAddress: agency.contactAddress ?? '' }} data-testid="contacts-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Alert type="info" showIcon title={t('contactsHint')} style={{ marginBottom: 12 }} />
        <Form.Item name="contactPhone" label={t('contactPhone')} rules={[{ pattern: /^\s*([0-9+\-() ]{5,30})?\s*$/, message: t('contactPhoneRule') }]}>
          <Input autoComplete="off" placeholder="0936-8212393" />
        </Form.Item>
        <Form.Item name="contactAddress" label={t('contactAddress')} rules={[{ max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Every role of one officer, given at once; the officer's sessions end when they change. */
function RolesForm({ officer, own, onCancel, onDone }: { officer: OfficerView; own: boolean; onCancel: () => void; onDone: (changed: OfficerView) => void }) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<{ roles: string[] }>();
  const { busy, error, run } = useProblemForm(form, ['roles'], { LAST_ADMINISTRATOR: t('lastAdministrator'), OFFICER_DISABLED: t('accountDisabled') });
  const finish = async (v: { roles: string[] }) => {
    let changed: OfficerView | undefined;
    if (await run(async () => (changed = await api.put<OfficerView>(`/officers/${officer.id}/roles`, { roles: v.roles })))) onDone(changed!);
  };
  return (
    <Modal open title={`${t('changeRoles')}：${officer.displayName}`} onCancel={onCancel} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'roles-submit' } as never} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={finish} initialValues={{ roles: ROLES.filter((r) => (officer.roles as readonly string[]).includes(r)) }} data-testid="roles-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Form.Item name="roles" label={t('roles')} rules={[{ required: true, type: 'array', min: 1, message: t('atLeastOneRole') }]} extra={own ? t('ownRolesHint') : t('rolesHint')}>
          <Checkbox.Group options={ROLES.map((r) => ({ value: r, label: c(`role:${r}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** An officer's name corrected: the steps they signed, at every agency, show it from now on. */
function NameForm({ officer, onCancel, onDone }: { officer: OfficerView; onCancel: () => void; onDone: (changed: OfficerView) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ displayName: string }>();
  const { busy, error, run } = useProblemForm(form, ['displayName']);
  const finish = async (v: { displayName: string }) => {
    let changed: OfficerView | undefined;
    if (await run(async () => (changed = await api.patch<OfficerView>(`/officers/${officer.id}`, { displayName: v.displayName.trim() })))) onDone(changed!);
  };
  return (
    <Modal open title={`${t('renameOfficer')}：${officer.username}`} onCancel={onCancel} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'rename-submit' } as never} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={finish} initialValues={{ displayName: officer.displayName }} data-testid="rename-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Form.Item name="displayName" label={t('displayName')} rules={[{ required: true, whitespace: true, message: t('required') }, { max: 64 }]} extra={t('renameHint')}>
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A new officer of the agency: username, name and roles; the answer carries the temporary password. */
function AddOfficerForm({ onCancel, onDone }: { onCancel: () => void; onDone: (created: NewOfficerCredentialsView) => void }) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<{ username: string; displayName: string; roles: string[] }>();
  const { busy, error, run } = useProblemForm(form, ['username', 'displayName', 'roles'], { USERNAME_TAKEN: t('usernameTaken') });
  const finish = async (v: { username: string; displayName: string; roles: string[] }) => {
    let created: NewOfficerCredentialsView | undefined;
    if (await run(async () => (created = await api.post<NewOfficerCredentialsView>('/officers', { ...v, username: v.username.trim() })))) onDone(created!);
  };
  return (
    <Modal open title={t('addOfficer')} onCancel={onCancel} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'add-officer-submit' } as never} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={finish} initialValues={{ roles: ['officer'] }} data-testid="add-officer-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('displayName')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="roles" label={t('roles')} rules={[{ required: true, type: 'array', min: 1, message: t('atLeastOneRole') }]}>
          <Checkbox.Group options={ROLES.map((r) => ({ value: r, label: c(`role:${r}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
