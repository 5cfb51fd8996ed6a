/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { fieldErrorTexts, problemToFields } from '../src/api/problem';
import type { AgencyView, CaseView, FieldError, LedgerProblemView, LedgerView, OfficerView, ProblemDetails, TransferView } from '../src/api/types';
import { CaseStepForm } from '../src/forms/CaseStepForm';
import { DraftTransferForm } from '../src/forms/DraftTransferForm';
import { LedgerProgressForm } from '../src/forms/LedgerProgressForm';
import { MoneyEntryForm } from '../src/forms/MoneyEntryForm';
import { StepForm } from '../src/forms/StepForm';
import { I18nProvider } from '../src/i18n';
import { fenToYuan, yuan, yuanToFen } from '../src/money';
import { itemOf, validation } from './form-helpers';
import { installBrowserShims } from './jsdom-setup';

installBrowserShims();

describe('problem details → form fields', () => {
  it('puts each field error on its field path, nested and indexed ones too, and the rest above the form', () => {
    const problem = validation([
      { field: 'documentNumber', messages: ['documentNumber must be shorter than or equal to 100 characters'] },
      { field: 'attachments.0.sha256', messages: ['sha256 must be 64 lower-case hex characters'] },
      { field: 'clientIp', messages: ['clientIp must be an ip address'] },
    ]).problem;
    expect(problemToFields(problem, ['documentNumber', 'attachments'])).toEqual({
      fields: [
        { name: ['documentNumber'], errors: ['documentNumber must be shorter than or equal to 100 characters'] },
        { name: ['attachments', 0, 'sha256'], errors: ['sha256 must be 64 lower-case hex characters'] },
      ],
      other: ['clientIp: clientIp must be an ip address'],
    });
  });

  it('puts the errors of a row’s columns next to the columns a form shows, and the rest of the row above it', () => {
    const problem = validation([
      { field: 'problems.1.refundedEmployeesFen', messages: ['refundedEmployeesFen (101) is more than violatingEmployeesFen (100)'] },
      { field: 'problems.1.seq', messages: ['the ledger has no problem row 9'] },
      { field: 'problems', messages: ['problems must contain at least 1 elements'] },
      { field: 'note', messages: ['note must be shorter than or equal to 1000 characters'] },
    ]).problem;
    expect(problemToFields(problem, ['note', 'problems.*.refundedEmployeesFen', 'problems.*.reason'])).toEqual({
      fields: [
        { name: ['problems', 1, 'refundedEmployeesFen'], errors: ['refundedEmployeesFen (101) is more than violatingEmployeesFen (100)'] },
        { name: ['note'], errors: ['note must be shorter than or equal to 1000 characters'] },
      ],
      other: ['problems.1.seq: the ledger has no problem row 9', 'problems: problems must contain at least 1 elements'],
    });
  });

  it('says the detail of a problem without field errors (e.g. a 409) above the form', () => {
    const problem: ProblemDetails = { type: 'x', title: 'Conflict', status: 409, code: 'ILLEGAL_TRANSITION', detail: 'A transfer that is declined cannot take the step "file".' };
    expect(problemToFields(problem, ['note'])).toEqual({ fields: [], other: ['A transfer that is declined cannot take the step "file".'] });
  });
});

