import { CampaignPhaseView, CampaignStage, FieldError, PHASE_KINDS, PHASE_NAMES, PhaseKind, ruleError, RuleParams } from '@lianban/contracts';
import { addDays, HolidayCalendar, isCivilDate } from '@lianban/clocks';

/** What a campaign's dates are checked on. Dates are Asia/Shanghai calendar days, YYYY-MM-DD. */
export interface CampaignDates {
  startsOn: string;
  endsOn: string;
  auditPeriodFrom: string;
  auditPeriodTo: string;
  phases: { kind: PhaseKind; name?: string; startsOn: string; endsOn: string }[];
}

const order = (k: PhaseKind) => PHASE_KINDS.indexOf(k);

/**
 * The rules of a campaign's calendar, every broken one reported by field:
 * real dates; the campaign and each phase end on or after they start; the audited period ends
 * on or before the campaign does; phases lie inside the campaign, are listed in date order and
 * do not overlap; their kinds follow 动员部署 → 自查自纠 → 督导检查 → 抽查复查 → 巩固提升 → 总结
 * (a kind may repeat, never come back after a later one); exactly one self-inspection phase,
 * since ledgers are filed in it.
 */
export function validateCampaignDates(c: CampaignDates): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, code: string, message: string, params?: RuleParams) => errors.push(ruleError(field, code, message, params));
  for (const f of ['startsOn', 'endsOn', 'auditPeriodFrom', 'auditPeriodTo'] as const) {
    if (!isCivilDate(c[f])) fail(f, 'notCalendarDate', `${f} is not a real calendar date`);
  }
  c.phases.forEach((p, i) => {
    if (!isCivilDate(p.startsOn)) fail(`phases.${i}.startsOn`, 'notCalendarDate', 'not a real calendar date');
    if (!isCivilDate(p.endsOn)) fail(`phases.${i}.endsOn`, 'notCalendarDate', 'not a real calendar date');
  });
  if (errors.length) return errors;

  if (c.endsOn < c.startsOn) fail('endsOn', 'endsBeforeStart', 'the campaign ends before it starts', { startsOn: c.startsOn });
  if (c.auditPeriodTo < c.auditPeriodFrom) fail('auditPeriodTo', 'endsBeforeStart', 'the audited period ends before it starts', { startsOn: c.auditPeriodFrom });
  if (c.auditPeriodTo > c.endsOn) fail('auditPeriodTo', 'auditEndsAfterCampaign', 'the audited period cannot end after the campaign', { campaignEndsOn: c.endsOn });
  c.phases.forEach((p, i) => {
    const at = `phases.${i}`;
    if (p.endsOn < p.startsOn) fail(`${at}.endsOn`, 'endsBeforeStart', `the ${PHASE_NAMES[p.kind]} phase ends before it starts`, { startsOn: p.startsOn });
    if (p.startsOn < c.startsOn || p.endsOn > c.endsOn) fail(at, 'phaseOutsideCampaign', `the ${PHASE_NAMES[p.kind]} phase (${p.startsOn}–${p.endsOn}) lies outside the campaign (${c.startsOn}–${c.endsOn})`, { campaignStartsOn: c.startsOn, campaignEndsOn: c.endsOn });
    if (i > 0) {
      const prev = c.phases[i - 1];
      if (p.startsOn <= prev.endsOn) fail(`${at}.startsOn`, 'phasesOverlap', `the ${PHASE_NAMES[p.kind]} phase starts on ${p.startsOn}, before the previous phase ends (${prev.endsOn}): phases are listed in order and may not overlap`, { previousEndsOn: prev.endsOn });
      if (order(p.kind) < order(prev.kind)) fail(`${at}.kind`, 'phaseOutOfOrder', `${PHASE_NAMES[p.kind]} cannot come after ${PHASE_NAMES[prev.kind]}`, { kind: p.kind, previousKind: prev.kind });
    }
  });
  const selfInspection = c.phases.filter((p) => p.kind === 'self_inspection').length;
  if (selfInspection !== 1) fail('phases', 'oneSelfInspectionPhase', `a campaign has exactly one self-inspection (自查自纠) phase, not ${selfInspection}`, { count: selfInspection });
  return errors;
}

/** Where a campaign stands on `today` (a Shanghai calendar day), and the phase it is in. */
export function stageOn(today: string, c: { startsOn: string; endsOn: string; phases: CampaignPhaseView[] }): { stage: CampaignStage; currentPhase: CampaignPhaseView | null } {
  if (today < c.startsOn) return { stage: 'not_started', currentPhase: null };
  if (today > c.endsOn) return { stage: 'ended', currentPhase: null };
  const phase = c.phases.find((p) => p.startsOn <= today && today <= p.endsOn) ?? null;
  return { stage: phase ? 'in_phase' : 'between_phases', currentPhase: phase };
}

/** Ledgers are created and first submitted only while the self-inspection phase runs. */
export function filingOpen(today: string, phases: CampaignPhaseView[]): boolean {
  return phases.some((p) => p.kind === 'self_inspection' && p.startsOn <= today && today <= p.endsOn);
}

/**
 * The day the institutions that have not submitted their ledger are reminded that the
 * self-inspection phase closes: its `workingDays`-th working day counted back from its last day
 * (that day counts when it is a working day), on the holiday calendar; never before the phase starts.
 */
export function closingReminderOn(phase: { startsOn: string; endsOn: string }, workingDays: number, calendar: HolidayCalendar): string {
  let day = phase.endsOn;
  let counted = calendar.isWorkingDay(day) ? 1 : 0;
  while (counted < workingDays && day > phase.startsOn) {
    day = addDays(day, -1);
    if (calendar.isWorkingDay(day)) counted++;
  }
  return day;
}
