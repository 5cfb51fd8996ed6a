import { Alert, Card } from 'antd';
import { useNavigate } from 'react-router-dom';
import { assigneesFor, mayRecordClues } from '../clues';
import { NewClueForm } from '../forms/NewClueForm';
import { useI18n } from '../i18n';
import { holdsRole } from '../nav';
import { useSession } from '../session';

/**
 * 登记线索: the tip-off desk records tip-offs (a hotline call by default), the bureau's officers and
 * heads every kind of clue, and a city's or a province's bureau assigns one down to a bureau below.
 */
export default function NewCluePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { principal, directory } = useSession();
  // Reached by its address alone: say so rather than show a form the API would refuse.
  if (!mayRecordClues(principal)) return <Alert type="warning" showIcon title={t('errorForbidden')} data-testid="not-allowed" />;
  const desk = holdsRole(principal, 'complaint_handler') && !holdsRole(principal, 'officer') && !holdsRole(principal, 'head');
  return (
    <Card title={t('newClue')}>
      <NewClueForm
        assignees={assigneesFor(principal, directory.agencies.values())}
        initialSource={desk ? 'tip_off_hotline' : undefined}
        onDone={(v) => navigate(`/clues/${v.id}`)}
        onCancel={() => navigate('/clues')}
      />
    </Card>
  );
}
