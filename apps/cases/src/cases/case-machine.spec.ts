import { PenaltyDto } from '@lianban/contracts';
import { CASE_MACHINE, caseTransitionsFrom, CaseFacts, conclusionLimit, findCaseTransition, heavierThan, OPEN_STATES, penaltyErrors } from './case-machine';

const facts = (f: Partial<CaseFacts> = {}): CaseFacts => ({ major: false, extension: 'none', paused: false, ...f });
const p = (f: Partial<PenaltyDto> = {}): PenaltyDto => ({ violationKind: 'violation', lossFen: 10_000, refundFen: 10_000, fineFen: 15_000, agreement: 'none', creditRecord: false, ...f });

describe('the case procedure table', () => {
  it.each([
    ['investigating', 'notify_penalty', facts(), 'notified', 'case_officer'],
    ['notified', 'request_hearing', facts(), 'hearing', 'case_officer'],
    ['notified', 'submit_for_review', facts(), 'legal_review', 'case_officer'],
    ['hearing', 'conclude_hearing', facts(), 'legal_review', 'case_officer'],
    ['legal_review', 'pass_review', facts(), 'reviewed', 'legal_reviewer'],
    ['legal_review', 'return_for_investigation', facts(), 'investigating', 'legal_reviewer'],
    ['reviewed', 'decide', facts(), 'decided', 'head'],
    ['reviewed', 'refer_to_collective', facts({ major: true }), 'collective_discussion', 'head'],
    ['collective_discussion', 'decide', facts({ major: true }), 'decided', 'head'],
    ['decided', 'serve', facts(), 'served', 'case_officer'],
    ['served', 'record_enforcement', facts(), 'enforced', 'case_officer'],
    ['enforced', 'archive', facts(), 'archived', 'head'],
    ['closed', 'archive', facts(), 'archived', 'head'],
    ['legal_review', 'extend_by_head', facts(), 'legal_review', 'head'],
    ['reviewed', 'extend_after_collective', facts({ extension: 'head' }), 'reviewed', 'head'],
    ['investigating', 'pause_clock', facts(), 'investigating', 'case_officer'],
    ['investigating', 'resume_clock', facts({ paused: true }), 'investigating', 'case_officer'],
  ] as const)('%s --%s--> leads to %s, taken by %s', (from, action, f, to, by) => {
    expect(findCaseTransition(from, action, f)).toMatchObject({ to, by });
  });

  it.each([
    ['reviewed', 'decide', facts({ major: true }), 'a major case is decided only after collective discussion'],
    ['investigating', 'decide', facts(), 'no decision before notice and legal review'],
    ['notified', 'pass_review', facts(), 'no review before the party was heard'],
    ['investigating', 'extend_after_collective', facts(), 'the longer extension only after the head’s'],
    ['investigating', 'extend_by_head', facts({ extension: 'head' }), 'the head extends once'],
    ['investigating', 'pause_clock', facts({ paused: true }), 'one pause at a time'],
    ['investigating', 'resume_clock', facts(), 'nothing to resume'],
    ['hearing', 'pause_clock', facts(), 'a hearing is already a paused period'],
    ['decided', 'extend_by_head', facts(), 'no extension once decided'],
    ['archived', 'archive', facts(), 'nothing leads out of archived'],
  ] as const)('%s does not allow %s (%s)', (from, action, f, _why) => {
    expect(findCaseTransition(from, action, f)).toBeUndefined();
  });

  it('lets only a legal reviewer pass or return a review, and starts and stops its clock', () => {
    const review = CASE_MACHINE.filter((t) => t.from === 'legal_review' && t.to !== 'legal_review');
    expect(review.map((t) => [t.action, t.by, t.stops])).toEqual([
      ['pass_review', 'legal_reviewer', ['legal_review']],
      ['return_for_investigation', 'legal_reviewer', ['legal_review']],
    ]);
    expect(CASE_MACHINE.filter((t) => t.starts === 'legal_review').map((t) => t.action)).toEqual(['submit_for_review', 'conclude_hearing']);
  });

  it('pauses the 90 days for a hearing and resumes them when it ends', () => {
    expect(findCaseTransition('notified', 'request_hearing', facts())).toMatchObject({ pauses: true });
    expect(findCaseTransition('hearing', 'conclude_hearing', facts())).toMatchObject({ resumes: true });
  });

  it('stops the 90 days at every end of a case and starts service only with a decision', () => {
    for (const t of CASE_MACHINE.filter((x) => x.to === 'decided' || x.to === 'closed')) expect(t.stops).toContain('conclusion');
    expect(CASE_MACHINE.filter((t) => t.starts === 'service').every((t) => t.action === 'decide')).toBe(true);
  });

  it('offers extensions in every open stage and none after', () => {
    for (const s of OPEN_STATES) expect(caseTransitionsFrom(s, facts()).map((t) => t.action)).toContain('extend_by_head');
    for (const s of ['decided', 'served', 'enforced', 'closed', 'archived'] as const) expect(caseTransitionsFrom(s, facts()).map((t) => t.action)).not.toContain('extend_by_head');
  });
});

