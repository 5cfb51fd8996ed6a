import { Alert, Button, Card, Col, Descriptions, Form, Input, Row, Space, Table, Tag, Tooltip, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import { fieldErrorTexts, ProblemError } from '../api/problem';
import type { FieldError, InvoiceImportSummary, ProblemDetails, InvoiceImportView, IssuerView, VerificationRecord, VerificationResult } from '../api/types';
import { DownloadButton } from '../components/Download';
import { ErrorNote } from '../components/Loading';
import { useProblemForm } from '../forms/useProblemForm';
import { useI18n } from '../i18n';
import { ruleMessage } from '../i18n/messages';
import { YUAN, yuanToFen } from '../money';
import { useNames, useSession } from '../session';
import { shanghaiTime } from '../time';
import { useApi } from '../useApi';

const VERDICT_COLOR: Record<string, string> = { valid: 'green', not_found: 'red', mismatch: 'orange', red_flushed: 'purple', voided: 'red', bad_signature: 'red', invalid: 'red' };

interface SingleValues {
  code: string;
  number: string;
  checkCode: string;
  issuedOn?: string;
  /** yuan as printed on the ticket; sent as amountFen in fen */
  amountFen?: string;
  claimRef?: string;
}

/** Finance's signed receipt of a verification, saved as the API gives it (checks offline with tools/verify-receipt.mjs). */
function ReceiptButton({ id, testId }: { id: number; testId?: string }) {
  const { t } = useI18n();
  // The name the receipt has when filed as case evidence (verificationReceiptFileName in libs/contracts).
  return <DownloadButton path={`/invoices/verifications/${id}/receipt`} name={`发票查验回执-${id}.json`} label={t('downloadReceipt')} testId={testId} />;
}

type BatchLine = (Partial<VerificationResult> & { index: number; detail?: string; errors?: FieldError[] }) | { summary: Record<string, number> } | { error: { detail: string }; unverified: number[] };

/** An invoice's fields (as the API and a CSV name them) by the labels of the forms. */
const INVOICE_FIELDS = { code: 'invoiceCode', number: 'invoiceNumber', checkCode: 'checkCode', issuedOn: 'issuedOn', amountFen: 'amountFen', claimRef: 'claimRef' } as const;
/** The form's own sentences for a field's format, said instead of the API's (English) description of it. */
const FORMATS: Record<string, 'invoiceCodeFormat' | 'invoiceNumberFormat' | 'checkCodeFormat'> = { code: 'invoiceCodeFormat', number: 'invoiceNumberFormat', checkCode: 'checkCodeFormat' };

/** An invoice's fields by the labels of the forms; a difference of amounts without the unit (the form takes yuan, a CSV fen). */
function useInvoiceLabels() {
  const { t } = useI18n();
  const field = (f: string) => (Object.hasOwn(INVOICE_FIELDS, f) ? t(INVOICE_FIELDS[f as keyof typeof INVOICE_FIELDS]) : f === 'csv' ? 'CSV' : f === 'items' ? t('verifyBatch') : f);
  const difference = (f: string) => (f === 'amountFen' ? t('invoiceAmount') : field(f));
  return { field, difference };
}

/** The invoices service's rate limit, said with when to try again. */
function useTooOften(): (p: ProblemDetails) => string {
  const { t } = useI18n();
  return (p) => t('verifyTooOften').replace('{seconds}', String(typeof p.retryAfterSeconds === 'number' ? p.retryAfterSeconds : 60));
}

function SingleVerification({ onVerified }: { onVerified: () => void }) {
  const { t, c, lang } = useI18n();
  const labels = useInvoiceLabels();
  const tooOften = useTooOften();
  const [form] = Form.useForm<SingleValues>();
  const { busy, error, run } = useProblemForm(form, ['code', 'number', 'checkCode', 'issuedOn', 'amountFen', 'claimRef'], { TOO_MANY_REQUESTS: tooOften });
  const [result, setResult] = useState<VerificationResult | null>(null);
  return (
    <Card size="small" title={t('verifySingle')}>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setResult(null);
          const given = Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== '');
          // A paper ticket prints yuan; the API compares fen, converted by the digits.
          const body = Object.fromEntries(given.map(([k, x]) => [k, k === 'amountFen' ? yuanToFen(x) : x]));
          await run(async () => {
            setResult(await api.post<VerificationResult>('/invoices/verifications', body));
            onVerified();
          });
        }}
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Row gutter={12}>
          <Col span={8}><Form.Item name="code" label={t('invoiceCode')} rules={[{ required: true, message: t('required') }, { pattern: /^\d{2}06\d{4}$/, message: t('invoiceCodeFormat') }]}><Input placeholder="62060126" /></Form.Item></Col>
          <Col span={8}><Form.Item name="number" label={t('invoiceNumber')} rules={[{ required: true, message: t('required') }, { pattern: /^\d{10}$/, message: t('invoiceNumberFormat') }]}><Input placeholder="0000012345" /></Form.Item></Col>
          <Col span={8}><Form.Item name="checkCode" label={t('checkCode')} rules={[{ required: true, message: t('required') }, { pattern: /^[0-9a-fA-F]{6}$/, message: t('checkCodeFormat') }]}><Input placeholder="1a9c3f" /></Form.Item></Col>
          <Col span={8}><Form.Item name="issuedOn" label={t('issuedOn')}><Input placeholder="2026-03-02" /></Form.Item></Col>
          <Col span={8}><Form.Item name="amountFen" label={t('amountYuan')} rules={[{ pattern: YUAN, message: t('yuanFormat') }]}><Input inputMode="decimal" placeholder="128.00" /></Form.Item></Col>
          <Col span={8}><Form.Item name="claimRef" label={t('claimRef')}><Input /></Form.Item></Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={busy}>{t('verify')}</Button>
      </Form>
      {result && (
        <Descriptions size="small" bordered column={2} style={{ marginTop: 12 }} data-testid="verification-result">
          <Descriptions.Item label={t('verdict')}><Tag color={VERDICT_COLOR[result.verdict]}>{c(result.verdict)}</Tag></Descriptions.Item>
          <Descriptions.Item label={t('timesChecked')}>{result.timesChecked}</Descriptions.Item>
          <Descriptions.Item label={t('differences')}><span data-testid="verification-differences">{result.differences.map(labels.difference).join(lang === 'zh' ? '、' : ', ') || '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('reused')}>{result.reused ? <Tag color="red">{result.otherClaims}</Tag> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('verificationId')}>
            <Space>
              <span data-testid="verification-id">{result.verificationId}</span>
              <ReceiptButton id={result.verificationId} testId="verification-receipt" />
            </Space>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

function BatchVerification({ onVerified }: { onVerified: () => void }) {
  const { t, c, lang } = useI18n();
  const { field: fieldName, difference } = useInvoiceLabels();
  const tooOften = useTooOften();
  // Each refused field by its label, its broken rules in the officer's language (fieldErrorTexts).
  const texts = (e: FieldError) => fieldErrorTexts(e, lang).map((x, i) => (FORMATS[e.field] && e.codes?.[i] === 'matches' ? t(FORMATS[e.field]) : x));
  const said = (errors: FieldError[]) => errors.map((e) => `${fieldName(e.field)}: ${texts(e).join(lang === 'zh' ? '；' : '; ')}`).join(' ');
  const [lines, setLines] = useState<BatchLine[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = async (file: File) => {
    setLines([]);
    setError(null);
    setBusy(true);
    try {
      const csv = await file.text();
      const got: BatchLine[] = [];
      await api.stream('/invoices/verifications/batch', { csv }, (line) => {
        got.push(line as BatchLine);
        if (got.length % 200 === 0) setLines([...got]);
      });
      setLines(got);
    } catch (e) {
      if (!(e instanceof ProblemError)) setError(String(e));
      else if (e.code === 'TOO_MANY_REQUESTS') setError(tooOften(e.problem));
      else setError(e.problem.errors?.length ? said(e.problem.errors) : e.problem.detail);
    } finally {
      setBusy(false);
      onVerified();
    }
  };
  const summary = lines.find((l): l is { summary: Record<string, number> } => 'summary' in l)?.summary;
  const rows = lines.filter((l): l is Extract<BatchLine, { index: number }> => 'index' in l).sort((a, b) => a.index - b.index);
  return (
    <Card size="small" title={t('verifyBatch')} data-testid="batch">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(f) => { void start(f); return false; }}>
          <Button loading={busy}>{t('chooseCsv')}</Button>
        </Upload>
        <code style={{ fontSize: 12 }}>code,number,checkCode,issuedOn,amountFen,claimRef</code>
        {error && <Alert type="error" showIcon title={error} data-testid="batch-error" />}
        {summary && (
          <Space wrap data-testid="batch-summary">
            {t('batchSummary')}:
            {Object.entries(summary).map(([k, v]) => <Tag key={k} color={VERDICT_COLOR[k]}>{k === 'total' ? t('total') : c(k)} {v}</Tag>)}
          </Space>
        )}
        <Table
          size="small"
          rowKey="index"
          dataSource={rows}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('row'), dataIndex: 'index', width: 70, render: (v: number) => v + 1 },
            { title: t('verdict'), key: 'verdict', render: (_, r) => (r.verdict ? <Tag color={VERDICT_COLOR[r.verdict]}>{c(r.verdict)}</Tag> : <Tag color="red">{c('invalid')}</Tag>) },
            { title: t('differences'), key: 'diff', render: (_, r) => r.differences?.map(difference).join(lang === 'zh' ? '、' : ', ') || said(r.errors ?? []) || r.detail || '' },
            { title: t('reused'), key: 'reused', render: (_, r) => (r.reused ? <Tag color="red">{r.otherClaims}</Tag> : '') },
            { title: t('verificationId'), key: 'id', dataIndex: 'verificationId' },
          ]}
        />
      </Space>
    </Card>
  );
}

