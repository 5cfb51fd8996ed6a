import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { Navigate, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useProblemForm } from '../forms/useProblemForm';
import { useI18n } from '../i18n';
import { useSession } from '../session';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * Choosing a new password (`POST /auth/password`): required before anything else after signing in
 * with a temporary password an administrator gave, and open to anyone from the header. Shown
 * outside the console's frame, which would ask the API for what it refuses until then.
 */
export default function PasswordPage() {
  const { t } = useI18n();
  const { principal } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useProblemForm(form, ['currentPassword', 'newPassword'], { TOO_MANY_REQUESTS: t('tooManyPasswordAttempts') });
  if (!principal) return <Navigate to="/login" replace />;
  const required = principal.passwordChangeRequired ?? false;

  const finish = async (v: Values) => {
    if (await run(() => api.changePassword(v.currentPassword, v.newPassword))) navigate('/', { replace: true });
  };
  const signOut = async () => {
    await api.logout().catch(() => undefined);
    navigate('/login', { replace: true });
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card title={t('changePassword')} style={{ width: 420 }} data-testid="password-page">
        <Typography.Paragraph>
          {principal.displayName}（{principal.username}）
        </Typography.Paragraph>
        {required && <Alert type="warning" showIcon title={t('mustChangePassword')} style={{ marginBottom: 16 }} data-testid="must-change-password" />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
        <Form form={form} layout="vertical" onFinish={finish} requiredMark={false} data-testid="password-form">
          <Form.Item name="currentPassword" label={required ? t('temporaryPassword') : t('currentPassword')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
          <Form.Item name="newPassword" label={t('newPassword')} extra={t('passwordRules')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('confirmPassword')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('required') },
              ({ getFieldValue }) => ({ validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('passwordsDiffer')))) }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            {required ? (
              <Button onClick={signOut} data-testid="sign-out">
                {t('signOut')}
              </Button>
            ) : (
              <Button onClick={() => navigate(-1)}>{t('cancel')}</Button>
            )}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
              {t('save')}
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