describe("the services' own rules, said in the officer's language", () => {
  const refund: FieldError = {
    field: 'problems.0.refundedEmployeesFen',
    messages: ['refundedEmployeesFen (123457) is more than violatingEmployeesFen (123456)'],
    codes: ['refundAboveViolating'],
    params: { refundAboveViolating: { refundedFen: 123_457, violatingFen: 123_456 } },
  };

  it('says a domain rule by its code in Chinese, with the amounts in yuan', () => {
    expect(fieldErrorTexts(refund, 'zh')).toEqual(['退回金额（¥1,234.57）不能超过违规金额（¥1,234.56）']);
    expect(fieldErrorTexts(refund, 'en')).toEqual(['The refund (¥1,234.57) cannot be more than the violating funds (¥1,234.56)']);
  });

  it('says the kinds a rule names by their labels, and a bound by its number', () => {
    const receiver: FieldError = { field: 'receiverAgencyId', messages: ['route mi_to_police goes to POLICE, not to HEALTH'], codes: ['wrongReceiverKind'], params: { wrongReceiverKind: { route: 'mi_to_police', kind: 'HEALTH', allowed: 'POLICE' } } };
    expect(fieldErrorTexts(receiver, 'zh')).toEqual(['此移送路线应移送至公安，不能移送至卫生健康委']);
    expect(fieldErrorTexts(receiver, 'en')).toEqual(['This route goes to Police, not to Health']);
    const fine: FieldError = { field: 'penalty.fineFen', messages: ['a fine for fraud (欺诈骗保) is 2–5 times the loss (20000–50000 fen)'], codes: ['fineOutsideMultiples'], params: { fineOutsideMultiples: { minTimes: 2, maxTimes: 5, minFen: 20_000, maxFen: 50_000 } } };
    expect(fieldErrorTexts(fine, 'zh')).toEqual(['罚款应为造成损失的 2 至 5 倍（¥200.00 至 ¥500.00）']);
  });

  it("keeps the API's words when the code names no sentence of the console or a value the sentence needs is missing", () => {
    expect(fieldErrorTexts({ field: 'x', messages: ['a rule of tomorrow'], codes: ['ruleOfTomorrow'] }, 'zh')).toEqual(['a rule of tomorrow']);
    expect(fieldErrorTexts({ ...refund, params: undefined }, 'zh')).toEqual([refund.messages[0]]);
    expect(fieldErrorTexts({ field: 'deadline', messages: ['the deadline lies in the future'], codes: ['deadlineNotFuture'] }, 'zh')).toEqual(['期限须晚于当前时间']);
  });
});

describe('the step form of a transfer', () => {
  const rule = { action: 'decline', label: '不予立案', needsNote: true, needsDocument: true };

  it('marks what the procedure requires next to the field before anything is sent', async () => {
    const submit = jest.fn();
    render(
      <I18nProvider initial="zh">
        <StepForm transferId="t1" rule={rule} onDone={jest.fn()} submit={submit} />
      </I18nProvider>,
    );
    fireEvent.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(within(itemOf('documentNumber')).getByText('必填')).toBeTruthy());
    expect(within(itemOf('note')).getByText('必填')).toBeTruthy();
    expect(submit).not.toHaveBeenCalled();
  });

  it("shows the API's validation errors next to their fields and other refusals above the form", async () => {
    const onDone = jest.fn();
    const submit = jest.fn().mockRejectedValue(
      validation([
        { field: 'documentNumber', messages: ['documentNumber must be shorter than or equal to 100 characters'] },
        { field: 'note', messages: ['a decline states its reasons'] },
        { field: 'attachments', messages: ['attachments must contain no more than 50 elements'] },
        { field: 'reason', messages: ['property reason should not exist'] },
      ]),
    );
    render(
      <I18nProvider initial="en">
        <StepForm transferId="t1" rule={rule} onDone={onDone} submit={submit} />
      </I18nProvider>,
    );
    fireEvent.change(document.getElementById('documentNumber')!, { target: { value: '甘公不立〔2026〕5号' } });
    fireEvent.change(document.getElementById('note')!, { target: { value: '  理由  ' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('step-submit'));
    });
    await waitFor(() => expect(within(itemOf('documentNumber')).getByText('documentNumber must be shorter than or equal to 100 characters')).toBeTruthy());
    expect(within(itemOf('note')).getByText('a decline states its reasons')).toBeTruthy();
    // A field the form does not show is not lost: it is said above the form.
    expect(screen.getByTestId('form-error').textContent).toContain('reason: property reason should not exist');
    expect(screen.getByTestId('form-error').textContent).toContain('attachments must contain no more than 50 elements');
    // What was sent: the action, the trimmed fields, nothing empty.
    expect(submit).toHaveBeenCalledWith({ action: 'decline', documentNumber: '甘公不立〔2026〕5号', note: '理由' });
    expect(onDone).not.toHaveBeenCalled();
  });

  it.each([
    ['zh', '不能超过 100 个字符', '应为整数', 'reason: 不接受此项', '格式不正确（a document number like 甘公不立〔2026〕5号）'],
    ['en', 'At most 100 characters', 'Must be a whole number', 'reason: Not accepted here', 'Not in the right format (a document number like 甘公不立〔2026〕5号)'],
  ] as const)("says the rules the API names by code in the console's language (%s), and other refusals in the API's words", async (lang, tooLong, notInt, unknown, format) => {
    const submit = jest.fn().mockRejectedValue(
      validation([
        // A format rule keeps the API's example of the format after the sentence.
        { field: 'documentNumber', messages: ['documentNumber must be shorter than or equal to 100 characters', 'a document number like 甘公不立〔2026〕5号'], codes: ['maxLength', 'matches'], params: { maxLength: { max: 100 } } },
        // A rule the console has no sentence for, and a service's own check without codes: as the API said them.
        { field: 'note', messages: ['note must be a hash of type sha256', 'a decline states its reasons'], codes: ['isHash'] },
        { field: 'reason', messages: ['property reason should not exist'], codes: ['whitelistValidation'] },
        { field: 'attachments', messages: ['attachments must be an integer number'], codes: ['isInt'] },
      ]),
    );
    render(
      <I18nProvider initial={lang}>
        <StepForm transferId="t1" rule={rule} onDone={jest.fn()} submit={submit} />
      </I18nProvider>,
    );
    fireEvent.change(document.getElementById('documentNumber')!, { target: { value: '甘公不立〔2026〕5号' } });
    fireEvent.change(document.getElementById('note')!, { target: { value: '理由' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('step-submit'));
    });
    await waitFor(() => expect(within(itemOf('documentNumber')).getByText(tooLong)).toBeTruthy());
    expect(within(itemOf('documentNumber')).queryByText(/shorter than or equal to/)).toBeNull();
    expect(within(itemOf('documentNumber')).getByText(format)).toBeTruthy();
    expect(within(itemOf('note')).getByText('note must be a hash of type sha256')).toBeTruthy();
    expect(within(itemOf('note')).getByText('a decline states its reasons')).toBeTruthy();
    expect(screen.getByTestId('form-error').textContent).toContain(unknown);
    expect(screen.getByTestId('form-error').textContent).toContain(`attachments: ${notInt}`);
  });

  it('hands the new view over when the step is taken', async () => {
    const view = { id: 't1', state: 'declined' } as TransferView;
    const onDone = jest.fn();
    render(
      <I18nProvider initial="zh">
        <StepForm transferId="t1" rule={{ action: 'receipt', label: '签收', needsNote: false, needsDocument: false }} onDone={onDone} submit={jest.fn().mockResolvedValue(view)} />
      </I18nProvider>,
    );
    await act(async () => {
      fireEvent.click(screen.getByTestId('step-submit'));
    });
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(view));
  });
});