/**
 * The agency's latest verifications (finance: everyone's), each with its signed receipt; searched
 * by an invoice's code and number (8 and 10 digits, as printed on the ticket), by its number alone
 * (under any code), or else by a claim reference.
 */
function Verifications({ data, error, onSearch }: { data: VerificationRecord[] | undefined; error: unknown; onSearch: (query: string) => void }) {
  const { t, c } = useI18n();
  const names = useNames();
  return (
    <Card
      size="small"
      title={t('verifications')}
      data-testid="verifications"
      extra={
        <Input.Search
          allowClear
          placeholder={t('verificationsSearch')}
          style={{ width: 380 }}
          data-testid="verifications-search"
          onSearch={(v) => {
            onSearch(verificationsQuery(v));
          }}
        />
      }
    >
      <p style={{ marginTop: 0 }}>{t('verificationsNote')}</p>
      {error ? <ErrorNote error={error} /> : null}
      <Table<VerificationRecord>
        size="small"
        rowKey="id"
        loading={!data && !error}
        dataSource={data ?? []}
        pagination={{ pageSize: 10 }}
        onRow={(r) => ({ 'data-testid': 'verification-row', 'data-id': r.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('verificationId'), dataIndex: 'id', width: 110 },
          { title: t('invoiceCode'), dataIndex: 'code', width: 110 },
          { title: t('invoiceNumber'), dataIndex: 'number', width: 130 },
          { title: t('verdict'), dataIndex: 'verdict', render: (v: string) => <Tag color={VERDICT_COLOR[v]}>{c(v)}</Tag> },
          { title: t('claimRef'), dataIndex: 'claimRef', render: (v: string | null) => v ?? '—' },
          { title: t('agency'), dataIndex: 'agencyId', render: (v: string) => names.agency(v) },
          { title: t('checkedAt'), dataIndex: 'at', render: (v: string) => shanghaiTime(v) },
          { title: '', key: 'receipt', render: (_, r) => <ReceiptButton id={r.id} /> },
        ]}
      />
    </Card>
  );
}

