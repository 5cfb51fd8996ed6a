import { AgreementStatus, FRAUD_AGREEMENT_BLOCK_YEARS } from '@lianban/contracts';

/**
 * The service agreement (服务协议) of a designated institution, as a table: from → allowed next
 * statuses. A termination for fraud (因欺诈骗保解除) blocks a new agreement for three years.
 */
export const AGREEMENT_TRANSITIONS: Record<AgreementStatus, AgreementStatus[]> = {
  active: ['suspended', 'terminated', 'terminated_for_fraud'],
  suspended: ['active', 'terminated', 'terminated_for_fraud'],
  terminated: ['active'],
  terminated_for_fraud: ['active'],
};

/** First date a new agreement may take effect after a fraud termination on `since` (YYYY-MM-DD). */
export function newAgreementAllowedFrom(since: string): string {
  const [y, m, d] = since.split('-').map(Number);
  // 29 February + 3 years falls on 1 March.
  const date = new Date(Date.UTC(y + FRAUD_AGREEMENT_BLOCK_YEARS, m - 1, d));
  return date.toISOString().slice(0, 10);
}