describe('the draft form of a transfer', () => {
  const agencies: AgencyView[] = [{ id: 'p1', kind: 'POLICE' as AgencyView['kind'], name: '张掖市公安局甘州分局', regionCode: '620702', parentId: null, contactPhone: null, contactAddress: null }];
  const officers: OfficerView[] = [{ id: 'o1', username: 'ganzhou-mi-officer', displayName: '甘州区医疗保障局经办人', agencyId: 'm1', roles: [], disabled: false }];

  it("shows the service's refusal of the team next to the team field, in Chinese", async () => {
    const submit = jest
      .fn()
      .mockRejectedValue(validation([{ field: 'teamOfficerIds', messages: ['a transfer to police is written by a team of at least two officers (R5)'], codes: ['teamOfTwo'], params: { teamOfTwo: { min: 2 } } }]));
    render(
      <I18nProvider initial="zh">
        <DraftTransferForm routes={['mi_to_police']} agencies={agencies} officers={officers} initial={{ receiverAgencyId: 'p1', teamOfficerIds: ['o1'] }} onDone={jest.fn()} submit={submit} />
      </I18nProvider>,
    );
    fireEvent.change(document.getElementById('title')!, { target: { value: '张掖康泰医院涉嫌虚构医药服务项目骗取医保基金案' } });
    fireEvent.change(document.getElementById('summary')!, { target: { value: '经调查，该院虚构康复理疗项目，涉嫌诈骗罪。' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('draft-submit'));
    });
    await waitFor(() => expect(within(itemOf('teamOfficerIds')).getByText('移送公安须由至少 2 名承办人办理')).toBeTruthy());
    expect(within(itemOf('teamOfficerIds')).queryByText(/team of at least/)).toBeNull();
    expect(submit).toHaveBeenCalledWith({
      route: 'mi_to_police',
      receiverAgencyId: 'p1',
      title: '张掖康泰医院涉嫌虚构医药服务项目骗取医保基金案',
      summary: '经调查，该院虚构康复理疗项目，涉嫌诈骗罪。',
      teamOfficerIds: ['o1'],
    });
  });

  it('requires the receiver, the title and the summary before sending anything', async () => {
    const submit = jest.fn();
    render(
      <I18nProvider initial="en">
        <DraftTransferForm routes={['mi_to_police']} agencies={agencies} officers={officers} onDone={jest.fn()} submit={submit} />
      </I18nProvider>,
    );
    fireEvent.click(screen.getByTestId('draft-submit'));
    await waitFor(() => expect(within(itemOf('title')).getByText('Required')).toBeTruthy());
    expect(within(itemOf('summary')).getByText('Required')).toBeTruthy();
    expect(within(itemOf('receiverAgencyId')).getByText('Required')).toBeTruthy();
    expect(submit).not.toHaveBeenCalled();
  });
});

