import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, API_BASE } from '../api/client';
import type { NotificationView } from '../api/types';
import { useI18n } from '../i18n';
import { shanghaiTime } from '../time';
import { publish } from './live';

/**
 * The inbox: the latest items, an unread badge, and the live stream (server-sent events) that
 * brings new ones without a reload. An officer's holds the agency's items and the officer's own;
 * an institution portal account's its ledgers' news (returned with the reasons, accepted). EventSource cannot send headers, so the access token goes in
 * the URL (the gateway accepts it there for this one route); when the token has expired the stream
 * is opened again with a refreshed one.
 */
export function Inbox() {
  const { t, c } = useI18n();
  const navigate = useNavigate();
  const [items, setItems] = useState<NotificationView[]>([]);
  const [open, setOpen] = useState(false);
  const [connected, setConnected] = useState(false);
  const source = useRef<EventSource | null>(null);

  const load = useCallback(() => {
    api
      .get<NotificationView[]>('/inbox?limit=50')
      .then(setItems)
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = (token: string | undefined) => {
      if (stopped || !token) return;
      const es = new EventSource(`${API_BASE}/inbox/stream?access_token=${encodeURIComponent(token)}`);
      source.current = es;
      es.onopen = () => setConnected(true);
      es.addEventListener('notification', (ev) => {
        const n = JSON.parse((ev as MessageEvent).data) as NotificationView;
        setItems((prev) => (prev.some((p) => p.id === n.id) ? prev : [n, ...prev].slice(0, 100)));
        publish(n);
      });
      es.onerror = () => {
        setConnected(false);
        if (es.readyState === EventSource.CLOSED) {
          // Refused (e.g. the token expired): open it again with a fresh token, and catch up.
          es.close();
          retry = setTimeout(() => {
            load();
            api.refresh().then((s) => connect(s?.accessToken));
          }, 3000);
        }
      };
    };
    load();
    void api.freshToken().then(connect);
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source.current?.close();
    };
  }, [load]);

  const unread = items.filter((i) => !i.read).length;
  const openItem = async (n: NotificationView) => {
    if (!n.read) {
      await api.post(`/inbox/${n.id}/read`).catch(() => undefined);
      setItems((prev) => prev.map((p) => (p.id === n.id ? { ...p, read: true } : p)));
    }
    setOpen(false);
    if (n.link?.startsWith('/')) navigate(n.link);
  };
  const readAll = async () => {
    await api.post('/inbox/read-all').catch(() => undefined);
    setItems((prev) => prev.map((p) => ({ ...p, read: true })));
  };

  return (
    <>
      <Badge count={unread} size="small" data-testid="inbox-badge">
        <Button type="text" icon={<BellOutlined style={{ color: '#fff' }} />} onClick={() => setOpen(true)} aria-label={t('inbox')} data-testid="inbox-button" />
      </Badge>
      <Drawer
        title={
          <span>
            {t('inbox')} {connected && <Tag color="green">{t('live')}</Tag>}
          </span>
        }
        open={open}
        onClose={() => setOpen(false)}
        size={420}
        extra={<Button onClick={readAll}>{t('markAllRead')}</Button>}
      >
        {items.length === 0 && <Empty description={t('noMessages')} />}
        {items.map((n) => (
          <div
            key={n.id}
            role="button"
            tabIndex={0}
            onClick={() => openItem(n)}
            onKeyDown={(e) => e.key === 'Enter' && openItem(n)}
            style={{ cursor: 'pointer', opacity: n.read ? 0.6 : 1, padding: '8px 0', borderBottom: '1px solid #f0f0f0' }}
            data-testid="inbox-item"
          >
            <div>
              {/* High priority also marks a new 挂牌督办 or a failed evidence check: only a missed deadline is 已超期. */}
              {n.kind === 'clock.overdue' && <Tag color="red" data-testid="inbox-overdue">{c('overdue')}</Tag>}
              <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
            </div>
            <Typography.Text type="secondary">{shanghaiTime(n.createdAt)}</Typography.Text>
            <div>{n.body}</div>
          </div>
        ))}
      </Drawer>
    </>
  );
}