/** The search box's text as the query of GET /invoices/verifications. */
function verificationsQuery(input: string): string {
  const text = input.trim();
  if (!text) return '';
  const invoice = /^(\d{8})\s*(\d{10})$/.exec(text);
  if (invoice) return `?code=${invoice[1]}&number=${invoice[2]}`;
  return /^\d{10}$/.test(text) ? `?number=${text}` : `?claimRef=${encodeURIComponent(text)}`;
}

/** The colour of an import file's status. */
const IMPORT_COLOR: Record<string, string> = { pending: 'blue', imported: 'green', refused: 'orange', failed: 'red' };

/** The columns of an import file by the labels the console gives them. */
const IMPORT_FIELDS = { ...INVOICE_FIELDS, kind: 'invoiceKind', issuerCode: 'issuerCode', payerName: 'payerName', status: 'invoiceStatus', originalCode: 'originalCode', originalNumber: 'originalNumber', signature: 'signature' } as const;

/** How long the console waits between looks at an import file still being imported. */
const IMPORT_POLL_MS = 1000;

/**
 * An import file's outcome: imported, refused with its rows (each rule in the officer's language),
 * or stopped; with the file as it was received, to download.
 */
function ImportOutcome({ view }: { view: InvoiceImportView }) {
  const { t, lang } = useI18n();
  const action = <DownloadButton path={`/invoices/imports/${view.id}/file`} name={view.fileName} label={t('downloadImportFile')} testId="import-download" />;
  if (view.status === 'pending') return <Alert type="info" showIcon title={`${view.fileName}：${t('importPending')}`} action={action} data-testid="import-pending" />;
  if (view.status === 'imported') return <Alert type="success" showIcon title={`${view.fileName}：${t('imported')} ${view.imported}`} action={action} data-testid="import-done" />;
  if (view.status === 'failed') return <Alert type="error" showIcon title={`${view.fileName}：${(view.failureCode && ruleMessage(lang, view.failureCode)) ?? view.failure}`} action={action} data-testid="import-failed" />;
  const shown = view.errorCount > view.errors.length ? ` ${t('importErrorsShown')} ${view.errors.length} / ${view.errorCount}` : '';
  return (
    <>
      <Alert type="warning" showIcon title={`${view.fileName}：${t('importRefused')}${shown}`} action={action} data-testid="import-refused" />
      <Table
        size="small"
        rowKey={(r) => `${r.row}-${r.field}-${r.message}`}
        dataSource={view.errors}
        pagination={{ pageSize: 20 }}
        data-testid="import-errors"
        columns={[
          { title: t('row'), dataIndex: 'row', width: 70, render: (v: number) => v || t('wholeFile') },
          { title: t('field'), dataIndex: 'field', width: 140, render: (v: string) => (Object.hasOwn(IMPORT_FIELDS, v) ? t(IMPORT_FIELDS[v as keyof typeof IMPORT_FIELDS]) : v) },
          // The rule in the officer's language, with the invoice or issuer it names; the API's sentence for a rule the console does not know.
          { title: t('problem'), key: 'message', render: (_, e) => ruleMessage(lang, e.code, e.params) ?? e.message },
        ]}
      />
    </>
  );
}

