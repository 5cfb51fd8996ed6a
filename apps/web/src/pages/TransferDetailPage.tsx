import { Button, Card, Col, Descriptions, Modal, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useParams } from 'react-router-dom';
import type { NotificationView, TransferView } from '../api/types';
import { ClocksCard } from '../components/Clock';
import { StepTimeline } from '../components/StepTimeline';
import { ErrorNote, Loading } from '../components/Loading';
import { STATE_COLOR } from '../components/TransferTable';
import { StepForm, StepRule } from '../forms/StepForm';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { stepRule } from '../procedures';
import { useNames } from '../session';
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';

/** One transfer: its facts, every step (who, agency, when, document), the live clocks and the steps the officer may take now. */
export default function TransferDetailPage() {
  const { id } = useParams();
  const { t, c } = useI18n();
  const names = useNames();
  const { data: view, error, reload, setData } = useApi<TransferView>(`/transfers/${id}`);
  const [acting, setActing] = useState<StepRule | null>(null);
  useLive(useCallback((n: NotificationView) => n.link?.includes(id ?? '-') && reload(), [id, reload]));

  if (error) return <ErrorNote error={error} />;
  if (!view) return <Loading />;

  const open = async (action: string) => setActing(await stepRule(view.route, view.state, action));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span data-testid="transfer-number">{view.number}</span>
            <Tag color={STATE_COLOR[view.state]} data-testid="transfer-state" data-state={view.state}>
              {c(view.state)}
            </Tag>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
          <Descriptions.Item label={t('title')} span={3}>{view.title}</Descriptions.Item>
          <Descriptions.Item label={t('route')}>{c(view.route)}</Descriptions.Item>
          <Descriptions.Item label={t('sender')}>{names.agency(view.senderAgencyId)}</Descriptions.Item>
          <Descriptions.Item label={t('receiver')}>{names.agency(view.receiverAgencyId)}</Descriptions.Item>
          {view.procuratorateAgencyId && <Descriptions.Item label={c('PROCURATORATE')}>{names.agency(view.procuratorateAgencyId)}</Descriptions.Item>}
          {view.courtAgencyId && <Descriptions.Item label={c('COURT')}>{names.agency(view.courtAgencyId)}</Descriptions.Item>}
          <Descriptions.Item label={t('createdAt')}>{shanghaiTime(view.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('team')}>{view.teamOfficerIds.map((o) => names.officer(o)).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('summary')} span={3}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{view.summary}</Typography.Paragraph>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('actions')} size="small">
        {view.allowedActions.length ? (
          <Space wrap data-testid="actions">
            {view.allowedActions.map((a) => (
              <Button key={a} type="primary" onClick={() => open(a)} data-testid={`action-${a}`}>
                {c(a)}
              </Button>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary" data-testid="no-actions">{t('noActions')}</Typography.Text>
        )}
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <StepTimeline steps={view.steps} verified={view.stepsVerified} red={['decline', 'reject']} />
        </Col>
        <Col xs={24} xl={10}>
          <ClocksCard clocks={view.clocks} />
        </Col>
      </Row>
      <Modal open={!!acting} title={acting ? `${c(acting.action)} · ${acting.label}` : ''} footer={null} onCancel={() => setActing(null)} destroyOnHidden>
        {acting && (
          <StepForm
            transferId={view.id}
            rule={acting}
            agencies={[...names.directory.agencies.values()]}
            onCancel={() => setActing(null)}
            onDone={(v) => {
              setActing(null);
              setData(v);
            }}
          />
        )}
      </Modal>
    </Space>
  );
}
