import { api } from './api/client';
import type { StepRule } from './forms/StepForm';

interface ProcedureTable {
  routes: { route: string; steps: (StepRule & { from: string; by: string; roles: string[] | null })[] }[];
  clocks: { step: string; label: string; duty: string }[];
}

let table: Promise<ProcedureTable> | null = null;

/** The statutory procedure of every route (GET /transfers/procedures), loaded once. */
export function procedures(): Promise<ProcedureTable> {
  table ??= api.get<ProcedureTable>('/transfers/procedures').catch((e) => {
    table = null;
    throw e;
  });
  return table;
}

/** What the form of an action on a route in a state asks for. */
export async function stepRule(route: string, from: string, action: string): Promise<StepRule> {
  const p = await procedures();
  const step = p.routes.find((r) => r.route === route)?.steps.find((s) => s.from === from && s.action === action);
  return { action, label: step?.label ?? action, needsNote: step?.needsNote ?? false, needsDocument: step?.needsDocument ?? false };
}
