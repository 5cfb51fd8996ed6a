import { Space, Tag } from 'antd';
import type { ClueView } from '../api/types';
import { useI18n } from '../i18n';

/**
 * Where a clue stands, and once it is concluded or reported up (已上报待销号) the outcome beside it
 * (不属实, 已立案, 已移送).
 */
export function ClueStatusTag({ clue }: { clue: Pick<ClueView, 'status' | 'outcome'> }) {
  const { c } = useI18n();
  return (
    <Space size={0}>
      <Tag color={clue.status === 'reported' ? 'gold' : undefined} data-testid="clue-status" data-status={clue.status}>
        {c(`clue:${clue.status}`)}
      </Tag>
      {clue.outcome && <Tag data-testid="clue-outcome-tag">{c(clue.outcome)}</Tag>}
    </Space>
  );
}