describe('the step form of an administrative case', () => {
  const rule = { action: 'notify_penalty', label: '行政处罚事先告知', needs: ['documentNumber', 'penalty'] };

  it('turns yuan as typed into integer fen by the digits, and fen back into yuan', () => {
    expect(yuanToFen('0')).toBe(0);
    expect(yuanToFen('380000.5')).toBe(38_000_050);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('19.99')).toBe(1999);
    // 0.1 + 0.2 in floating point is not 0.3; by the digits it is 30 fen.
    expect(yuanToFen('0.3')).toBe(30);
    expect(yuanToFen('999999999999.99')).toBe(99_999_999_999_999);
    // A correcting entry is negative, down to the last fen.
    expect(yuanToFen('-0.07')).toBe(-7);
    expect(yuanToFen('-1234.5')).toBe(-123_450);
    expect(fenToYuan(123_450)).toBe('1234.50');
    expect(fenToYuan(-7)).toBe('-0.07');
    expect(yuan(-50)).toBe('-¥0.50');
    expect(yuan(123_456_789)).toBe('¥1,234,567.89');
  });

  it('sends the penalty in fen, refuses malformed yuan before sending, and puts penalty.fineFen next to the fine', async () => {
    const submit = jest.fn().mockRejectedValue(
      validation([
        {
          field: 'penalty.fineFen',
          messages: ['a fine for a violation (违法违规) is 1–2 times the loss (10010–20020 fen)'],
          codes: ['fineOutsideMultiples'],
          params: { fineOutsideMultiples: { minTimes: 1, maxTimes: 2, minFen: 10_010, maxFen: 20_020 } },
        },
      ]),
    );
    render(
      <I18nProvider initial="en">
        <CaseStepForm caseId="c1" rule={rule} onDone={jest.fn()} submit={submit} />
      </I18nProvider>,
    );
    fireEvent.change(document.getElementById('documentNumber')!, { target: { value: ' 甘医保告〔2026〕1号 ' } });
    fireEvent.change(document.getElementById('penalty_lossFen')!, { target: { value: '100.1' } });
    fireEvent.change(document.getElementById('penalty_fineFen')!, { target: { value: '1.234' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('step-submit'));
    });
    await waitFor(() => expect(within(itemOf('penalty_fineFen')).getByText('In yuan, at most two decimals')).toBeTruthy());
    expect(submit).not.toHaveBeenCalled();

    fireEvent.change(document.getElementById('penalty_fineFen')!, { target: { value: '500' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('step-submit'));
    });
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit).toHaveBeenCalledWith({
      action: 'notify_penalty',
      documentNumber: '甘医保告〔2026〕1号',
      penalty: { violationKind: 'violation', lossFen: 10_010, refundFen: 0, fineFen: 50_000, agreement: 'none', creditRecord: false },
    });
    await waitFor(() => expect(within(itemOf('penalty_fineFen')).getByText('The fine is 1 to 2 times the loss (¥100.10 to ¥200.20)')).toBeTruthy());
  });
});

