import { CampaignPhaseView } from '@lianban/contracts';
import { HolidayCalendar } from '@lianban/clocks';
import { CampaignDates, closingReminderOn, filingOpen, stageOn, validateCampaignDates } from './phases';

/** Seed 002 (Zhangye 2023): 动员部署 by 6/30, 自查自纠 7/1–7/31, 督导检查 8/1–10/31, 成果巩固 11/1–12/31. */
const zhangye: CampaignDates = {
  startsOn: '2023-06-01',
  endsOn: '2023-12-31',
  auditPeriodFrom: '2022-01-01',
  auditPeriodTo: '2023-05-31',
  phases: [
    { kind: 'mobilisation', startsOn: '2023-06-01', endsOn: '2023-06-30' },
    { kind: 'self_inspection', startsOn: '2023-07-01', endsOn: '2023-07-31' },
    { kind: 'inspection', startsOn: '2023-08-01', endsOn: '2023-10-31' },
    { kind: 'consolidation', startsOn: '2023-11-01', endsOn: '2023-12-31' },
  ],
};

const withPhases = (phases: CampaignDates['phases'], more: Partial<CampaignDates> = {}): CampaignDates => ({ ...zhangye, ...more, phases });
const [mob, self, insp, cons] = zhangye.phases;

describe('validateCampaignDates', () => {
  it('accepts the Zhangye calendar of seed 002', () => {
    expect(validateCampaignDates(zhangye)).toEqual([]);
  });

  it('accepts the Heshan calendar of seed 003: no mobilisation, the spot check in three consecutive parts', () => {
    const heshan = withPhases(
      [
        { kind: 'self_inspection', startsOn: '2020-05-27', endsOn: '2020-06-25' },
        { kind: 'spot_check', name: '分级复查', startsOn: '2020-07-01', endsOn: '2020-08-31' },
        { kind: 'spot_check', name: '江门市级抽查', startsOn: '2020-09-01', endsOn: '2020-09-30' },
        { kind: 'spot_check', name: '省级复查', startsOn: '2020-10-01', endsOn: '2020-11-30' },
      ],
      { startsOn: '2020-05-27', endsOn: '2020-11-30', auditPeriodFrom: '2018-01-01', auditPeriodTo: '2020-05-31' },
    );
    expect(validateCampaignDates(heshan)).toEqual([]);
  });

  it.each<[string, CampaignDates, string, RegExp, string]>([
    ['a phase that ends before it starts', withPhases([mob, { ...self, endsOn: '2023-06-30' }, insp, cons]), 'phases.1.endsOn', /ends before it starts/, 'endsBeforeStart'],
    ['a phase before the campaign starts', withPhases([{ ...mob, startsOn: '2023-05-20' }, self, insp, cons]), 'phases.0', /outside the campaign/, 'phaseOutsideCampaign'],
    ['a phase after the campaign ends', withPhases([mob, self, insp, { ...cons, endsOn: '2024-01-10' }]), 'phases.3', /outside the campaign/, 'phaseOutsideCampaign'],
    ['overlapping phases', withPhases([mob, self, { ...insp, startsOn: '2023-07-31' }, cons]), 'phases.2.startsOn', /may not overlap/, 'phasesOverlap'],
    ['phases listed out of date order', withPhases([mob, insp, self, cons]), 'phases.2.startsOn', /may not overlap/, 'phasesOverlap'],
    ['a kind that comes back after a later one', withPhases([mob, self, { ...insp, kind: 'consolidation' }, { ...cons, kind: 'inspection' }]), 'phases.3.kind', /cannot come after/, 'phaseOutOfOrder'],
    ['no self-inspection phase', withPhases([mob, insp, cons]), 'phases', /exactly one self-inspection/, 'oneSelfInspectionPhase'],
    ['two self-inspection phases', withPhases([mob, self, { ...insp, kind: 'self_inspection' }, cons]), 'phases', /exactly one self-inspection/, 'oneSelfInspectionPhase'],
    ['a campaign that ends before it starts', { ...zhangye, endsOn: '2023-05-01' }, 'endsOn', /ends before it starts/, 'endsBeforeStart'],
    ['an audited period that ends before it starts', { ...zhangye, auditPeriodTo: '2021-12-31' }, 'auditPeriodTo', /ends before it starts/, 'endsBeforeStart'],
    ['an audited period beyond the campaign', { ...zhangye, auditPeriodTo: '2024-01-31' }, 'auditPeriodTo', /after the campaign/, 'auditEndsAfterCampaign'],
    ['a date that does not exist', withPhases([mob, { ...self, endsOn: '2023-02-29' }, insp, cons]), 'phases.1.endsOn', /real calendar date/, 'notCalendarDate'],
    ['a date in year 0000, which the calendar has not', { ...zhangye, auditPeriodFrom: '0000-01-01' }, 'auditPeriodFrom', /real calendar date/, 'notCalendarDate'],
  ])('refuses %s, naming the rule', (_name, dates, field, message, code) => {
    const errors = validateCampaignDates(dates);
    const hit = errors.find((e) => e.field === field);
    expect(hit).toBeDefined();
    expect(hit!.messages.join(' ')).toMatch(message);
    expect(hit!.codes).toEqual([code]);
  });

  it('gives the dates a refusal names as params', () => {
    expect(validateCampaignDates(withPhases([mob, { ...self, kind: 'self_inspection' }, { ...insp, kind: 'self_inspection' }, cons])).find((e) => e.field === 'phases')).toEqual({
      field: 'phases',
      messages: [expect.stringMatching(/not 2$/)],
      codes: ['oneSelfInspectionPhase'],
      params: { oneSelfInspectionPhase: { count: 2 } },
    });
    expect(validateCampaignDates(withPhases([{ ...mob, startsOn: '2023-05-20' }, self, insp, cons])).find((e) => e.field === 'phases.0')?.params).toEqual({
      phaseOutsideCampaign: { campaignStartsOn: zhangye.startsOn, campaignEndsOn: zhangye.endsOn },
    });
  });
});

