import { caseStepDigest, ChainedCaseStep, verifyCaseChain } from './case-step-chain';

const step = (seq: number, f: Partial<ChainedCaseStep> = {}): ChainedCaseStep => ({
  caseId: 'c-1',
  seq,
  action: 'notify_penalty',
  fromState: 'investigating',
  toState: 'notified',
  actorId: 'o-1',
  agencyId: 'a-1',
  at: `2026-11-0${seq}T02:00:00.000Z`,
  documentNumber: '甘医保告〔2026〕1号',
  note: null,
  detail: { penalty: { fineFen: 100, lossFen: 100 } },
  ...f,
});

function chain(steps: ChainedCaseStep[]) {
  let previous = '';
  return steps.map((s) => {
    previous = caseStepDigest(previous, s);
    return { ...s, digest: previous };
  });
}

describe('the SM3 chain of case steps', () => {
  const recorded = chain([step(1, { action: 'file', fromState: null, toState: 'investigating', detail: {} }), step(2), step(3, { action: 'request_hearing', fromState: 'notified', toState: 'hearing', note: '申请听证', detail: {} })]);

  it('verifies the steps as recorded, whatever order jsonb gives the detail’s keys', () => {
    expect(verifyCaseChain(recorded)).toBe(true);
    const reordered = recorded.map((s) => (s.seq === 2 ? { ...s, detail: { penalty: { lossFen: 100, fineFen: 100 } } } : s));
    expect(verifyCaseChain(reordered)).toBe(true);
  });

  it.each([
    ['a note changed', (s: (typeof recorded)[number]) => (s.seq === 3 ? { ...s, note: '未申请听证' } : s)],
    ['a fine changed', (s: (typeof recorded)[number]) => (s.seq === 2 ? { ...s, detail: { penalty: { fineFen: 50, lossFen: 100 } } } : s)],
    ['an actor changed', (s: (typeof recorded)[number]) => (s.seq === 1 ? { ...s, actorId: 'o-2' } : s)],
    ['a time changed', (s: (typeof recorded)[number]) => (s.seq === 2 ? { ...s, at: '2026-11-02T03:00:00.000Z' } : s)],
  ])('fails when %s', (_what, tamper) => {
    expect(verifyCaseChain(recorded.map(tamper))).toBe(false);
  });

  it('fails when a step is removed or two are swapped', () => {
    expect(verifyCaseChain([recorded[0], recorded[2]])).toBe(false);
    expect(verifyCaseChain([recorded[0], recorded[2], recorded[1]])).toBe(false);
  });
});
