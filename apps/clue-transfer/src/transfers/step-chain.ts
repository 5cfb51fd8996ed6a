import { TransferStepView } from '@lianban/contracts';
import { createHash } from 'node:crypto';

/** The fields of a step that its digest covers: the step as shown, and the transfer it belongs to. */
export type ChainedStep = Omit<TransferStepView, 'digest'> & { transferId: string };

/**
 * SM3 (GB/T 32905) over the previous step's digest and this step's fields in a fixed order:
 * changing, removing or reordering any recorded step breaks every digest after it.
 */
export function stepDigest(previous: string, s: ChainedStep): string {
  const canonical = JSON.stringify([previous, s.transferId, s.seq, s.action, s.fromState, s.toState, s.actorId, s.agencyId, s.at, s.documentNumber, s.note, s.attachments.map((a) => [a.name, a.sha256])]);
  return createHash('sm3').update(canonical, 'utf8').digest('hex');
}

/** True when every stored digest matches the chain recomputed from the steps. */
export function verifyChain(steps: (ChainedStep & { digest: string })[]): boolean {
  let previous = '';
  for (const s of steps) {
    const expected = stepDigest(previous, s);
    if (expected !== s.digest) return false;
    previous = expected;
  }
  return true;
}
