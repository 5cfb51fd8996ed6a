import { Alert, Button, Checkbox, Col, Form, Input, Row, Select } from 'antd';
import { api } from '../api/client';
import type { AgencyView, ClueView } from '../api/types';
import { categoryGroupsFor, CLUE_SOURCES, CLUE_SUBJECT_KINDS, TIP_OFF_SOURCES, VIOLATION_GROUPS } from '../clues';
import { useI18n } from '../i18n';
import { YUAN, yuanToFen } from '../money';
import { shanghaiToday } from '../period';
import { useProblemForm } from './useProblemForm';

export interface NewClueValues {
  source?: string;
  subject?: { kind?: string; name?: string; institutionCode?: string; idNumber?: string };
  categories?: string[];
  periodFrom?: string;
  periodTo?: string;
  /** yuan as typed; sent as amountFen in fen */
  amountFen?: string;
  description?: string;
  /** A tip-off with the reporter's name (实名举报); unticked, the tip-off is anonymous. */
  realName?: boolean;
  reporter?: { name?: string; phone?: string; idNumber?: string; email?: string };
  reportBackBy?: string;
  assignmentReference?: string;
  assignToAgencyId?: string;
}

/** The fields the form shows: an error on any other (e.g. `reporter` as a whole) is said above the form. */
const FIELDS = [
  'source',
  'subject.kind',
  'subject.name',
  'subject.institutionCode',
  'subject.idNumber',
  'categories',
  'periodFrom',
  'periodTo',
  'amountFen',
  'description',
  'reporter.name',
  'reporter.phone',
  'reporter.idNumber',
  'reporter.email',
  'reportBackBy',
  'assignmentReference',
  'assignToAgencyId',
];

const INSTITUTION_CODE = /^H[1-9]\d{10}$/;
const ID_NUMBER = /^\d{17}[\dXx]$/;
const PHONE = /^[0-9+\- ]{5,20}$/;

/** The trimmed text, or nothing when it is empty. */
function text(v: string | undefined): string | undefined {
  return v?.trim() || undefined;
}

/** The entries of an object that hold something. */
function present<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * 登记线索 (`POST /clues`): the source, the subject, the violation categories, the period and the
 * amount typed in yuan (sent in fen), the description; for a tip-off the reporter unless it is
 * anonymous; for a clue assigned from above (上级交办) the report-back date and the assigning
 * document, and, for a city's or a province's bureau (`assignees` not empty), the subordinate bureau
 * that is to verify it (交办). What the API still refuses is shown next to its field.
 */
