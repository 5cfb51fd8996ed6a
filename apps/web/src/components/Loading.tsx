import { Alert, Spin } from 'antd';
import { ProblemError } from '../api/problem';

export function Loading() {
  return (
    <div data-testid="page-loading">
      <Spin style={{ display: 'block', margin: '48px auto' }} />
    </div>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  const text = error instanceof ProblemError ? `${error.status} ${error.problem.detail}` : String(error);
  return <Alert type="error" showIcon title={text} />;
}
