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
  agencyId: string;
  at: string;
  documentNumber: string | null;
  note: string | null;
  attachments?: { name: string; sha256: string }[];
}

/**
 * The signed steps of a transfer or a case, oldest first: who (the officer's name, from the
 * directory's names of every agency in one's jurisdiction), which agency, when, the document number
 * and the note; whether the SM3 chain still verifies; refusals and closures in red.
 */
export function StepTimeline({ steps, verified, red }: { steps: TimelineStep[]; verified: boolean; red: string[] }) {
  const { t, c } = useI18n();
  const names = useNames();
  return (
    <Card title={t('steps')} size="small" extra={verified ? <Tag color="green">{t('digestOk')}</Tag> : <Tag color="red">{t('digestBad')}</Tag>}>
      <Timeline
        data-testid="timeline"
        items={steps.map((s) => ({
          key: s.seq,
          color: red.includes(s.action) ? 'red' : 'blue',
          content: (
            <div data-testid="timeline-step" data-action={s.action}>
              <Typography.Text strong>{c(s.action)}</Typography.Text> → {c(s.toState)}
              <div>
                <Typography.Text type="secondary">
                  {shanghaiTime(s.at)} · <span data-testid="timeline-actor">{names.officer(s.actorId)}</span> · <span data-testid="timeline-agency">{names.agency(s.agencyId)}</span>
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