export function NewClueForm({
  assignees = [],
  initialSource,
  onDone,
  onCancel,
  submit = (body) => api.post<ClueView>('/clues', body),
}: {
  /** The bureaus the officer may assign the clue down to (none: the officer does not assign). */
  assignees?: AgencyView[];
  initialSource?: string;
  onDone: (view: ClueView) => void;
  onCancel?: () => void;
  submit?: (body: Record<string, unknown>) => Promise<ClueView>;
}) {
  const { t, c } = useI18n();
  const [form] = Form.useForm<NewClueValues>();
  const { busy, error, run } = useProblemForm(form, FIELDS, { FORBIDDEN: t('errorForbidden') });
  const source = Form.useWatch('source', form) ?? initialSource;
  const kind = Form.useWatch(['subject', 'kind'], form) ?? 'institution';
  const realName = Form.useWatch('realName', form) ?? false;
  const tipOff = TIP_OFF_SOURCES.includes(source as never);
  const assigned = source === 'assigned';
  const person = kind !== 'institution';
  const required = { required: true, message: t('required') };
  const today = shanghaiToday();

  const finish = async (v: NewClueValues) => {
    const subject = v.subject ?? {};
    const body: Record<string, unknown> = {
      source: v.source,
      subject: present({
        kind: subject.kind,
        name: text(subject.name),
        institutionCode: person ? undefined : text(subject.institutionCode),
        idNumber: person ? text(subject.idNumber)?.toUpperCase() : undefined,
      }),
      categories: v.categories,
      periodFrom: v.periodFrom,
      periodTo: v.periodTo,
      description: text(v.description),
    };
    if (text(v.amountFen)) body.amountFen = yuanToFen(v.amountFen!);
    if (tipOff && v.realName && v.reporter) {
      const r = v.reporter;
      body.reporter = present({ name: text(r.name), phone: text(r.phone), idNumber: text(r.idNumber)?.toUpperCase(), email: text(r.email) });
    }
    if (assigned) {
      body.reportBackBy = v.reportBackBy;
      if (text(v.assignmentReference)) body.assignmentReference = text(v.assignmentReference);
      if (v.assignToAgencyId) body.assignToAgencyId = v.assignToAgencyId;
    }
    let view: ClueView | undefined;
    if (await run(async () => (view = await submit(body)))) onDone(view!);
  };

  return (
    <Form form={form} layout="vertical" onFinish={finish} initialValues={{ source: initialSource, subject: { kind: 'institution' }, realName: false }} data-testid="clue-form" style={{ maxWidth: 760 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form.Item name="source" label={t('source')} rules={[required]}>
        <Select options={CLUE_SOURCES.map((s) => ({ value: s, label: c(s) }))} data-testid="clue-source" />
      </Form.Item>
      {assigned && (
        <>
          {assignees.length > 0 && (
            <Form.Item name="assignToAgencyId" label={t('assignTo')} extra={t('assignToHint')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={assignees.map((a) => ({ value: a.id, label: a.name }))} data-testid="clue-assignee" />
            </Form.Item>
          )}
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="reportBackBy"
                label={t('reportBackBy')}
                extra={t('reportBackHint')}
                rules={[required, { validator: async (_, v?: string) => (v && v < today ? Promise.reject(new Error(t('notBeforeToday'))) : undefined) }]}
              >
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="assignmentReference" label={t('assignmentReference')}>
                <Input maxLength={100} placeholder="张医保交〔2026〕3号" />
              </Form.Item>
            </Col>
          </Row>
        </>
      )}
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name={['subject', 'kind']} label={t('subjectKind')} rules={[required]}>
            <Select options={CLUE_SUBJECT_KINDS.map((k) => ({ value: k, label: c(`subject:${k}`) }))} data-testid="clue-subject-kind" />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name={['subject', 'name']} label={t('subjectName')} rules={[{ ...required, whitespace: true }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
      </Row>
      {person ? (
        <Form.Item name={['subject', 'idNumber']} label={t('idNumber')} rules={[{ pattern: ID_NUMBER, message: t('idNumberFormat') }]}>
          <Input maxLength={18} />
        </Form.Item>
      ) : (
        <Form.Item name={['subject', 'institutionCode']} label={t('institutionCode')} rules={[required, { pattern: INSTITUTION_CODE, message: t('institutionCodeHint') }]}>
          <Input maxLength={12} placeholder="H62070200004" />
        </Form.Item>
      )}
      <Form.Item name="categories" label={t('categories')} rules={[required]}>
        <Select
          mode="multiple"
          maxCount={20}
          showSearch={{ optionFilterProp: 'label' }}
          options={categoryGroupsFor(kind).map((g) => ({ label: c(`categoryGroup:${g}`), title: g, options: VIOLATION_GROUPS[g].map((code) => ({ value: code, label: `${code} ${c(`category:${code}`)}` })) }))}
          data-testid="clue-categories"
        />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={12} md={8}>
          <Form.Item name="periodFrom" label={`${t('period')} · ${t('periodFrom')}`} rules={[required]}>
            <Input type="date" />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            name="periodTo"
            label={`${t('period')} · ${t('periodTo')}`}
            dependencies={['periodFrom']}
            rules={[
              required,
              ({ getFieldValue }) => ({
                validator: async (_, v?: string) => {
                  const from: string | undefined = getFieldValue('periodFrom');
                  if (v && from && v < from) throw new Error(t('periodToBeforeFrom'));
                },
              }),
            ]}
          >
            <Input type="date" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="amountFen" label={t('amountInvolvedYuan')} rules={[{ pattern: YUAN, message: t('yuanFormat') }]}>
            <Input inputMode="decimal" placeholder="0.00" data-testid="clue-amount" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label={t('description')} rules={[{ ...required, whitespace: true }, { min: 5, message: t('atLeastFive') }]}>
        <Input.TextArea rows={4} maxLength={5000} />
      </Form.Item>
      {tipOff && (
        <>
          <Form.Item name="realName" valuePropName="checked" extra={realName ? t('reporterIdentityHint') : t('anonymousHint')}>
            <Checkbox data-testid="clue-real-name">{t('realNameReport')}</Checkbox>
          </Form.Item>
          {realName && (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name={['reporter', 'name']} label={`${t('reporter')} · ${t('name')}`} rules={[{ ...required, whitespace: true }]}>
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name={['reporter', 'phone']} label={t('phone')} rules={[{ pattern: PHONE, message: t('reporterPhoneFormat') }]}>
                  <Input maxLength={20} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name={['reporter', 'idNumber']} label={t('idNumber')} rules={[{ pattern: ID_NUMBER, message: t('idNumberFormat') }]}>
                  <Input maxLength={18} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name={['reporter', 'email']} label={t('email')} rules={[{ type: 'email', message: t('emailFormat') }]}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
            </Row>
          )}
        </>
      )}
      <div style={{ display: 'flex', gap: 8 }}>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="clue-submit">
          {t('newClue')}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t('cancel')}</Button>}
      </div>
    </Form>
  );
}
