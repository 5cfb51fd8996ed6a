/**
 * The API's shapes, taken from libs/contracts as types only: nothing of the server's code (class
 * validators, swagger) reaches the bundle. eslint refuses a value import from @lianban/contracts here.
 */
export type {
  ActorKind,
  AgencyView,
  AuditEntryView,
  AuditTrailPage,
  ClockView,
  ClueAction,
  ClueSource,
  ClueStatus,
  ClueView,
  FieldError,
  NotificationView,
  OfficerNameView,
  OfficerView,
  Page,
  Principal,
  ProblemDetails,
  RuleParams,
  RegionView,
  SessionTokens,
  TransferAction,
  TransferRoute,
  TransferState,
  TransferStepView,
  TransferView,
  ImportResult,
  NewOfficerCredentialsView,
  TemporaryPasswordView,
  InvoiceImportSummary,
  InvoiceImportView,
  IssuerView,
  Verdict,
  VerificationRecord,
  VerificationResult,
} from '@lianban/contracts';
export type { AgencyKind } from '@lianban/contracts';

import type { TransferView } from '@lianban/contracts';
/** A transfer as lists show it: its next clock due instead of all the steps and clocks. */
export type TransferSummary = Omit<TransferView, 'steps' | 'clocks' | 'summary' | 'stepsVerified'> & { nextClock: { step: string; dueAt: string } | null };
export type { CaseAction, CaseMoney, CaseMoneyEntryView, MoneyKind, CaseState, CaseStepView, CaseSummaryView, CaseView, EvidenceView, PenaltyDto } from '@lianban/contracts';
export type { CampaignSummary, CampaignUnfiled, CampaignView, LedgerHistoryPage, LedgerListItem, LedgerProblemView, LedgerStepView, LedgerView, SummaryRow, UnfiledInstitution } from '@lianban/contracts';
export type { Statistics, SupervisionView } from '@lianban/contracts';
export type { AgreementStatus, InstitutionAccountView, InstitutionView, LeadingGroupView } from '@lianban/contracts';
