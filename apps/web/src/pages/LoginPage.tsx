import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { ProblemError, problemToFields } from '../api/problem';
import { useI18n } from '../i18n';

export default function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.login(values.username.trim(), values.password);
      navigate('/', { replace: true });
    } catch (e) {
      if (e instanceof ProblemError) {
        const { fields, other } = problemToFields(e.problem, ['username', 'password'], lang);
        form.setFields(fields);
        if (other.length) setError(other.join(' '));
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
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
