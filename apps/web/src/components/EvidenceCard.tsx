import { Alert, Button, Card, InputNumber, Space, Table, Tag, Tooltip, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { ProblemError } from '../api/problem';
import type { EvidenceView, Page } from '../api/types';
import { useI18n } from '../i18n';
import { useNames } from '../session';
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';

const EVIDENCE_PAGE = 50;

const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);
const short = (digest: string) => (
  <Tooltip title={digest}>
    <Typography>{digest.slice(0, 12)}…</Typography>
  </Tooltip>
);
function Typography({ children }: { children: React.ReactNode }) {
  return <code style={{ cursor: 'help' }}>{children}</code>;
}

/**
 * The evidence files of a case: digests (SHA-256, SM3) shortened with the full value on hover, who
 * added each and when, sealed or not; a download per file (digests verified by the API: a tampered
 * file answers 409, shown as such), and for the handling bureau an upload of the raw bytes, a
 * finance-signed invoice verification receipt of its own filed by its number, and 封存. Paged on the
 * server (a case may hold hundreds of files); each file says how many entries its chain of custody
 * holds, the latest on hover.
 */
export function EvidenceCard({ caseId, mayAdd }: { caseId: string; mayAdd: boolean }) {
  const { t, c } = useI18n();
  const names = useNames();
  const [page, setPage] = useState(1);
  const { data, reload } = useApi<Page<EvidenceView>>(`/cases/${caseId}/evidence?page=${page}&pageSize=${EVIDENCE_PAGE}`);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ integrity: boolean; text: string } | null>(null);

  const fail = (e: unknown) => {
    const integrity = e instanceof ProblemError && e.status === 409 && e.code === 'EVIDENCE_INTEGRITY_FAILED';
    setProblem({ integrity, text: integrity ? t('integrityFailed') : e instanceof Error ? e.message : String(e) });
  };
  const download = async (r: EvidenceView) => {
    setBusy(r.id);
    setProblem(null);
    try {
      await api.download(`/cases/${caseId}/evidence/${r.id}/content`, r.name);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
      reload();
    }
  };
  const [receiptId, setReceiptId] = useState<number | null>(null);
  const attachReceipt = async () => {
    if (!receiptId) return;
    setBusy('receipt');
    setProblem(null);
    try {
      await api.post(`/cases/${caseId}/evidence/invoice-receipts`, { verificationId: receiptId });
      setReceiptId(null);
    } catch (e) {
      // The case is there (the card shows it): a 404 is the verification, not of this agency or none.
      if (e instanceof ProblemError && e.code === 'RECEIPT_ALREADY_ATTACHED') setProblem({ integrity: false, text: t('receiptAlreadyAttached') });
      else if (e instanceof ProblemError && e.status === 404) setProblem({ integrity: false, text: t('receiptNotFound') });
      else fail(e);
    } finally {
      setBusy(null);
      reload();
    }
  };
  const seal = async (r: EvidenceView) => {
    setBusy(r.id);
    setProblem(null);
    try {
      await api.post(`/cases/${caseId}/evidence/${r.id}/seal`);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
      reload();
    }
  };

  return (
    <Card
      title={t('evidence')}
      size="small"
      data-testid="evidence"
      extra={
        mayAdd && (
          <Space wrap>
            <Space.Compact>
              <InputNumber<number> min={1} precision={0} placeholder={t('verificationId')} value={receiptId} onChange={setReceiptId} style={{ width: 140 }} data-testid="receipt-id" />
              <Button loading={busy === 'receipt'} disabled={!receiptId} onClick={attachReceipt} data-testid="receipt-attach">
                {t('attachReceipt')}
              </Button>
            </Space.Compact>
            <Upload
              showUploadList={false}
              customRequest={async ({ file, onSuccess, onError }) => {
                const f = file as File;
                const q = new URLSearchParams({ name: f.name, mediaType: f.type || 'application/octet-stream' });
                try {
                  const v = await api.upload<EvidenceView>(`/cases/${caseId}/evidence?${q}`, f);
                  onSuccess?.(v);
                  setProblem(null);
                  reload();
                } catch (e) {
                  onError?.(e as Error);
                  fail(e);
                }
              }}
            >
              <Button data-testid="evidence-upload">{t('uploadEvidence')}</Button>
            </Upload>
          </Space>
        )
      }
    >
      {problem && (
        <Alert type="error" showIcon closable onClose={() => setProblem(null)} title={problem.text} style={{ marginBottom: 8 }} data-testid={problem.integrity ? 'evidence-integrity-failed' : 'evidence-error'} />
      )}
      <Table
        size="small"
        rowKey="id"
        pagination={(data?.total ?? 0) > EVIDENCE_PAGE && { current: page, pageSize: EVIDENCE_PAGE, total: data?.total, showSizeChanger: false, onChange: setPage }}
        loading={!data}
        dataSource={data?.items ?? []}
        onRow={(r) => ({ 'data-testid': 'evidence-row', 'data-name': r.name }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('fileName'), dataIndex: 'name' },
          { title: t('fileSize'), dataIndex: 'sizeBytes', render: (v: number) => size(v) },
          { title: 'SHA-256', dataIndex: 'sha256', render: short },
          { title: 'SM3', dataIndex: 'sm3', render: short },
          { title: t('addedBy'), key: 'by', render: (_, r) => `${names.officer(r.addedBy)} · ${names.agency(r.addedByAgencyId)}` },
          { title: t('addedAt'), dataIndex: 'addedAt', render: (v: string) => shanghaiTime(v) },
          { title: '', dataIndex: 'sealed', render: (v: boolean) => (v ? <Tag color="green">{t('sealed')}</Tag> : <Tag>{t('notSealed')}</Tag>) },
          {
            title: t('custody'),
            key: 'custody',
            render: (_, r) => (
              <Tooltip title={r.custody.map((x) => `${shanghaiTime(x.at)} ${c(`custody:${x.event}`)} ${names.officer(x.actorId)}`).join('\n')} styles={{ root: { whiteSpace: 'pre-line' } }}>
                <span data-testid="evidence-custody" style={{ cursor: 'help' }}>{r.custodyTotal}</span>
              </Tooltip>
            ),
          },
          {
            title: '',
            key: 'do',
            render: (_, r) => (
              <Space>
                <Button size="small" loading={busy === r.id} onClick={() => download(r)} data-testid="evidence-download">
                  {t('download')}
                </Button>
                {mayAdd && !r.sealed && (
                  <Button size="small" disabled={busy === r.id} onClick={() => seal(r)} data-testid="evidence-seal">
                    {t('seal')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
