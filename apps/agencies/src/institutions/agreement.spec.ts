import { AGREEMENT_TRANSITIONS, newAgreementAllowedFrom } from './agreement';

describe('service agreement rules', () => {
  it.each([
    ['2024-03-15', '2027-03-15'],
    ['2024-02-29', '2027-03-01'],
    ['2026-12-31', '2029-12-31'],
  ])('an agreement terminated for fraud on %s allows a new one from %s', (since, from) => {
    expect(newAgreementAllowedFrom(since)).toBe(from);
  });

  it('never lets a terminated agreement be suspended or re-terminated', () => {
    expect(AGREEMENT_TRANSITIONS.terminated).toEqual(['active']);
    expect(AGREEMENT_TRANSITIONS.terminated_for_fraud).toEqual(['active']);
  });
});
