import { AgencyKind } from '@lianban/contracts';
import { CLOCK_RULES, ClockRule } from '../transfers/transfer-machine';

/** Clocks of a clue (国家医保局令第4号, 第5号). */
export const CLUE_CLOCK_RULES = {
  clue_filing_decision: {
    step: 'clue_filing_decision',
    label: '线索立案决定 / decide whether to open a case',
    limit: { amount: 15, unit: 'working_days' },
    duty: 'sender',
    escalateTo: [AgencyKind.LEADING_GROUP_OFFICE],
    source: '国家医保局令第4号: 15 working days from finding the lead',
  },
  report_back: {
    step: 'report_back',
    label: '交办线索核查结果上报 / report the verification back to the assigning level',
    limit: { amount: 0, unit: 'hours' },
    duty: 'sender',
    escalateTo: [AgencyKind.LEADING_GROUP_OFFICE],
    source: 'the assignment: its own deadline',
  },
  reporter_notice: {
    step: 'reporter_notice',
    label: '告知实名举报人 / tell the real-name reporter',
    limit: { amount: 5, unit: 'working_days' },
    duty: 'sender',
    escalateTo: [AgencyKind.LEADING_GROUP_OFFICE],
    source: '国家医保局令第5号: 5 working days after the filing decision',
  },
} satisfies Record<string, ClockRule>;

export const ALL_CLOCK_RULES: Record<string, ClockRule> = { ...CLOCK_RULES, ...CLUE_CLOCK_RULES };
export type AnyClockStep = keyof typeof CLOCK_RULES | keyof typeof CLUE_CLOCK_RULES;
