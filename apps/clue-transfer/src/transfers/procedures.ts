import { TRANSFER_ROUTES } from '@lianban/contracts';
import { ALL_CLOCK_RULES } from '../clocks/clock-rules';
import { TRANSFER_MACHINES } from './transfer-machine';

/** The procedure tables as data: what docs/procedures.md prints and the console shows. */
export function procedureTable() {
  return {
    routes: TRANSFER_ROUTES.map((route) => ({
      route,
      steps: TRANSFER_MACHINES[route].map((t) => ({
        from: t.from,
        action: t.action,
        to: t.to,
        by: t.by,
        roles: t.roles ?? null,
        starts: t.starts ?? null,
        stops: t.stops ?? [],
        needsNote: !!t.needsNote,
        needsDocument: !!t.needsDocument,
        whenLate: t.whenLate ?? null,
        label: t.label,
      })),
    })),
    clocks: Object.values(ALL_CLOCK_RULES),
  };
}

const UNIT: Record<string, string> = { hours: 'hours', calendar_days: 'days', working_days: 'working days' };

/** Renders docs/procedures.md from the tables (tools/print-procedures.ts writes it; a test keeps it current). */
export function renderProcedures(): string {
  const { routes, clocks } = procedureTable();
  const lines = [
    '# Procedures',
    '',
    'Generated from `apps/clue-transfer/src/transfers/transfer-machine.ts` and `clocks/clock-rules.ts` by',
    '`node -r @swc-node/register tools/print-procedures.ts`; a test fails when this file is out of date.',
    '',
    '## Statutory clocks',
    '',
    '| step | limit | whose duty | escalates to when overdue | source |',
    '|---|---|---|---|---|',
    ...clocks.map((c) => `| ${c.label} (\`${c.step}\`) | ${c.limit.amount === 0 ? 'set by the assignment' : `${c.limit.amount} ${UNIT[c.limit.unit]}`} | ${c.duty} | ${c.escalateTo.join(', ')} | ${c.source} |`),
    '',
    'Calendar days: the day the clock starts is not counted; a period ending on a public holiday ends on',
    'the next working day. Working days follow the Chinese public-holiday calendar with its make-up',
    'working days (see `libs/clocks`). A clock warns (`clock.due_soon`) when the last fifth of its time',
    'begins, at most 24 hours before the deadline, and escalates (`clock.overdue`) once, when it runs out.',
    '',
  ];
  for (const r of routes) {
    lines.push(`## Route \`${r.route}\``, '', '| from | action | to | who | starts clock | stops clocks | step |', '|---|---|---|---|---|---|---|');
    for (const s of r.steps) {
      lines.push(`| ${s.from} | \`${s.action}\` | ${s.to} | ${s.by}${s.roles ? ` (${s.roles.join(', ')})` : ''} | ${s.starts ?? ''} | ${s.stops.join(', ')} | ${s.label}${s.whenLate ? ` (only once \`${s.whenLate}\` has run out)` : ''} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