describe('the money entry form of a case', () => {
  /** Opens the kind's drop-down and picks an option by its label. */
  async function pickKind(label: string) {
    const select = screen.getByTestId('money-kind');
    fireEvent.mouseDown(select.querySelector('input') ?? select);
    const option = await waitFor(() => {
      const found = [...document.querySelectorAll('.ant-select-item-option')].find((o) => o.textContent === label);
      if (!found) throw new Error(`no option ${label}`);
      return found;
    });
    fireEvent.click(option);
  }

  it('insists on the kind and an amount in yuan with at most two decimals, not zero, before sending', async () => {
    const submit = jest.fn();
    render(
      <I18nProvider initial="zh">
        <MoneyEntryForm caseId="c1" onDone={jest.fn()} submit={submit} />
      </I18nProvider>,
    );
    await act(async () => {
      fireEvent.click(screen.getByTestId('money-submit'));
    });
    await waitFor(() => expect(within(itemOf('kind')).getByText('必填')).toBeTruthy());
    expect(within(itemOf('amountFen')).getByText('必填')).toBeTruthy();
    for (const [typed, message] of [['12.345', '以元为单位，最多两位小数'], ['1,000', '以元为单位，最多两位小数'], ['-0.00', '金额不能为零']]) {
      fireEvent.change(document.getElementById('amountFen')!, { target: { value: typed } });
      await act(async () => {
        fireEvent.click(screen.getByTestId('money-submit'));
      });
      await waitFor(() => expect(within(itemOf('amountFen')).getByText(message)).toBeTruthy());
    }
    expect(submit).not.toHaveBeenCalled();
  });

  it('sends the amount typed in yuan as integer fen, a correction negative, and puts the API’s refusals next to their fields', async () => {
    const view = { id: 'c1' } as CaseView;
    const onDone = jest.fn();
    const submit = jest
      .fn()
      .mockRejectedValueOnce(
        validation([
          { field: 'amountFen', messages: ['the refunded total of the case would fall below zero'], codes: ['totalBelowZero'], params: { totalBelowZero: { kind: 'refunded', totalFen: 100_000 } } },
          { field: 'documentNumber', messages: ['documentNumber must be longer than or equal to 1 characters'] },
        ]),
      )
      .mockResolvedValueOnce(view);
    render(
      <I18nProvider initial="en">
        <MoneyEntryForm caseId="c1" onDone={onDone} submit={submit} />
      </I18nProvider>,
    );
    await pickKind('Refunded');
    fireEvent.change(document.getElementById('amountFen')!, { target: { value: '-1234.5' } });
    fireEvent.change(document.getElementById('documentNumber')!, { target: { value: ' 甘医保退〔2026〕3号 ' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('money-submit'));
    });
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit).toHaveBeenCalledWith({ kind: 'refunded', amountFen: -123_450, documentNumber: '甘医保退〔2026〕3号' });
    await waitFor(() => expect(within(itemOf('amountFen')).getByText('The total of this kind would fall below zero (it is ¥1,000.00)')).toBeTruthy());
    expect(within(itemOf('documentNumber')).getByText('documentNumber must be longer than or equal to 1 characters')).toBeTruthy();
    expect(onDone).not.toHaveBeenCalled();

    fireEvent.change(document.getElementById('amountFen')!, { target: { value: '0.07' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('money-submit'));
    });
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(view));
    expect(submit).toHaveBeenLastCalledWith({ kind: 'refunded', amountFen: 7, documentNumber: '甘医保退〔2026〕3号' });
  });
});

