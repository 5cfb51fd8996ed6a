import { Cases1764000000000 } from './1764000000000-cases';
import { Evidence1764000100000 } from './1764000100000-evidence';
import { Supervision1764000200000 } from './1764000200000-supervision';
import { CaseStepDigest1764000300000 } from './1764000300000-case-step-digest';
import { CampaignsLedgers1764050000000 } from './1764050000000-campaigns-ledgers';
import { CaseMoneyDocument1764060000000 } from './1764060000000-case-money-document';
import { CampaignReminder1764070000000 } from './1764070000000-campaign-reminder';
import { ClockDueGiven1764120000000 } from './1764120000000-clock-due-given';
import { EvidenceReceiptOf1764130000000 } from './1764130000000-evidence-receipt-of';
import { ClockAlsoTell1764140000000 } from './1764140000000-clock-also-tell';

/** This service's migrations, oldest first. The outbox tables come from @lianban/persistence. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [Cases1764000000000, Evidence1764000100000, Supervision1764000200000, CaseStepDigest1764000300000, CampaignsLedgers1764050000000, CaseMoneyDocument1764060000000, CampaignReminder1764070000000, ClockDueGiven1764120000000, EvidenceReceiptOf1764130000000, ClockAlsoTell1764140000000];
