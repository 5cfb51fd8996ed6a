import { CASE_CLOCK_RULES, CASE_MACHINE, CONCLUSION_DAYS, FINE_MULTIPLES, HEAD_EXTENSION_DAYS, MAX_COLLECTIVE_EXTENSION_DAYS, OPEN_STATES, POLICE_TRANSFER_STATES_ALLOWING_FINE } from './case-machine';

/** The case procedure as data: what docs/cases.md prints and the console shows. */
export function caseProcedureTable() {
  return {
    steps: CASE_MACHINE.map((t) => ({
      from: t.from,
      action: t.action,
      to: t.to,
      by: t.by,
      when: t.when ?? null,
      starts: t.starts ?? null,
      stops: t.stops ?? [],
      pauses: !!t.pauses,
      resumes: !!t.resumes,
      needs: [t.needsDocument && 'documentNumber', t.needsNote && 'note', t.needsPenalty && 'penalty'].filter(Boolean),
      label: t.label,
    })),
    clocks: Object.values(CASE_CLOCK_RULES),
    conclusion: { days: CONCLUSION_DAYS, headExtensionDays: HEAD_EXTENSION_DAYS, maxCollectiveExtensionDays: MAX_COLLECTIVE_EXTENSION_DAYS },
    fineMultiples: FINE_MULTIPLES,
  };
}

const UNIT: Record<string, string> = { hours: 'hours', calendar_days: 'days', working_days: 'working days' };
const WHO: Record<string, string> = { case_officer: 'a case officer', head: 'the head', legal_reviewer: 'a legal reviewer, not a case officer' };

/** Renders the procedure section of docs/cases.md (tools/print-cases.ts writes it; a test keeps it current). */
export function renderCaseProcedure(): string {
  const { steps, clocks } = caseProcedureTable();
  const stages = steps.filter((s) => s.from !== s.to);
  const sideSteps = steps.filter((s) => s.from === s.to && s.from === OPEN_STATES[0]);
  const when = (w: Record<string, unknown> | null) =>
    w ? Object.entries(w).map(([k, v]) => (k === 'major' ? (v ? 'major case' : 'not a major case') : k === 'extension' ? `extension so far: ${v}` : v ? 'a pause is running' : 'no pause running')).join('; ') : '';
  const clock = (s: (typeof steps)[number]) => [s.starts && `starts ${s.starts}`, s.stops.length && `stops ${s.stops.join(', ')}`, s.pauses && 'pauses conclusion', s.resumes && 'resumes conclusion'].filter(Boolean).join('; ');
  return [
    '<!-- generated: node -r @swc-node/register tools/print-cases.ts — do not edit by hand -->',
    '',
    '### Stages',
    '',
    'The case is filed (`POST /api/v1/cases`, stage `investigating`, starts `conclusion`); then:',
    '',
    '| from | action | to | who | when | clocks | needs | step |',
    '|---|---|---|---|---|---|---|---|',
    ...stages.map((s) => `| ${s.from} | \`${s.action}\` | ${s.to} | ${WHO[s.by]} | ${when(s.when)} | ${clock(s)} | ${s.needs.join(', ')} | ${s.label} |`),
    '',
    `### In every open stage (${OPEN_STATES.join(', ')})`,
    '',
    '| action | who | when | clocks | needs | step |',
    '|---|---|---|---|---|---|',
    ...sideSteps.map((s) => `| \`${s.action}\` | ${WHO[s.by]} | ${when(s.when)} | ${clock(s)} | ${s.needs.join(', ')} | ${s.label} |`),
    '',
    '`pause_clock` and `resume_clock` are not offered in `hearing`: the hearing is itself a paused period.',
    '',
    '### Clocks',
    '',
    '| clock | limit | escalates to when overdue | source |',
    '|---|---|---|---|',
    ...clocks.map((c) => `| ${c.label} (\`${c.step}\`) | ${c.limit.amount === 0 ? 'set by the order' : `${c.limit.amount} ${UNIT[c.limit.unit]}`} | ${c.escalateTo.join(', ')} | ${c.source} |`),
    '',
    `A fine is never imposed while a transfer of the case to police is in any state other than ${POLICE_TRANSFER_STATES_ALLOWING_FINE.map((s) => `\`${s}\``).join(' or ')} (不得以罚代刑).`,
    '',
  ].join('\n');
}

export const GENERATED_BEGIN = '<!-- BEGIN GENERATED PROCEDURE -->';
export const GENERATED_END = '<!-- END GENERATED PROCEDURE -->';

/** The document with its generated section replaced. */
export function replaceGenerated(doc: string, generated: string): string {
  const begin = doc.indexOf(GENERATED_BEGIN);
  const end = doc.indexOf(GENERATED_END);
  if (begin < 0 || end < begin) throw new Error(`docs/cases.md lacks the ${GENERATED_BEGIN} … ${GENERATED_END} markers`);
  return `${doc.slice(0, begin + GENERATED_BEGIN.length)}\n${generated}${doc.slice(end)}`;
}
