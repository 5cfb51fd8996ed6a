import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@lianban/contracts';

export const VERIFICATIONS_PER_MINUTE = Symbol('VERIFICATIONS_PER_MINUTE');

/**
 * How many invoices each agency may verify: a token bucket per agency that refills continuously
 * to its per-minute allowance. The bucket is a row of verification_allowance, so every instance of
 * the service draws on the same one; one statement counts the refill and takes from it, with the
 * row locked only for that statement.
 */
@Injectable()
export class VerificationLimiter {
  /** Agencies whose row is known to exist (it is created on first use, full). */
  private readonly known = new Set<string>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(VERIFICATIONS_PER_MINUTE) private readonly perMinute: number,
  ) {}

  /** Takes `count` from the agency's allowance, or refuses (429) with how long to wait, taking nothing. */
  async take(agencyId: string, count: number, now = Date.now()): Promise<void> {
    const at = new Date(now);
    if (!this.known.has(agencyId)) {
      await this.ds.query(`INSERT INTO verification_allowance (agency_id, tokens, at) VALUES ($1, $2, $3) ON CONFLICT (agency_id) DO NOTHING`, [agencyId, this.perMinute, at]);
      this.known.add(agencyId);
    }
    // What has refilled since it was last counted (never more than the allowance; an instance whose
    // clock is behind adds nothing), taken from only when it covers the whole request.
    const [row]: { available: number }[] = await this.ds.query(
      `WITH cur AS (
         SELECT least($2::float8, tokens + greatest(0, extract(epoch FROM $4::timestamptz - at)) / 60 * $2) AS available
           FROM verification_allowance WHERE agency_id = $1 FOR UPDATE),
       taken AS (
         UPDATE verification_allowance a SET tokens = cur.available - CASE WHEN cur.available >= $3 THEN $3 ELSE 0 END, at = greatest(a.at, $4::timestamptz)
           FROM cur WHERE a.agency_id = $1 RETURNING 1)
       SELECT cur.available FROM cur, taken`,
      [agencyId, this.perMinute, count, at],
    );
    if (!row) {
      // The row went (an operator reset the allowances): made again, full, on the next look.
      this.known.delete(agencyId);
      return this.take(agencyId, count, now);
    }
    const { available } = row;
    if (count > available) {
      const waitSeconds = Math.ceil(((count - available) / this.perMinute) * 60);
      throw new DomainError(429, ErrorCode.TOO_MANY_REQUESTS, `Your agency may verify ${this.perMinute} invoices a minute; try again in ${waitSeconds} s.`, { retryAfterSeconds: waitSeconds });
    }
  }

  /** Returns what was taken for verifications that were refused before any was made. */
  async giveBack(agencyId: string, count: number): Promise<void> {
    await this.ds.query(`UPDATE verification_allowance SET tokens = least($2::float8, tokens + $3) WHERE agency_id = $1`, [agencyId, this.perMinute, count]);
  }
}
