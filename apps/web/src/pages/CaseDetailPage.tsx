import { Button, Card, Col, Descriptions, Modal, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { CaseView, NotificationView, SupervisionView } from '../api/types';
import { caseStepRule } from '../caseProcedure';
import { ClocksCard } from '../components/Clock';
import { StepTimeline } from '../components/StepTimeline';
import { EvidenceCard } from '../components/EvidenceCard';
import { MoneyCard } from '../components/MoneyCard';
import { ErrorNote, Loading } from '../components/Loading';
import { CaseStepForm, CaseStepRule } from '../forms/CaseStepForm';
import { IssueSupervisionForm } from '../forms/IssueSupervisionForm';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { useNames, useSession } from '../session';
import { useApi } from '../useApi';

/** One administrative case: its facts, every step, the live clocks, the money and the steps the officer may take now. */
export default function CaseDetailPage() {
  const { id } = useParams();
  const { t, c } = useI18n();
  const names = useNames();
  const { principal } = useSession();
  const { data: view, error, reload, setData } = useApi<CaseView>(`/cases/${id}`);
  const [acting, setActing] = useState<CaseStepRule | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<SupervisionView | null>(null);
  useLive(useCallback((n: NotificationView) => n.link?.includes(id ?? '-') && reload(), [id, reload]));

  if (error) return <ErrorNote error={error} />;
  if (!view) return <Loading />;

  const open = async (action: string) => setActing(await caseStepRule(view.state, action));
  // The handling bureau, while the case is not archived, adds evidence and money entries (the API's rule: update on the case's agency).
  const handling = principal?.kind === 'officer' && principal.agencyKind === 'MEDICAL_INSURANCE' && principal.agencyId === view.agencyId && view.state !== 'archived';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span data-testid="case-number">{view.number}</span>
            <Tag color="blue" data-testid="case-state" data-state={view.state}>
              {c(view.state)}
            </Tag>
            {view.major && <Tag color="volcano">{t('major')}</Tag>}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
          <Descriptions.Item label={t('title')} span={3}>{view.title}</Descriptions.Item>
          <Descriptions.Item label={t('party')}>
            {view.partyName}
            {view.partyInstitutionCode && ` (${view.partyInstitutionCode})`}
          </Descriptions.Item>
          <Descriptions.Item label={t('agency')}>{names.agency(view.agencyId)}</Descriptions.Item>
          <Descriptions.Item label={t('createdAt')}>{new Date(view.createdAt).toLocaleString()}</Descriptions.Item>
          <Descriptions.Item label={t('caseOfficers')}>{view.officerIds.map((o) => names.officer(o)).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('conclusionDue')}>{view.conclusionDueAt ? new Date(view.conclusionDueAt).toLocaleString() : '—'}</Descriptions.Item>
          {view.clueIds.length > 0 && (
            <Descriptions.Item label={t('clues')}>
              <Space wrap>{view.clueIds.map((cid) => <Link key={cid} to={`/clues/${cid}`}>{cid.slice(0, 8)}</Link>)}</Space>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('facts')} span={3}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{view.facts}</Typography.Paragraph>
          </Descriptions.Item>
          {view.transfers.length > 0 && (
            <Descriptions.Item label={t('linkedTransfers')} span={3}>
              <Space wrap>
                {view.transfers.map((x) => (
                  <Link key={x.transferId} to={`/transfers/${x.transferId}`}>
                    {x.number ?? x.transferId.slice(0, 8)} <Tag>{c(x.state)}</Tag>
                  </Link>
                ))}
              </Space>
            </Descriptions.Item>
          )}
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
        {principal?.agencyKind === 'LEADING_GROUP_OFFICE' && (
          <Space wrap style={{ marginTop: 8, display: 'flex' }}>
            <Button onClick={() => setIssuing(true)} data-testid="issue-supervision">
              {t('issueSupervision')}
            </Button>
            {issued && (
              <Link to={`/supervisions/${issued.id}`} data-testid="issued-order-link">
                {t('issuedOrder')} {issued.documentNumber}
              </Link>
            )}
          </Space>
        )}
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <StepTimeline steps={view.steps} verified={view.stepsVerified} red={['close_without_penalty', 'return_for_investigation']} />
        </Col>
        <Col xs={24} xl={10}>
          <ClocksCard clocks={view.clocks} />
        </Col>
      </Row>
      <MoneyCard view={view} mayAdd={handling} onRecorded={setData} />
      {/* Evidence is for medical insurance bureaus only (any other agency, the office included, is answered 404). */}
      {principal?.agencyKind === 'MEDICAL_INSURANCE' && <EvidenceCard caseId={view.id} mayAdd={handling} />}
      <Modal open={issuing} title={t('issueSupervision')} footer={null} onCancel={() => setIssuing(false)} destroyOnHidden>
        <IssueSupervisionForm
          caseId={view.id}
          onDone={(o) => {
            setIssuing(false);
            setIssued(o);
          }}
        />
      </Modal>
      <Modal open={!!acting} title={acting ? `${c(acting.action)} · ${acting.label}` : ''} footer={null} onCancel={() => setActing(null)} destroyOnHidden>
        {acting && (
          <CaseStepForm
            caseId={view.id}
            rule={acting}
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
