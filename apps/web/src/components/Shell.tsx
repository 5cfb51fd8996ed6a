import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { Inbox } from '../inbox/Inbox';
import { sectionsFor } from '../nav';
import { useNames, useSession } from '../session';

/** The frame of every page after sign-in: who is signed in (name, agency, region), the sections, the inbox. */
export function Shell({ children }: { children: ReactNode }) {
  const { principal } = useSession();
  const names = useNames();
  const { t, c, lang, setLang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const sections = sectionsFor(principal);
  const selected = [...sections].reverse().find((s) => (s.path === '/' ? location.pathname === '/' : location.pathname.startsWith(s.path)))?.key ?? 'workbench';

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    navigate('/login');
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, padding: '0 16px' }}>
        <Link to="/" style={{ color: '#fff', fontWeight: 600, whiteSpace: 'nowrap' }}>
          {t('appName')}
        </Link>
        <div style={{ flex: 1 }} />
        <Space size="middle" data-testid="who">
          <Typography.Text style={{ color: '#fff' }} data-testid="officer-name">
            {principal?.displayName}
          </Typography.Text>
          <Tag color="blue" data-testid="agency-name">
            {principal?.agencyName ?? principal?.institutionName ?? c(principal?.agencyKind)}
          </Tag>
          <Typography.Text style={{ color: '#cfd8e3' }} data-testid="region-name">
            {t('regionLabel')}：{names.region(principal?.regionCode)}
          </Typography.Text>
          {/* Officers' inbox, or for an institution portal account its own ledgers' news (returned, accepted). */}
          <Inbox />
          <Button size="small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch">
            {t('language')}
          </Button>
          <Button size="small" onClick={() => navigate('/password')} data-testid="change-password">
            {t('changePassword')}
          </Button>
          <Button size="small" onClick={signOut} data-testid="sign-out">
            {t('signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={208} theme="light" breakpoint="lg" collapsedWidth={56}>
          <Menu mode="inline" selectedKeys={[selected]} items={sections.map((s) => ({ key: s.key, label: <Link to={s.path}>{t(s.label)}</Link> }))} style={{ height: '100%' }} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 16, minWidth: 0 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
