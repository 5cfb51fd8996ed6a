import { Alert, Button, Card, Descriptions, Modal, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import type { ClueView, NotificationView } from '../api/types';
import { OPEN_CLUE_STATUSES } from '../clues';
import { LiveClock } from '../components/Clock';
import { ClueStatusTag } from '../components/ClueStatusTag';
import { ErrorNote, Loading } from '../components/Loading';
import { StepTimeline } from '../components/StepTimeline';
import { ClueStepForm } from '../forms/ClueStepForm';
import { useI18n } from '../i18n';
import { useLive } from '../inbox/live';
import { yuan } from '../money';
import { holdsRole } from '../nav';
import { useNames, useSession } from '../session';
import { shanghaiDeadline, shanghaiTime } from '../time';
import { useApi } from '../useApi';

interface Reporter {
  name: string;
  phone?: string;
  idNumber?: string;
  email?: string;
}

/**
 * One clue. The subject's ID number comes masked; a real-name reporter's identity stays sealed and
 * only the receiving bureau's tip-off desk sees a "show" button, each use of which the API audits.
 * A clue assigned down (交办) names the assigning bureau and runs a report-back clock until the
 * assigned bureau reports its result up; the assigning bureau then accepts it (销号) or returns it.
 * Below, every step taken on the clue (办理记录): who, for which bureau, when, with the reasons; how
 * a real-name reporter was told shows to the tip-off desk only (the API withholds it from others).
 */
export default function ClueDetailPage() {
  const { id } = useParams();
  const { t, c } = useI18n();
  const names = useNames();
  const { principal } = useSession();
  const { data: clue, error, reload, setData } = useApi<ClueView>(`/clues/${id}`);
  const [acting, setActing] = useState<string | null>(null);
  const [reporter, setReporter] = useState<Reporter | null>(null);
  const [revealError, setRevealError] = useState<unknown>();
  // A step taken elsewhere (reported up, accepted, returned) shows here without a reload.
  useLive(useCallback((n: NotificationView) => n.link?.includes(id ?? '-') && reload(), [id, reload]));
  if (error) return <ErrorNote error={error} />;
  if (!clue) return <Loading />;
  const open = OPEN_CLUE_STATUSES.includes(clue.status);
  // A transfer is drafted from a clue the bureau is still working on, by its officers and heads (the API's rule).
  const mayTransfer =
    principal?.agencyKind === 'MEDICAL_INSURANCE' && principal.agencyId === clue.agencyId && open && (holdsRole(principal, 'officer') || holdsRole(principal, 'head'));
  // The bureau that assigned the clue down: a district's directory does not reach the bureaus above it, so there it is named as such.
  const assigner = clue.assignedByAgencyId ? (names.directory.agencies.get(clue.assignedByAgencyId)?.name ?? t('higherBureau')) : null;
  const mayReveal = clue.hasReporter && principal?.agencyId === clue.agencyId && (principal.roles ?? []).includes('complaint_handler' as never);
  const reveal = () =>
    api
      .post<Reporter | null>(`/clues/${clue.id}/reporter`)
      .then((r) => setReporter(r ?? { name: t('anonymous') }))
      .catch(setRevealError);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={<Space><span data-testid="clue-number">{clue.number}</span><ClueStatusTag clue={clue} />{clue.repeatedParty && <Tag color="red">!</Tag>}</Space>}>
        {clue.status === 'reported' && (
          <Alert type="info" showIcon title={t('awaitingAcceptance').replace('{agency}', assigner ?? t('higherBureau'))} style={{ marginBottom: 12 }} data-testid="awaiting-acceptance" />
        )}
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('subjectName')}>{clue.subject.name} {clue.subject.institutionCode && <Tag>{clue.subject.institutionCode}</Tag>}</Descriptions.Item>
          <Descriptions.Item label={t('idNumber')}>{clue.subject.idNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('source')}>{c(clue.source)}</Descriptions.Item>
          <Descriptions.Item label={t('agency')}>{names.agency(clue.agencyId)}</Descriptions.Item>
          {assigner && (
            <Descriptions.Item label={t('assignedBy')}>
              <span data-testid="assigned-by">{assigner}</span>
            </Descriptions.Item>
          )}
          {clue.assignmentReference && (
            <Descriptions.Item label={t('assignmentReference')}>
              <span data-testid="assignment-reference">{clue.assignmentReference}</span>
            </Descriptions.Item>
          )}
          {clue.reportBackBy && (
            <Descriptions.Item label={t('reportBackBy')}>
              <Space data-testid="report-back-by">
                <span>{shanghaiDeadline(clue.reportBackBy)}</span>
                {open && <LiveClock clock={{ dueAt: clue.reportBackBy, stoppedAt: null, label: '', status: 'running' }} />}
              </Space>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('categories')} span={2}>
            <Space wrap size={[0, 4]}>
              {clue.categories.map((code) => (
                <Tooltip key={code} title={c(`category:${code}`)}>
                  <Tag>{code}</Tag>
                </Tooltip>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('period')}>{clue.periodFrom} — {clue.periodTo}</Descriptions.Item>
          <Descriptions.Item label={t('amount')}>{yuan(clue.amountFen)}</Descriptions.Item>
          <Descriptions.Item label={t('createdAt')}>{shanghaiTime(clue.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('timeLeft')}>
            {!open ? '—' : <LiveClock clock={{ dueAt: clue.filingDecisionDueAt, stoppedAt: null, label: '', status: 'running' }} />}
          </Descriptions.Item>
          <Descriptions.Item label={t('reporter')} span={2}>
            {!clue.hasReporter && t('anonymous')}
            {clue.hasReporter && !reporter && (
              <Space>
                <span data-testid="reporter-masked">{t('reporterHidden')}</span>
                {mayReveal && (
                  <Popconfirm title={t('showAudited')} onConfirm={reveal} okText={t('show')} cancelText={t('cancel')}>
                    <Button size="small" data-testid="reveal-reporter">{t('show')}</Button>
                  </Popconfirm>
                )}
              </Space>
            )}
            {reporter && (
              <span data-testid="reporter">
                {reporter.name} {reporter.phone} {reporter.idNumber} {reporter.email}
              </span>
            )}
            {revealError ? <ErrorNote error={revealError} /> : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('description')} span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{clue.description}</Typography.Paragraph>
          </Descriptions.Item>
          {clue.duplicates.length > 0 && (
            <Descriptions.Item label="⚠" span={2}>
              {clue.duplicates.map((d) => <Link key={d.id} to={`/clues/${d.id}`}><Tag color="orange">{d.number}</Tag></Link>)}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={t('actions')} size="small">
        <Space wrap>
          {clue.allowedActions.map((a) => (
            <Button key={a} type="primary" onClick={() => setActing(a)} data-testid={`clue-action-${a}`}>{c(a)}</Button>
          ))}
          {mayTransfer && (
            <Link to={`/transfers/new?clue=${clue.id}`}><Button data-testid="clue-new-transfer">{t('newTransfer')}</Button></Link>
          )}
          {!clue.allowedActions.length && <Typography.Text type="secondary">{t('noActions')}</Typography.Text>}
        </Space>
      </Card>
      {clue.steps && (
        <StepTimeline
          steps={clue.steps.map((s) => ({ ...s, toState: s.toStatus, note: s.noteWithheld ? t('noticeNoteWithheld') : s.note }))}
          state={(status) => `clue:${status}`}
          red={['return_report']}
        />
      )}
      <Modal open={!!acting} title={c(acting)} footer={null} onCancel={() => setActing(null)} destroyOnHidden>
        {acting && <ClueStepForm clueId={clue.id} action={acting} onCancel={() => setActing(null)} onDone={(v) => { setActing(null); setData(v); }} />}
      </Modal>
    </Space>
  );
}