describe('the stage and phase of a campaign on a day (Asia/Shanghai dates)', () => {
  const phases = zhangye.phases.map((p) => ({ ...p, name: p.kind })) as CampaignPhaseView[];
  const c = { startsOn: zhangye.startsOn, endsOn: zhangye.endsOn, phases };
  it.each<[string, string, string | null, boolean]>([
    ['2023-05-31', 'not_started', null, false],
    ['2023-06-01', 'in_phase', 'mobilisation', false],
    ['2023-07-01', 'in_phase', 'self_inspection', true],
    ['2023-07-31', 'in_phase', 'self_inspection', true],
    ['2023-08-01', 'in_phase', 'inspection', false],
    ['2023-12-31', 'in_phase', 'consolidation', false],
    ['2024-01-01', 'ended', null, false],
  ])('on %s the campaign is %s (%s), filing open: %s', (day, stage, kind, open) => {
    const s = stageOn(day, c);
    expect(s.stage).toBe(stage);
    expect(s.currentPhase?.kind ?? null).toBe(kind);
    expect(filingOpen(day, phases)).toBe(open);
  });

  it('is between phases on a day no phase covers', () => {
    const gap = { ...c, phases: phases.filter((p) => p.kind !== 'inspection') };
    expect(stageOn('2023-09-15', gap)).toEqual({ stage: 'between_phases', currentPhase: null });
  });
});

describe('closingReminderOn', () => {
  const calendar = new HolidayCalendar();

  it('counts working days back from the last day of self-inspection, that day included', () => {
    // Friday 2026-11-27: Friday, Thursday, Wednesday.
    expect(closingReminderOn({ startsOn: '2026-11-01', endsOn: '2026-11-27' }, 3, calendar)).toBe('2026-11-25');
    expect(closingReminderOn({ startsOn: '2026-11-01', endsOn: '2026-11-27' }, 1, calendar)).toBe('2026-11-27');
    // Sunday 2026-11-29: the weekend does not count.
    expect(closingReminderOn({ startsOn: '2026-11-01', endsOn: '2026-11-29' }, 3, calendar)).toBe('2026-11-25');
  });

  it('skips public holidays and counts make-up working days, from the State Council notice', () => {
    // 1–7 October 2026 are holidays: a phase ending on the 7th has its last working days on 30, 29 and 28 September.
    expect(closingReminderOn({ startsOn: '2026-09-01', endsOn: '2026-10-07' }, 3, calendar)).toBe('2026-09-28');
    // Thursday the 8th is a working day again.
    expect(closingReminderOn({ startsOn: '2026-09-01', endsOn: '2026-10-08' }, 3, calendar)).toBe('2026-09-29');
    // Sunday 2026-09-20 is a make-up working day.
    expect(closingReminderOn({ startsOn: '2026-09-01', endsOn: '2026-09-22' }, 3, calendar)).toBe('2026-09-20');
  });

  it('is never before the phase starts', () => {
    expect(closingReminderOn({ startsOn: '2026-11-26', endsOn: '2026-11-27' }, 3, calendar)).toBe('2026-11-26');
    expect(closingReminderOn({ startsOn: '2026-11-27', endsOn: '2026-11-27' }, 5, calendar)).toBe('2026-11-27');
  });
});
