import { createHash } from 'node:crypto';
import { CaseStepView } from '@lianban/contracts';

/** The fields of a step that its digest covers: the step as shown, and the case it belongs to. */
export type ChainedCaseStep = Omit<CaseStepView, 'digest'> & { caseId: string };

/**
 * SM3 (GB/T 32905) over the previous step's digest and this step's fields in a fixed order, as
 * transfer steps are chained: changing, removing or reordering a recorded step breaks every
 * digest after it, so the record of who did what when is itself evidence.
 */
export function caseStepDigest(previous: string, s: ChainedCaseStep): string {
  const canonical = JSON.stringify([previous, s.caseId, s.seq, s.action, s.fromState, s.toState, s.actorId, s.agencyId, s.at, s.documentNumber, s.note, sortedKeys(s.detail)]);
  return createHash('sm3').update(canonical, 'utf8').digest('hex');
}

/** True when every stored digest matches the chain recomputed from the steps. */
export function verifyCaseChain(steps: (ChainedCaseStep & { digest: string })[]): boolean {
  let previous = '';
  for (const s of steps) {
    const expected = caseStepDigest(previous, s);
    if (expected !== s.digest) return false;
    previous = expected;
  }
  return true;
}

/** The value with every object's keys in sorted order: jsonb does not keep the order they were written in. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
  return v;
}
