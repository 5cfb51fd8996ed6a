/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ProblemError } from '../src/api/problem';
import type { AgencyView, ClueView, Principal } from '../src/api/types';
import { assigneesFor, mayAssignClues, mayRecordClues } from '../src/clues';
import { ClueStepForm } from '../src/forms/ClueStepForm';
import { NewClueForm } from '../src/forms/NewClueForm';
import { I18nProvider } from '../src/i18n';
import { shanghaiToday } from '../src/period';
import { itemOf, validation } from './form-helpers';
import { installBrowserShims } from './jsdom-setup';

installBrowserShims();

/** Opens the Select whose field has this id and picks the option with this label. */
async function pick(id: string, label: string) {
  const input = document.getElementById(id);
  if (!input) throw new Error(`no field #${id}`);
  fireEvent.mouseDown(input.closest('.ant-select') ?? input);
  const option = await waitFor(() => {
    const found = [...document.querySelectorAll('.ant-select-item-option')].filter((o) => o.textContent === label).at(-1);
    if (!found) throw new Error(`no option ${label}`);
    return found;
  });
  fireEvent.click(option);
}

const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } });

const submit = async (testId: string) =>
  act(async () => {
    fireEvent.click(screen.getByTestId(testId));
  });

/** A date in Asia/Shanghai, days from today. */
const day = (days: number) => new Date(Date.parse(`${shanghaiToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const agency = (id: string, kind: string, name: string, regionCode: string): AgencyView => ({ id, kind: kind as AgencyView['kind'], name, regionCode, parentId: null, contactPhone: null, contactAddress: null });
const directory = [
  agency('zy-mi', 'MEDICAL_INSURANCE', '张掖市医疗保障局', '620700'),
  agency('gz-mi', 'MEDICAL_INSURANCE', '甘州区医疗保障局', '620702'),
  agency('lz-mi', 'MEDICAL_INSURANCE', '临泽县医疗保障局', '620723'),
  agency('gz-police', 'POLICE', '张掖市公安局甘州分局', '620702'),
  agency('jq-mi', 'MEDICAL_INSURANCE', '酒泉市医疗保障局', '620900'),
];
const officer = (regionCode: string, agencyId: string, roles: string[]): Principal =>
  ({ kind: 'officer', id: 'o1', username: 'x', displayName: 'x', agencyId, agencyKind: 'MEDICAL_INSURANCE', regionCode, roles }) as unknown as Principal;

describe('who takes clues in and assigns them down', () => {
  it('lets the bureau’s officers, heads and tip-off desk record clues, and no one else', () => {
    for (const role of ['officer', 'head', 'complaint_handler']) expect(mayRecordClues(officer('620702', 'gz-mi', [role]))).toBe(true);
    for (const role of ['admin', 'legal_reviewer']) expect(mayRecordClues(officer('620702', 'gz-mi', [role]))).toBe(false);
    expect(mayRecordClues({ ...officer('620702', 'gz-police', ['officer']), agencyKind: 'POLICE' } as unknown as Principal)).toBe(false);
    expect(mayRecordClues(null)).toBe(false);
  });

  it('offers a city bureau’s officer the medical insurance bureaus of its districts, not itself, police or another city', () => {
    expect(assigneesFor(officer('620700', 'zy-mi', ['officer']), directory).map((a) => a.name)).toEqual(['甘州区医疗保障局', '临泽县医疗保障局']);
    // A province reaches every city and district of the province.
    expect(assigneesFor(officer('620000', 'gs-mi', ['head']), directory).map((a) => a.id)).toEqual(['zy-mi', 'gz-mi', 'lz-mi', 'jq-mi']);
  });

  it('offers no one to a district bureau, or to a city’s tip-off desk', () => {
    expect(mayAssignClues(officer('620702', 'gz-mi', ['officer']))).toBe(false);
    expect(assigneesFor(officer('620702', 'gz-mi', ['officer']), directory)).toEqual([]);
    expect(mayAssignClues(officer('620700', 'zy-mi', ['complaint_handler']))).toBe(false);
    expect(assigneesFor(officer('620700', 'zy-mi', ['complaint_handler']), directory)).toEqual([]);
  });
});

describe('the form that takes a clue in', () => {
  const assignees = directory.slice(1, 3);

  it('sends a tip-off with its reporter: the amount typed in yuan as fen, ID numbers in upper case, nothing empty', async () => {
    const view = { id: 'c1' } as ClueView;
    const onDone = jest.fn();
    const send = jest.fn().mockResolvedValue(view);
    render(
      <I18nProvider initial="zh">
        <NewClueForm initialSource="tip_off_hotline" onDone={onDone} submit={send} />
      </I18nProvider>,
    );
    // A tip-off offers no assignment; anonymous until 实名举报 is ticked.
    expect(document.getElementById('reportBackBy')).toBeNull();
    expect(document.getElementById('reporter_name')).toBeNull();
    await pick('subject_kind', '参保人员');
    await waitFor(() => expect(document.getElementById('subject_idNumber')).not.toBeNull());
    type('subject_name', ' 参保人李某 ');
    type('subject_idNumber', '62070219900101123x');
    await pick('categories', 'I02 将本人医疗保障凭证交由他人冒名使用');
    type('periodFrom', '2025-01-01');
    type('periodTo', '2025-06-30');
    type('amountFen', '1234.5');
    type('description', '举报其将医保卡交由他人冒名使用。');
    fireEvent.click(document.getElementById('realName')!);
    await waitFor(() => expect(document.getElementById('reporter_name')).not.toBeNull());
    type('reporter_name', '王某');
    type('reporter_phone', '13912345678');
    type('reporter_email', 'wang@example.cn');
    await submit('clue-submit');
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send).toHaveBeenCalledWith({
      source: 'tip_off_hotline',
      subject: { kind: 'insured_person', name: '参保人李某', idNumber: '62070219900101123X' },
      categories: ['I02'],
      periodFrom: '2025-01-01',
      periodTo: '2025-06-30',
      amountFen: 123_450,
      description: '举报其将医保卡交由他人冒名使用。',
      reporter: { name: '王某', phone: '13912345678', email: 'wang@example.cn' },
    });
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(view));
  });

  it('sends a clue assigned down with the bureau that is to verify it, the report-back date and the assigning document', async () => {
    const send = jest.fn().mockResolvedValue({ id: 'c2' } as ClueView);
    render(
      <I18nProvider initial="zh">
        <NewClueForm assignees={assignees} onDone={jest.fn()} submit={send} />
      </I18nProvider>,
    );
    await pick('source', '上级交办');
    await waitFor(() => expect(document.getElementById('assignToAgencyId')).not.toBeNull());
    // No reporter on a clue that is not a tip-off.
    expect(document.getElementById('realName')).toBeNull();
    await pick('assignToAgencyId', '甘州区医疗保障局');
    type('reportBackBy', day(30));
    type('assignmentReference', ' 张医保交〔2026〕3号 ');
    type('subject_name', '张掖康泰医院（示例民营）');
    type('subject_institutionCode', 'H62070200004');
    await pick('categories', 'H04 分解住院、挂床住院');
    await pick('categories', 'H06 重复收费、超标准收费、分解项目收费');
    type('periodFrom', '2025-01-01');
    type('periodTo', '2025-12-31');
    type('description', '大数据筛查发现该院分解住院。');
    await submit('clue-submit');
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send).toHaveBeenCalledWith({
      source: 'assigned',
      subject: { kind: 'institution', name: '张掖康泰医院（示例民营）', institutionCode: 'H62070200004' },
      categories: ['H04', 'H06'],
      periodFrom: '2025-01-01',
      periodTo: '2025-12-31',
      description: '大数据筛查发现该院分解住院。',
      reportBackBy: day(30),
      assignmentReference: '张医保交〔2026〕3号',
      assignToAgencyId: 'gz-mi',
    });
  });

  it('insists on what the API requires before sending anything: the fields, the institution code, the period in order, the report-back date', async () => {
    const send = jest.fn();
    render(
      <I18nProvider initial="zh">
        <NewClueForm onDone={jest.fn()} submit={send} />
      </I18nProvider>,
    );
    await pick('source', '上级交办');
    // A district bureau (no assignees) records an assignment from above without choosing a bureau.
    await waitFor(() => expect(document.getElementById('reportBackBy')).not.toBeNull());
    expect(document.getElementById('assignToAgencyId')).toBeNull();
    type('subject_institutionCode', 'H0123');
    type('periodFrom', '2025-06-30');
    type('periodTo', '2025-01-01');
    type('reportBackBy', day(-1));
    type('amountFen', '12.345');
    type('description', '太短');
    await submit('clue-submit');
    await waitFor(() => expect(within(itemOf('subject_name')).getByText('必填')).toBeTruthy());
    expect(within(itemOf('categories')).getByText('必填')).toBeTruthy();
    expect(within(itemOf('subject_institutionCode')).getByText(/^H \+ 6 位行政区划代码/)).toBeTruthy();
    expect(within(itemOf('periodTo')).getByText('结束日期不能早于开始日期')).toBeTruthy();
    expect(within(itemOf('reportBackBy')).getByText('不能早于今天')).toBeTruthy();
    expect(within(itemOf('amountFen')).getByText('以元为单位，最多两位小数')).toBeTruthy();
    expect(within(itemOf('description')).getByText('至少 5 个字符')).toBeTruthy();
    expect(send).not.toHaveBeenCalled();
  });

  it.each([
    ['zh', '只能交办给本局辖区内的下级医疗保障局', '期限须晚于当前时间', 'reporter: 只有举报线索才有举报人'],
    ['en', 'Not a medical insurance bureau below yours', 'The deadline lies in the future', 'reporter: Only a tip-off has a reporter'],
  ] as const)("puts the API's refusal of an assignment next to its fields, in the officer's language (%s)", async (lang, notSubordinate, notFuture, above) => {
    const onDone = jest.fn();
    const send = jest.fn().mockRejectedValue(
      validation([
        { field: 'assignToAgencyId', messages: ['the assignee is not a medical insurance bureau below yours'], codes: ['assigneeNotSubordinate'] },
        { field: 'reportBackBy', messages: ['reportBackBy is in the past'], codes: ['deadlineNotFuture'] },
        { field: 'reporter', messages: ['only a tip-off has a reporter'], codes: ['reporterOnlyForTipOff'] },
      ]),
    );
    render(
      <I18nProvider initial={lang}>
        <NewClueForm assignees={assignees} initialSource="assigned" onDone={onDone} submit={send} />
      </I18nProvider>,
    );
    await pick('assignToAgencyId', '临泽县医疗保障局');
    type('reportBackBy', day(1));
    type('subject_name', '临泽县人民医院');
    type('subject_institutionCode', 'H62072300001');
    await pick('categories', lang === 'zh' ? 'H03 虚构医药服务项目' : 'H03 Fictitious medical services');
    type('periodFrom', '2025-01-01');
    type('periodTo', '2025-03-31');
    type('description', '交办核查虚构医药服务项目。');
    await submit('clue-submit');
    await waitFor(() => expect(within(itemOf('assignToAgencyId')).getByText(notSubordinate)).toBeTruthy());
    expect(within(itemOf('assignToAgencyId')).queryByText('the assignee is not a medical insurance bureau below yours')).toBeNull();
    expect(within(itemOf('reportBackBy')).getByText(notFuture)).toBeTruthy();
    // An error on the reporter as a whole (no field of the form) is said above it, not lost.
    expect(screen.getByTestId('form-error').textContent).toContain(above);
    expect(send.mock.calls[0][0]).toMatchObject({ source: 'assigned', assignToAgencyId: 'lz-mi', reportBackBy: day(1) });
    expect(onDone).not.toHaveBeenCalled();
  });
});

describe('the step form of a clue', () => {
  it('asks the reasons and a new report-back date to return a report, and sends them', async () => {
    const view = { id: 'c1', status: 'verifying' } as ClueView;
    const onDone = jest.fn();
    const send = jest.fn().mockResolvedValue(view);
    render(
      <I18nProvider initial="zh">
        <ClueStepForm clueId="c1" action="return_report" onDone={onDone} submit={send} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('step-submit').textContent?.replace(/\s/g, '')).toBe('退回重新核查');
    await submit('step-submit');
    await waitFor(() => expect(within(itemOf('note')).getByText('必填')).toBeTruthy());
    expect(within(itemOf('reportBackBy')).getByText('必填')).toBeTruthy();
    expect(send).not.toHaveBeenCalled();
    type('note', ' 未核实2025年下半年的结算数据，请补充核查。 ');
    type('reportBackBy', day(15));
    await submit('step-submit');
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(view));
    expect(send).toHaveBeenCalledWith({ action: 'return_report', note: '未核实2025年下半年的结算数据，请补充核查。', reportBackBy: day(15) });
  });

  it('accepts a report with an opinion if any, and nothing else', async () => {
    const send = jest.fn().mockResolvedValue({ id: 'c1', status: 'concluded' } as ClueView);
    render(
      <I18nProvider initial="en">
        <ClueStepForm clueId="c1" action="accept_report" onDone={jest.fn()} submit={send} />
      </I18nProvider>,
    );
    expect(document.getElementById('reportBackBy')).toBeNull();
    expect(screen.getByTestId('step-submit').textContent).toBe('Accept report');
    await submit('step-submit');
    await waitFor(() => expect(send).toHaveBeenCalledWith({ action: 'accept_report' }));
  });

  it("says the API's refusal of the reasons next to them, and a step that is out of date above the form", async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(validation([{ field: 'note', messages: ['a returned report states its reasons'], codes: ['returnReasonNeeded'] }]))
      .mockRejectedValueOnce(new ProblemError({ type: 'x', title: 'Conflict', status: 409, code: 'ILLEGAL_TRANSITION', detail: 'A clue that is concluded cannot take the step "return_report".' }));
    render(
      <I18nProvider initial="zh">
        <ClueStepForm clueId="c1" action="return_report" onDone={jest.fn()} submit={send} />
      </I18nProvider>,
    );
    type('note', '补充');
    type('reportBackBy', day(3));
    await submit('step-submit');
    await waitFor(() => expect(within(itemOf('note')).getByText('退回须写明原因')).toBeTruthy());
    await submit('step-submit');
    await waitFor(() => expect(screen.getByTestId('form-error').textContent).toContain('线索已进入其他状态'));
  });
});
