import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@lianban/contracts';

export const VERIFICATIONS_PER_MINUTE = Symbol('VERIFICATIONS_PER_MINUTE');

/**
 * How many invoices each agency may verify: a token bucket per agency that refills continuously
 * to its per-minute allowance. Kept in the process: with several instances each enforces its share.
 */
@Injectable()
export class VerificationLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(@Inject(VERIFICATIONS_PER_MINUTE) private readonly perMinute: number) {}

  take(agencyId: string, count: number, now = Date.now()): void {
    const b = this.buckets.get(agencyId) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + ((now - b.at) / 60_000) * this.perMinute);
    b.at = now;
    if (count > b.tokens) {
      this.buckets.set(agencyId, b);
      const waitSeconds = Math.ceil(((count - b.tokens) / this.perMinute) * 60);
      throw new DomainError(429, ErrorCode.TOO_MANY_REQUESTS, `Your agency may verify ${this.perMinute} invoices a minute; try again in ${waitSeconds} s.`, { retryAfterSeconds: waitSeconds });
    }
    b.tokens -= count;
    this.buckets.set(agencyId, b);
  }

  /** Returns what was taken for verifications that were refused before any was made. */
  giveBack(agencyId: string, count: number): void {
    const b = this.buckets.get(agencyId);
    if (b) b.tokens = Math.min(this.perMinute, b.tokens + count);
  }
}
