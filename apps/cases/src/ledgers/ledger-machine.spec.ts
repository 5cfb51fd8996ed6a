import { DomainError, LedgerProblemDto, LedgerProblemView, LedgerStatus } from '@lianban/contracts';
import { allowedFor, checkTransition, LedgerParty, LedgerTransition, validateProblems, validateProgress } from './ledger-machine';

type Act = LedgerTransition['action'];

describe('the ledger workflow', () => {
  it.each<[Act, LedgerStatus, LedgerParty, LedgerStatus | 'same']>([
    ['update', 'draft', 'institution', 'same'],
    ['submit', 'draft', 'institution', 'submitted'],
    ['return', 'submitted', 'bureau', 'returned'],
    ['update', 'returned', 'institution', 'same'],
    ['resubmit', 'returned', 'institution', 'resubmitted'],
    ['return', 'resubmitted', 'bureau', 'returned'],
    ['accept', 'submitted', 'bureau', 'accepted'],
    ['accept', 'resubmitted', 'bureau', 'accepted'],
    ['progress', 'accepted', 'institution', 'same'],
  ])('%s on a %s ledger by the %s leads to %s', (action, from, party, to) => {
    expect(checkTransition(action, from, party).to).toBe(to);
  });

  it.each<[Act, LedgerStatus, LedgerParty | 'reader', number, string]>([
    ['submit', 'submitted', 'institution', 409, 'ILLEGAL_TRANSITION'],
    ['submit', 'returned', 'institution', 409, 'ILLEGAL_TRANSITION'],
    ['resubmit', 'draft', 'institution', 409, 'ILLEGAL_TRANSITION'],
    ['accept', 'draft', 'bureau', 409, 'ILLEGAL_TRANSITION'],
    ['accept', 'returned', 'bureau', 409, 'ILLEGAL_TRANSITION'],
    ['accept', 'accepted', 'bureau', 409, 'ILLEGAL_TRANSITION'],
    ['return', 'accepted', 'bureau', 409, 'ILLEGAL_TRANSITION'],
    ['update', 'submitted', 'institution', 409, 'ILLEGAL_TRANSITION'],
    ['update', 'accepted', 'institution', 409, 'ILLEGAL_TRANSITION'],
    ['progress', 'submitted', 'institution', 409, 'ILLEGAL_TRANSITION'],
    ['accept', 'submitted', 'institution', 403, 'FORBIDDEN'],
    ['return', 'submitted', 'institution', 403, 'FORBIDDEN'],
    ['submit', 'draft', 'bureau', 403, 'FORBIDDEN'],
    ['update', 'draft', 'bureau', 403, 'FORBIDDEN'],
    ['accept', 'submitted', 'reader', 403, 'FORBIDDEN'],
  ])('refuses %s on a %s ledger by the %s (%i %s)', (action, from, party, status, code) => {
    let error: unknown;
    try {
      checkTransition(action, from, party);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ status, code });
  });

  it('names the allowed steps of each party', () => {
    expect(allowedFor('draft', 'institution')).toEqual(['update', 'submit']);
    expect(allowedFor('submitted', 'bureau')).toEqual(['return', 'accept']);
    expect(allowedFor('returned', 'institution')).toEqual(['update', 'resubmit']);
    expect(allowedFor('accepted', 'institution')).toEqual(['progress']);
    expect(allowedFor('accepted', 'bureau')).toEqual([]);
  });
});

const row = (p: Partial<LedgerProblemDto> = {}): LedgerProblemDto => ({
  category: '串换药品、医用耗材、诊疗项目和服务设施',
  content: '将甲类耗材串换为乙类项目收费',
  violatingEmployeesFen: 10_000,
  violatingResidentsFen: 5_000,
  refundedEmployeesFen: 10_000,
  refundedResidentsFen: 0,
  rectified: true,
  ...p,
});

