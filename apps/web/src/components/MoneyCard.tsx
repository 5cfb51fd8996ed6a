import { Button, Card, Descriptions, Modal, Table } from 'antd';
import { useState } from 'react';
import type { CaseMoney, CaseMoneyEntryView, CaseView } from '../api/types';
import { MoneyEntryForm } from '../forms/MoneyEntryForm';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { yuan } from '../money';
import { useNames } from '../session';
import { shanghaiTime } from '../time';

const TOTALS: [keyof CaseMoney, MessageKey][] = [
  ['violatingEmployeesFen', 'violatingEmployees'],
  ['violatingResidentsFen', 'violatingResidents'],
  ['violatingTotalFen', 'violatingTotal'],
  ['fineDecidedFen', 'fineDecided'],
  ['refundOrderedFen', 'refundOrdered'],
  ['refundedFen', 'refunded'],
  ['finePaidFen', 'finePaid'],
  ['recoveredAfterJudgmentFen', 'recoveredAfterJudgment'],
  ['recoveredTotalFen', 'recoveredTotal'],
];

/**
 * The money of a case: the totals of its ledger and of the decision in yuan, and every entry (kind,
 * amount, document, who, when; corrections in red). The handling bureau (`mayAdd`, the API's own
 * rule) records an entry through a form; the new view replaces the old.
 */
export function MoneyCard({ view, mayAdd, onRecorded }: { view: CaseView; mayAdd: boolean; onRecorded: (v: CaseView) => void }) {
  const { t, c } = useI18n();
  const names = useNames();
  const [adding, setAdding] = useState(false);
  return (
    <Card
      title={t('money')}
      size="small"
      extra={
        mayAdd && (
          <Button size="small" type="primary" onClick={() => setAdding(true)} data-testid="record-money">
            {t('recordMoney')}
          </Button>
        )
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered data-testid="case-money">
        {TOTALS.map(([k, label]) => (
          <Descriptions.Item key={k} label={t(label)}>
            <span data-testid={`money-${k}`}>{yuan(view.money[k])}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Table<CaseMoneyEntryView>
        size="small"
        rowKey="id"
        style={{ marginTop: 12 }}
        pagination={false}
        dataSource={view.moneyEntries}
        data-testid="money-entries"
        scroll={{ x: 1000 }}
        onRow={(r) => ({ 'data-testid': 'money-entry', 'data-kind': r.kind, 'data-amount': r.amountFen }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('moneyKind'), dataIndex: 'kind', width: 170, render: (v: string) => c(`money:${v}`) },
          { title: t('amountYuan'), dataIndex: 'amountFen', width: 140, align: 'right', render: (v: number) => <span style={{ color: v < 0 ? '#cf1322' : undefined }}>{yuan(v)}</span> },
          { title: t('documentNumber'), dataIndex: 'documentNumber', width: 180, render: (v: string | null) => v ?? '—' },
          { title: t('remark'), dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? '' },
          { title: t('who'), key: 'who', width: 300, ellipsis: true, render: (_, r) => `${names.officer(r.actorId)} · ${names.agency(r.agencyId)}` },
          { title: t('when'), dataIndex: 'at', width: 170, render: (v: string) => shanghaiTime(v) },
        ]}
      />
      <Modal open={adding} title={t('recordMoney')} footer={null} onCancel={() => setAdding(false)} destroyOnHidden>
        <MoneyEntryForm
          caseId={view.id}
          onCancel={() => setAdding(false)}
          onDone={(v) => {
            setAdding(false);
            onRecorded(v);
          }}
        />
      </Modal>
    </Card>
  );
}
