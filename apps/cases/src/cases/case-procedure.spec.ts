import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_STATES } from '@lianban/contracts';
import { CASE_MACHINE } from './case-machine';
import { renderCaseProcedure, replaceGenerated } from './case-procedure';

describe('the case procedure as documented', () => {
  it('is printed, unchanged, in docs/cases.md (run tools/print-cases.ts after editing the table)', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/cases.md'), 'utf8');
    expect(doc).toBe(replaceGenerated(doc, renderCaseProcedure()));
  });

  it('reaches every stage from filing, and every stage but archived can be left', () => {
    const reachable = new Set<string>(['investigating']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of CASE_MACHINE) {
        if (reachable.has(t.from) && !reachable.has(t.to)) {
          reachable.add(t.to);
          grew = true;
        }
      }
    }
    expect([...reachable].sort()).toEqual([...CASE_STATES].sort());
    for (const s of CASE_STATES.filter((x) => x !== 'archived')) expect(CASE_MACHINE.some((t) => t.from === s && t.to !== s)).toBe(true);
  });
});