describe('the rows of a ledger', () => {
  it('accepts consistent rows', () => {
    expect(validateProblems(['employees', 'residents'], [row(), row({ rectified: false, reason: '系统改造中' })])).toEqual([]);
  });

  it.each<[string, LedgerProblemDto, string, RegExp, string]>([
    ['refunds above the violating funds', row({ violatingResidentsFen: 0, refundedEmployeesFen: 10_001 }), 'problems.1.refundedEmployeesFen', /more than violatingEmployeesFen/, 'refundAboveViolating'],
    ['a row not rectified without a reason', row({ violatingResidentsFen: 0, rectified: false }), 'problems.1.reason', /needs the reason/, 'reasonNeeded'],
    ['funds under an insurance the institution did not declare', row({ violatingResidentsFen: 1, refundedResidentsFen: 0 }), 'problems.1.violatingResidentsFen', /did not declare/, 'insuranceNotDeclared'],
  ])('refuses %s, naming the column and the rule', (_name, problem, field, message, code) => {
    const errors = validateProblems(['employees'], [row({ violatingResidentsFen: 0 }), problem]);
    expect(errors.map((e) => e.field)).toEqual([field]);
    expect(errors[0].messages.join(' ')).toMatch(message);
    expect(errors[0].codes).toEqual([code]);
  });

  it('gathers the messages of one column of a row under that column, with their codes and the amounts they name', () => {
    const errors = validateProblems(['employees'], [row({ violatingResidentsFen: 1, refundedResidentsFen: 2, rectified: false })]);
    expect(errors).toEqual([
      { field: 'problems.0.refundedResidentsFen', messages: [expect.stringMatching(/more than/)], codes: ['refundAboveViolating'], params: { refundAboveViolating: { refundedFen: 2, violatingFen: 1 } } },
      { field: 'problems.0.violatingResidentsFen', messages: [expect.stringMatching(/did not declare/)], codes: ['insuranceNotDeclared'], params: { insuranceNotDeclared: { insuranceType: 'residents' } } },
      { field: 'problems.0.reason', messages: [expect.stringMatching(/needs the reason/)], codes: ['reasonNeeded'] },
    ]);
  });
});

describe('progress after acceptance', () => {
  const current: LedgerProblemView[] = [
    { seq: 1, ...row({ refundedEmployeesFen: 4_000, rectified: false, reason: '退款中' }), reason: '退款中' },
    { seq: 2, ...row(), reason: null },
  ];
  const update = (p: Partial<{ seq: number; refundedEmployeesFen: number; refundedResidentsFen: number; rectified: boolean; reason: string }>) => ({
    seq: 1,
    refundedEmployeesFen: 10_000,
    refundedResidentsFen: 5_000,
    rectified: true,
    ...p,
  });

  it('moves a row forward', () => {
    expect(validateProgress(current, [update({})])).toEqual([]);
  });

  it.each<[string, ReturnType<typeof update>, string, RegExp, string]>([
    ['a refund that shrinks', update({ refundedEmployeesFen: 3_999 }), 'problems.0.refundedEmployeesFen', /cannot go down/, 'refundDecreased'],
    ['a refund above the violating funds', update({ refundedResidentsFen: 5_001 }), 'problems.0.refundedResidentsFen', /more than/, 'refundAboveViolating'],
    ['a rectified row that becomes unrectified', update({ seq: 2, rectified: false, reason: '复发' }), 'problems.0.rectified', /cannot become unrectified/, 'rectifiedStays'],
    ['a row the ledger does not have', update({ seq: 9 }), 'problems.0.seq', /no problem row 9/, 'noSuchRow'],
    ['a row listed twice', update({}), 'problems.1.seq', /listed twice/, 'rowRepeated'],
  ])('refuses %s, naming the column and the rule', (_name, u, field, message, code) => {
    const errors = validateProgress(current, field === 'problems.1.seq' ? [u, u] : [u]);
    expect(errors.map((e) => e.field)).toEqual([field]);
    expect(errors[0].messages.join(' ')).toMatch(message);
    expect(errors[0].codes).toEqual([code]);
  });

  it('gives the amounts a refused refund names as params, in fen', () => {
    expect(validateProgress(current, [update({ refundedEmployeesFen: 3_999 })])).toEqual([
      { field: 'problems.0.refundedEmployeesFen', messages: [expect.stringMatching(/cannot go down/)], codes: ['refundDecreased'], params: { refundDecreased: { recordedFen: 4_000, refundedFen: 3_999 } } },
    ]);
    expect(validateProgress(current, [update({ refundedResidentsFen: 5_001 })])[0].params).toEqual({ refundAboveViolating: { refundedFen: 5_001, violatingFen: 5_000 } });
  });
});
