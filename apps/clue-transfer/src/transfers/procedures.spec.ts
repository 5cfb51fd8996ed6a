import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRANSFER_ROUTES } from '@lianban/contracts';
import { renderProcedures } from './procedures';
import { CLOCK_RULES, isFinal, TRANSFER_MACHINES, transitionsFrom } from './transfer-machine';

describe('the procedure tables', () => {
  it('are printed, unchanged, in docs/procedures.md (run tools/print-procedures.ts after editing them)', () => {
    expect(readFileSync(join(__dirname, '../../../../docs/procedures.md'), 'utf8')).toBe(renderProcedures());
  });

  it.each(TRANSFER_ROUTES)('route %s: every state but the final ones can be left, and every step is reachable from a draft', (route) => {
    const reachable = new Set(['drafted']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of TRANSFER_MACHINES[route]) {
        if (reachable.has(t.from) && !reachable.has(t.to)) {
          reachable.add(t.to);
          grew = true;
        }
      }
    }
    for (const t of TRANSFER_MACHINES[route]) expect(reachable.has(t.from)).toBe(true);
    expect([...reachable].filter((s) => isFinal(route, s as never)).length).toBeGreaterThan(0);
  });

  it('lets no step stop a clock that nothing starts', () => {
    for (const route of TRANSFER_ROUTES) {
      const started = new Set(TRANSFER_MACHINES[route].flatMap((t) => (t.starts ? [t.starts] : [])));
      for (const t of TRANSFER_MACHINES[route]) for (const s of t.stops ?? []) expect({ route, step: t.action, stops: s, started: started.has(s) }).toMatchObject({ started: true });
    }
  });

  it('has one step per state and action, so a request is never ambiguous', () => {
    for (const route of TRANSFER_ROUTES) {
      const keys = TRANSFER_MACHINES[route].map((t) => `${t.from}/${t.action}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('escalates every missed police deadline to the procuratorate', () => {
    const policeDuties = Object.values(CLOCK_RULES).filter((r) => r.duty === 'receiver' && ['filing_decision', 'reconsideration_answer', 'explanation', 'ordered_filing'].includes(r.step));
    expect(policeDuties).toHaveLength(4);
    for (const r of policeDuties) expect(r.escalateTo).toContain('PROCURATORATE');
    expect(transitionsFrom('mi_to_police', 'received').map((t) => t.action).sort()).toEqual(['decline', 'file', 'forward']);
  });
});
