import { Button, message } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';

/** A button that fetches an export with the bearer token and saves it (a plain link could not send the token). */
export function DownloadButton({ path, name, label, testId }: { path: string; name: string; label: string; testId?: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      loading={busy}
      data-testid={testId}
      onClick={async () => {
        setBusy(true);
        try {
          await api.download(path, name);
        } catch (e) {
          void message.error(String((e as Error).message ?? e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {label}
    </Button>
  );
}
