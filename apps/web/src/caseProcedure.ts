import { api } from './api/client';
import type { CaseStepRule } from './forms/CaseStepForm';

/** The stages of a case in the order of the procedure (CASE_STATES in libs/contracts). */
export const CASE_STAGES = ['investigating', 'notified', 'hearing', 'legal_review', 'reviewed', 'collective_discussion', 'decided', 'served', 'enforced', 'closed', 'archived'];

interface CaseProcedureTable {
  steps: { from: string; action: string; to: string; needs: string[]; label: string }[];
}

let table: Promise<CaseProcedureTable> | null = null;

/** The case procedure (GET /cases/procedure), loaded once. */
function caseProcedure(): Promise<CaseProcedureTable> {
  table ??= api.get<CaseProcedureTable>('/cases/procedure').catch((e) => {
    table = null;
    throw e;
  });
  return table;
}

/** What the form of an action in a stage asks for. */
export async function caseStepRule(from: string, action: string): Promise<CaseStepRule> {
  const p = await caseProcedure();
  const step = p.steps.find((s) => s.from === from && s.action === action);
  return { action, label: step?.label ?? action, needs: step?.needs ?? [] };
}
