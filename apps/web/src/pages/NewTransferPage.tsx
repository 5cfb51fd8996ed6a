import { Card } from 'antd';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { ClueView, Page } from '../api/types';
import { DraftTransferForm } from '../forms/DraftTransferForm';
import { useI18n } from '../i18n';
import { draftRoutesFor } from '../nav';
import { useNames, useSession } from '../session';
import { useApi } from '../useApi';

export default function NewTransferPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { principal } = useSession();
  const names = useNames();
  const isMi = principal?.agencyKind === 'MEDICAL_INSURANCE';
  const { data: clues } = useApi<Page<ClueView>>(isMi ? '/clues?page=1&pageSize=100&status=triaged,verifying' : null);
  const agencies = [...names.directory.agencies.values()];
  const officers = [...names.directory.officers.values()];
  return (
    <Card title={t('newTransfer')}>
      {agencies.length > 0 && (
        <DraftTransferForm
          routes={draftRoutesFor(principal?.agencyKind)}
          agencies={agencies}
          officers={officers}
          clues={clues?.items}
          initial={{ clueId: params.get('clue') ?? undefined, teamOfficerIds: principal ? [principal.id] : [] }}
          onDone={(v) => navigate(`/transfers/${v.id}`)}
        />
      )}
    </Card>
  );
}
