import { Button, Card, Col, Descriptions, Modal, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { CaseView, NotificationView, Page, SupervisionView } from '../api/types';
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
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';

/** Cases the API takes no supervision order on: nothing is left to supervise. */
const CONCLUDED = ['closed', 'archived'];

/** The open supervision order on the case, if the office reads one (at most one is open per case). */
function useOpenOrder(caseId: string | undefined, office: boolean): SupervisionView | undefined {
  const { data } = useApi<Page<SupervisionView>>(office && caseId ? `/supervisions?status=open&caseId=${caseId}&page=1&pageSize=1` : null);
  return data?.items[0];
}

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
  const office = principal?.kind === 'officer' && principal.agencyKind === 'LEADING_GROUP_OFFICE';
  const openOrder = useOpenOrder(id, office);
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
          <Descriptions.Item label={t('createdAt')}>{shanghaiTime(view.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('caseOfficers')}>{view.officerIds.map((o) => names.officer(o)).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('conclusionDue')}>{shanghaiTime(view.conclusionDueAt)}</Descriptions.Item>
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
        {office && (
          <Space wrap style={{ marginTop: 8, display: 'flex' }}>
            {/* Offered only where the API would take it: an open case not already under an open order. */}
            {!issued && !openOrder && !CONCLUDED.includes(view.state) && (
              <Button onClick={() => setIssuing(true)} data-testid="issue-supervision">
                {t('issueSupervision')}
              </Button>
            )}
            {issued ? (
              <Link to={`/supervisions/${issued.id}`} data-testid="issued-order-link">
                {t('issuedOrder')} {issued.documentNumber}
              </Link>
            ) : (
              openOrder && (
                <Link to={`/supervisions/${openOrder.id}`} data-testid="open-order-link">
                  {t('underSupervision')} {openOrder.documentNumber}
                </Link>
              )
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
          major={view.major}
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
