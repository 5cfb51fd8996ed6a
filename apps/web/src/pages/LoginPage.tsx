import { Alert, Button, Card, Form, Input } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useProblemForm } from '../forms/useProblemForm';
import { useI18n } from '../i18n';

export default function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  // The refusals of a sign-in, said in the officer's language.
  const { busy, error, run } = useProblemForm(form, ['username', 'password'], {
    INVALID_CREDENTIALS: t('invalidCredentials'),
    ACCOUNT_DISABLED: t('signInDisabled'),
    TOO_MANY_REQUESTS: t('signInLocked'),
    TEMPORARY_PASSWORD_EXPIRED: t('temporaryPasswordExpired'),
  });

  const submit = async (values: { username: string; password: string }) => {
    // A session that must first choose a new password is sent on to that page by the console's routes.
    if (await run(() => api.login(values.username.trim(), values.password))) navigate('/', { replace: true });
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card title={t('appName')} style={{ width: 380 }} extra={<Button size="small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('language')}</Button>}>
        {error && <Alert type="error" showIcon title={`${t('signInFailed')}: ${error}`} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('signIn')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
