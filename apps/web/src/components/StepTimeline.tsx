import { Card, Tag, Timeline, Typography } from 'antd';
import { useI18n } from '../i18n';
import { useNames } from '../session';
import { shanghaiTime } from '../time';

/** What the timeline shows of a signed step: transfer and case steps alike. */
export interface TimelineStep {
  seq: number;
  action: string;
  toState: string;
  actorId: string;
  agencyId: string | null;
  at: string;
  documentNumber?: string | null;
  note: string | null;
  attachments?: { name: string; sha256: string }[];
}

/**
 * The steps of a transfer, a case or a clue, oldest first: who (the officer's name, from the
 * directory's names of every agency in one's jurisdiction), which agency, when, the document number
 * and the note; for signed steps (transfers, cases) whether the SM3 chain still verifies;
 * refusals and closures in red. `state` labels a step's resulting state (a clue's are prefixed).
 */
export function StepTimeline({ steps, verified, red, state = (s) => s }: { steps: TimelineStep[]; verified?: boolean; red: string[]; state?: (code: string) => string }) {
  const { t, c } = useI18n();
  const names = useNames();
  return (
    <Card title={t('steps')} size="small" extra={verified === undefined ? null : verified ? <Tag color="green">{t('digestOk')}</Tag> : <Tag color="red">{t('digestBad')}</Tag>}>
      <Timeline
        data-testid="timeline"
        items={steps.map((s) => ({
          key: s.seq,
          color: red.includes(s.action) ? 'red' : 'blue',
          content: (
            <div data-testid="timeline-step" data-action={s.action}>
              <Typography.Text strong>{c(s.action)}</Typography.Text> → <span data-testid="timeline-state">{c(state(s.toState))}</span>
              <div>
                <Typography.Text type="secondary">
                  {shanghaiTime(s.at)} · <span data-testid="timeline-actor">{names.officer(s.actorId)}</span> · <span data-testid="timeline-agency">{s.agencyId ? names.agency(s.agencyId) : '—'}</span>
                  {s.documentNumber && ` · ${t('documentNumber')} ${s.documentNumber}`}
                </Typography.Text>
              </div>
              {s.note && <div style={{ whiteSpace: 'pre-wrap' }}>{s.note}</div>}
              {s.attachments && s.attachments.length > 0 && <div>{s.attachments.map((f) => <Tag key={f.sha256}>{f.name}</Tag>)}</div>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}