describe('conclusion limit', () => {
  it.each([
    ['none', 0, 90],
    ['head', 0, 120],
    ['collective', 60, 180],
    ['collective', 15, 135],
  ] as const)('with extension %s (+%i after collective discussion) is %i days', (level, days, total) => {
    expect(conclusionLimit(level, days)).toEqual({ amount: total, unit: 'calendar_days' });
  });
});

describe('fines as multiples of the loss', () => {
  it.each([
    ['violation', 10_000, 10_000, true],
    ['violation', 10_000, 20_000, true],
    ['violation', 10_000, 9_999, false],
    ['violation', 10_000, 20_001, false],
    ['fraud', 10_000, 19_999, false],
    ['fraud', 10_000, 20_000, true],
    ['fraud', 10_000, 50_000, true],
    ['fraud', 10_000, 50_001, false],
    ['fraud', 0, 1, false],
    ['fraud', 0, 0, true],
  ] as const)('%s with loss %i: a fine of %i is allowed: %s', (violationKind, lossFen, fineFen, ok) => {
    expect(penaltyErrors(p({ violationKind, lossFen, fineFen })).length === 0).toBe(ok);
  });

  it('names the rule and the bounds in fen when the fine is outside the multiples, and asks for the loss when there is none', () => {
    expect(penaltyErrors(p({ violationKind: 'fraud', lossFen: 10_000, fineFen: 60_000 }))).toEqual([
      { field: 'penalty.fineFen', messages: [expect.stringContaining('2–5 times the loss')], codes: ['fineOutsideMultiples'], params: { fineOutsideMultiples: { minTimes: 2, maxTimes: 5, minFen: 20_000, maxFen: 50_000 } } },
    ]);
    expect(penaltyErrors(p({ lossFen: 0 }))).toEqual([{ field: 'penalty.lossFen', messages: [expect.stringContaining('state the loss')], codes: ['fineNeedsLoss'] }]);
  });
});

describe('never heavier than notified', () => {
  it.each([
    [p(), p(), []],
    [p({ fineFen: 12_000 }), p(), []],
    [p({ fineFen: 16_000 }), p(), ['fineFen']],
    [p({ agreement: 'suspend' }), p({ agreement: 'terminate' }), []],
    [p({ agreement: 'terminate' }), p({ agreement: 'suspend' }), ['agreement']],
    [p({ creditRecord: true }), p(), ['creditRecord']],
    [p({ violationKind: 'fraud', fineFen: 20_000 }), p(), ['fineFen', 'violationKind']],
    [p({ refundFen: 20_000 }), p(), ['refundFen']],
  ])('%j against %j is heavier on %j', (decided, notified, counts) => {
    expect(heavierThan(decided, notified)).toEqual(counts);
  });
});
