/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ProblemError, problemToFields } from '../src/api/problem';
import type { AgencyView, OfficerView, ProblemDetails, TransferView } from '../src/api/types';
import { CaseStepForm, yuanToFen } from '../src/forms/CaseStepForm';
import { DraftTransferForm } from '../src/forms/DraftTransferForm';
import { StepForm } from '../src/forms/StepForm';
import { I18nProvider } from '../src/i18n';
import { installBrowserShims } from './jsdom-setup';

installBrowserShims();

const validation = (errors: { field: string; messages: string[] }[]): ProblemError =>
  new ProblemError({ type: 'https://lianban.gov.cn/problems/validation-failed', title: 'Bad Request', status: 400, detail: 'The request is not valid.', code: 'VALIDATION_FAILED', errors } as ProblemDetails);

/** The form item (label, field and its messages) that holds the field with this id. */
function itemOf(id: string): HTMLElement {
  const field = document.getElementById(id);
  if (!field) throw new Error(`no field #${id}`);
  return field.closest('.ant-form-item') as HTMLElement;
}

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

  it('says the detail of a problem without field errors (e.g. a 409) above the form', () => {
    const problem: ProblemDetails = { type: 'x', title: 'Conflict', status: 409, code: 'ILLEGAL_TRANSITION', detail: 'A transfer that is declined cannot take the step "file".' };
    expect(problemToFields(problem, ['note'])).toEqual({ fields: [], other: ['A transfer that is declined cannot take the step "file".'] });
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
  const agencies: AgencyView[] = [{ id: 'p1', kind: 'POLICE' as AgencyView['kind'], name: '张掖市公安局甘州分局', regionCode: '620702', parentId: null, contactPhone: null }];
  const officers: OfficerView[] = [{ id: 'o1', username: 'ganzhou-mi-officer', displayName: '甘州区医疗保障局经办人', agencyId: 'm1', roles: [], disabled: false }];

  it("shows the service's refusal of the team next to the team field", async () => {
    const submit = jest.fn().mockRejectedValue(validation([{ field: 'teamOfficerIds', messages: ['a transfer to police is written by at least two officers'] }]));
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
    await waitFor(() => expect(within(itemOf('teamOfficerIds')).getByText('a transfer to police is written by at least two officers')).toBeTruthy());
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

  it('turns yuan as typed into integer fen by the digits', () => {
    expect(yuanToFen('0')).toBe(0);
    expect(yuanToFen('380000.5')).toBe(38_000_050);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('19.99')).toBe(1999);
  });

  it('sends the penalty in fen, refuses malformed yuan before sending, and puts penalty.fineFen next to the fine', async () => {
    const submit = jest.fn().mockRejectedValue(validation([{ field: 'penalty.fineFen', messages: ['a fine for a violation is 1 to 2 times the loss'] }]));
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
    await waitFor(() => expect(within(itemOf('penalty_fineFen')).getByText('a fine for a violation is 1 to 2 times the loss')).toBeTruthy());
  });
});
