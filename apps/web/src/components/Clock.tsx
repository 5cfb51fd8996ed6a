import { Alert, Card, Empty, Table, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import type { ClockView } from '../api/types';
import { useI18n } from '../i18n';
import { shanghaiTime } from '../time';

/** One shared one-second tick for every clock on the page. */
const subscribers = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    subscribers.add(setNow);
    timer ??= setInterval(() => subscribers.forEach((s) => s(Date.now())), 1000);
    return () => {
      subscribers.delete(setNow);
      if (!subscribers.size && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
  return now;
}

export function formatLeft(ms: number, t: (k: 'days' | 'hours' | 'minutes' | 'seconds') => string): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return d ? `${d}${t('days')} ${h}${t('hours')} ${m}${t('minutes')}` : `${h}${t('hours')} ${m}${t('minutes')} ${sec}${t('seconds')}`;
}

/** The time left on a statutory clock, ticking; overdue in red; a stopped clock says so, in red when its step came late. */
export function LiveClock({ clock }: { clock: Pick<ClockView, 'dueAt' | 'stoppedAt' | 'label' | 'status'> }) {
  const now = useNow();
  const { t } = useI18n();
  if (clock.stoppedAt) {
    const late = new Date(clock.stoppedAt).getTime() > new Date(clock.dueAt).getTime();
    return (
      <Tooltip title={`${t('due')} ${shanghaiTime(clock.dueAt)} · ${t('stoppedAt')} ${shanghaiTime(clock.stoppedAt)}`}>
        <Tag color={late ? 'red' : undefined} data-testid="clock" data-late={late}>{t(late ? 'stoppedLate' : 'stopped')}</Tag>
      </Tooltip>
    );
  }
  const left = new Date(clock.dueAt).getTime() - now;
  const overdue = left < 0;
  return (
    <Tooltip title={`${t('due')} ${shanghaiTime(clock.dueAt)}`}>
      <Tag color={overdue ? 'red' : left < 24 * 3600_000 ? 'orange' : 'blue'} data-testid="clock" data-overdue={overdue}>
        {overdue ? `${t('overdue')} ${formatLeft(left, t)}` : formatLeft(left, t)}
      </Tag>
    </Tooltip>
  );
}

/** The statutory clocks of a transfer or a case: the step, when it is due, the time left (a paused clock says so); a red note while one is overdue. */
export function ClocksCard({ clocks }: { clocks: ClockView[] }) {
  const { t, c } = useI18n();
  return (
    <Card title={t('clocks')} size="small">
      {clocks.length ? (
        <Table
          size="small"
          rowKey={(r) => `${r.step}-${r.startedAt}`}
          pagination={false}
          dataSource={clocks}
          columns={[
            { title: t('step'), dataIndex: 'label', render: (v: string) => v.split(' / ')[0] },
            { title: t('due'), dataIndex: 'dueAt', render: (v: string) => shanghaiTime(v) },
            { title: t('timeLeft'), key: 'left', render: (_, r) => (r.status === 'paused' && !r.stoppedAt ? <Tag>{c('pause_clock')}</Tag> : <LiveClock clock={r} />) },
          ]}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
      {clocks.some((k) => k.status === 'overdue' && !k.stoppedAt) && <Alert type="error" showIcon title={t('overdue')} style={{ marginTop: 8 }} />}
    </Card>
  );
}