describe('the progress form of an accepted ledger', () => {
  const problem = (p: Partial<LedgerProblemView>): LedgerProblemView => ({
    seq: 1,
    category: '重复收费',
    content: '护理费与床位费重复收取',
    violatingEmployeesFen: 0,
    violatingResidentsFen: 0,
    refundedEmployeesFen: 0,
    refundedResidentsFen: 0,
    rectified: false,
    reason: '正在核对',
    ...p,
  });
  const ledger = {
    id: 'l1',
    status: 'accepted',
    allowedActions: ['progress'],
    problems: [
      problem({ seq: 1, violatingEmployeesFen: 123_456, refundedEmployeesFen: 100_000 }),
      problem({ seq: 2, violatingEmployeesFen: 5_000, refundedEmployeesFen: 5_000, rectified: true, reason: null }),
      problem({ seq: 3, violatingResidentsFen: 5_000 }),
    ],
  } as unknown as LedgerView;

  it('offers the rows still open, refuses malformed yuan, and sends nothing when nothing changed', async () => {
    const submit = jest.fn();
    render(
      <I18nProvider initial="zh">
        <LedgerProgressForm ledger={ledger} onDone={jest.fn()} submit={submit} />
      </I18nProvider>,
    );
    expect(screen.getAllByTestId('progress-row').map((r) => r.getAttribute('data-seq'))).toEqual(['1', '3']);
    expect((document.getElementById('problems_0_refundedEmployeesFen') as HTMLInputElement).value).toBe('1000.00');
    await act(async () => {
      fireEvent.click(screen.getByTestId('progress-submit'));
    });
    await waitFor(() => expect(screen.getByTestId('progress-unchanged').textContent).toContain('没有需要报送的变化'));
    fireEvent.change(document.getElementById('problems_0_refundedEmployeesFen')!, { target: { value: '1234.567' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('progress-submit'));
    });
    await waitFor(() => expect(within(itemOf('problems_0_refundedEmployeesFen')).getByText('以元为单位，最多两位小数')).toBeTruthy());
    expect(submit).not.toHaveBeenCalled();
  });

  it('sends the refunds typed in yuan as fen for every open row, and puts the API’s refusal next to the column of its row', async () => {
    const onDone = jest.fn();
    const submit = jest.fn().mockRejectedValue(
      validation([
        {
          field: 'problems.1.refundedResidentsFen',
          messages: ['refundedResidentsFen (5001) is more than violatingResidentsFen (5000)'],
          codes: ['refundAboveViolating'],
          params: { refundAboveViolating: { refundedFen: 5_001, violatingFen: 5_000 } },
        },
        { field: 'problems.1.seq', messages: ['row 3 is listed twice'], codes: ['rowRepeated'], params: { rowRepeated: { seq: 3 } } },
      ]),
    );
    render(
      <I18nProvider initial="en">
        <LedgerProgressForm ledger={ledger} onDone={onDone} submit={submit} />
      </I18nProvider>,
    );
    fireEvent.change(document.getElementById('problems_0_refundedEmployeesFen')!, { target: { value: '1234.56' } });
    fireEvent.click(screen.getAllByTestId('progress-rectified')[0]);
    fireEvent.change(document.getElementById('problems_1_refundedResidentsFen')!, { target: { value: '50.01' } });
    fireEvent.change(document.getElementById('note')!, { target: { value: ' 已退回全部违规资金 ' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('progress-submit'));
    });
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit).toHaveBeenCalledWith({
      problems: [
        { seq: 1, refundedEmployeesFen: 123_456, refundedResidentsFen: 0, rectified: true, reason: '正在核对' },
        { seq: 3, refundedEmployeesFen: 0, refundedResidentsFen: 5_001, rectified: false, reason: '正在核对' },
      ],
      note: '已退回全部违规资金',
    });
    await waitFor(() => expect(within(itemOf('problems_1_refundedResidentsFen')).getByText('The refund (¥50.01) cannot be more than the violating funds (¥50.00)')).toBeTruthy());
    expect(screen.getByTestId('form-error').textContent).toContain('problems.1.seq: Row 3 is listed twice');
    expect(onDone).not.toHaveBeenCalled();
  });

  it('says the refusal of a refund above the violating funds in Chinese, next to the column', async () => {
    const submit = jest.fn().mockRejectedValue(
      validation([
        {
          field: 'problems.0.refundedEmployeesFen',
          messages: ['refundedEmployeesFen (123457) is more than violatingEmployeesFen (123456)'],
          codes: ['refundAboveViolating'],
          params: { refundAboveViolating: { refundedFen: 123_457, violatingFen: 123_456 } },
        },
      ]),
    );
    render(
      <I18nProvider initial="zh">
        <LedgerProgressForm ledger={ledger} onDone={jest.fn()} submit={submit} />
      </I18nProvider>,
    );
    fireEvent.change(document.getElementById('problems_0_refundedEmployeesFen')!, { target: { value: '1234.57' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('progress-submit'));
    });
    await waitFor(() => expect(within(itemOf('problems_0_refundedEmployeesFen')).getByText('退回金额（¥1,234.57）不能超过违规金额（¥1,234.56）')).toBeTruthy());
    expect(within(itemOf('problems_0_refundedEmployeesFen')).queryByText(/more than/)).toBeNull();
  });

  it('says so when every row is rectified and refunded', () => {
    render(
      <I18nProvider initial="en">
        <LedgerProgressForm ledger={{ ...ledger, problems: [ledger.problems[1]] }} onDone={jest.fn()} submit={jest.fn()} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('progress-complete').textContent).toContain('Every problem is rectified');
    expect(screen.queryByTestId('progress-form')).toBeNull();
  });
});
