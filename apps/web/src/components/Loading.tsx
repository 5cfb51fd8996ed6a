import { Alert, Spin, Typography } from 'antd';
import { ProblemError } from '../api/problem';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

export function Loading() {
  return (
    <div data-testid="page-loading">
      <Spin style={{ display: 'block', margin: '48px auto' }} />
    </div>
  );
}

/** The console's sentence for a refusal's status; a call that got no answer at all is said as an unavailable service. */
function refusalKey(status: number | undefined): MessageKey {
  if (status === undefined || status >= 500) return 'errorUnavailable';
  if (status === 404) return 'errorNotFound';
  if (status === 401 || status === 403) return 'errorForbidden';
  if (status === 409) return 'errorConflict';
  if (status === 429) return 'errorTooManyRequests';
  return 'errorRequest';
}

/**
 * A page's or a card's failed load, in the officer's language by its status. The service's own
 * (English) words stay below in grey: a 409's detail is often the only account of why, and
 * support asks for them.
 */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useI18n();
  const status = error instanceof ProblemError ? error.status : undefined;
  const detail = error instanceof ProblemError ? `${error.status} ${error.code}: ${error.problem.detail || error.problem.title}` : String(error);
  return (
    <Alert
      type="error"
      showIcon
      title={t(refusalKey(status))}
      description={<Typography.Text type="secondary" data-testid="error-detail">{`${t('errorServerSaid')}: ${detail}`}</Typography.Text>}
      data-testid="error-note"
      data-status={status}
    />
  );
}