/**
 * Finance's register: the issuing units with their SM2 keys (each by its SM3 fingerprint, to read
 * out to the issuer), a form to register one (or replace its key), and the import of a file of
 * issued invoices, red tickets and voids (CSV or JSON lines, sent as a file and imported by the
 * service in the background): all rows or none, each refused row said by its number and field.
 * The import files received are listed; one chosen (or just sent, or named by `?import=` as the
 * inbox item of a finished import links to it) shows its outcome, looked at again every second
 * while it is being imported.
 */
function Register() {
  const { t, lang, c } = useI18n();
  const names = useNames();
  const { data, error, reload } = useApi<IssuerView[]>('/invoices/issuers');
  const imports = useApi<InvoiceImportSummary[]>('/invoices/imports');
  const [form] = Form.useForm<{ code: string; name: string; publicKeyPem: string }>();
  const { busy, error: formError, run } = useProblemForm(form, ['code', 'name', 'publicKeyPem']);
  const [importing, setImporting] = useState(false);
  const [current, setCurrent] = useState<InvoiceImportView | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const reloadImports = imports.reload;
  useEffect(() => {
    if (current?.status !== 'pending') return;
    const timer = setTimeout(() => {
      api.get<InvoiceImportView>(`/invoices/imports/${current.id}`).then(
        (view) => {
          setCurrent(view);
          if (view.status !== 'pending') reloadImports();
        },
        (e) => setImportError(String(e)),
      );
    }, IMPORT_POLL_MS);
    return () => clearTimeout(timer);
  }, [current, reloadImports]);
  const importFile = async (file: File) => {
    setImporting(true);
    setCurrent(null);
    setImportError(null);
    try {
      const format = /\.csv$/i.test(file.name) ? 'csv' : 'jsonl';
      setCurrent(await api.upload<InvoiceImportView>(`/invoices/imports/files?format=${format}&name=${encodeURIComponent(file.name.slice(0, 255))}`, file));
      reloadImports();
    } catch (e) {
      // A file the gateway does not take (too large): the rule in the officer's language.
      setImportError(e instanceof ProblemError ? (e.status === 413 ? t('importTooLarge') : e.problem.errors?.length ? e.problem.errors.map((x) => fieldErrorTexts(x, lang).join(lang === 'zh' ? '；' : '; ')).join(' ') : e.problem.detail) : String(e));
    } finally {
      setImporting(false);
    }
  };
  const open = useCallback(async (id: string) => {
    setImportError(null);
    try {
      setCurrent(await api.get<InvoiceImportView>(`/invoices/imports/${id}`));
    } catch (e) {
      setImportError(e instanceof ProblemError ? e.problem.detail : String(e));
    }
  }, []);
  const [params] = useSearchParams();
  const linked = params.get('import');
  useEffect(() => {
    if (linked) void open(linked);
  }, [linked, open]);
  return (
    <Card size="small" title={t('invoiceRegister')} data-testid="register">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {error ? <ErrorNote error={error} /> : null}
        <Table<IssuerView>
          size="small"
          rowKey="code"
          loading={!data && !error}
          dataSource={data ?? []}
          pagination={false}
          onRow={(r) => ({ 'data-testid': 'issuer-row', 'data-code': r.code }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('issuerCode'), dataIndex: 'code', width: 140 },
            { title: t('issuerName'), dataIndex: 'name' },
            { title: t('keyFingerprint'), dataIndex: 'keyFingerprint', render: (v: string) => <Tooltip title={v}><code>{v.slice(0, 16)}…</code></Tooltip> },
            { title: t('registeredBy'), dataIndex: 'registeredBy', render: (v: string) => names.officer(v) },
            { title: t('registeredAt'), dataIndex: 'registeredAt', render: (v: string) => shanghaiTime(v) },
          ]}
        />
        <Form
          form={form}
          name="issuer"
          layout="vertical"
          onFinish={(v) =>
            run(async () => {
              await api.post('/invoices/issuers', v);
              form.resetFields();
              reload();
            })
          }
        >
          {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
          <Row gutter={12}>
            <Col span={8}><Form.Item name="code" label={t('issuerCode')} rules={[{ required: true, message: t('required') }, { pattern: /^H[1-9]\d{10}$/, message: t('issuerCodeFormat') }]}><Input placeholder="H62070200001" /></Form.Item></Col>
            <Col span={16}><Form.Item name="name" label={t('issuerName')} rules={[{ required: true, message: t('required') }]}><Input /></Form.Item></Col>
          </Row>
          <Form.Item name="publicKeyPem" label={t('issuerKey')} rules={[{ required: true, message: t('required') }]}>
            <Input.TextArea rows={4} placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
          <Button htmlType="submit" loading={busy} data-testid="issuer-register">{t('registerIssuer')}</Button>
        </Form>
        <Space>
          <Upload accept=".csv,.jsonl,.txt" showUploadList={false} beforeUpload={(f) => { void importFile(f); return false; }}>
            <Button loading={importing} data-testid="invoice-import">{t('importInvoices')}</Button>
          </Upload>
          <span>{t('importNote')}</span>
        </Space>
        {importError && <Alert type="error" showIcon title={importError} data-testid="import-error" />}
        {current && <ImportOutcome view={current} />}
        {imports.error ? <ErrorNote error={imports.error} /> : null}
        <Table<InvoiceImportSummary>
          size="small"
          rowKey="id"
          title={() => t('importFiles')}
          loading={!imports.data && !imports.error}
          dataSource={imports.data ?? []}
          pagination={{ pageSize: 10 }}
          onRow={(r) => ({ 'data-testid': 'import-row', 'data-status': r.status, onClick: () => void open(r.id), style: { cursor: 'pointer' } }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('importFile'), dataIndex: 'fileName' },
            { title: t('status'), dataIndex: 'status', width: 130, render: (v: string) => <Tag color={IMPORT_COLOR[v]}>{c(`import:${v}`)}</Tag> },
            { title: t('imported'), dataIndex: 'imported', width: 110 },
            { title: t('refusedRows'), dataIndex: 'errorCount', width: 110 },
            { title: t('importedBy'), dataIndex: 'importedBy', render: (v: string) => names.officer(v) },
            { title: t('receivedAt'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v) },
          ]}
        />
      </Space>
    </Card>
  );
}

/**
 * Verification of medical e-invoices against finance's register, one at a time or a CSV batch, and
 * the agency's verifications with their signed receipts (filed with a case under its evidence);
 * for finance, its register first.
 */
export default function InvoicesPage() {
  const [query, setQuery] = useState('');
  const { data, error, reload } = useApi<VerificationRecord[]>(`/invoices/verifications${query}`);
  const { principal } = useSession();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {principal?.agencyKind === 'FINANCE' && <Register />}
      <SingleVerification onVerified={reload} />
      <BatchVerification onVerified={reload} />
      <Verifications data={data} error={error} onSearch={setQuery} />
    </Space>
  );
}
