import { Alert, Descriptions, Modal, Typography } from 'antd';
import type { TemporaryPasswordView } from '../api/types';
import { useI18n } from '../i18n';
import { shanghaiTime } from '../time';

/** A temporary password just issued, with whose account it opens. */
export type Issued = TemporaryPasswordView & { username: string; displayName: string };

/** The temporary password just issued (an officer's, an institution's portal account), shown this once, to hand to its holder. */
export function Credentials({ issued, onClose }: { issued: Issued; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal open title={t('credentialsTitle')} onCancel={onClose} onOk={onClose} okText={t('confirm')} cancelButtonProps={{ style: { display: 'none' } }} okButtonProps={{ 'data-testid': 'credentials-close' } as never}>
      <Alert type="warning" showIcon title={t('credentialsNote')} style={{ marginBottom: 12 }} />
      <Descriptions column={1} size="small" bordered data-testid="credentials">
        <Descriptions.Item label={t('displayName')}>{issued.displayName}</Descriptions.Item>
        <Descriptions.Item label={t('username')}>
          <Typography.Text data-testid="issued-username">{issued.username}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('temporaryPassword')}>
          <Typography.Text code copyable data-testid="temporary-password">
            {issued.temporaryPassword}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('validUntil')}>{shanghaiTime(issued.expiresAt)}</Descriptions.Item>
      </Descriptions>
    </Modal>
  );
}
