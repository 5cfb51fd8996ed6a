import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createServiceApp } from '@lianban/platform';
import { TestIsolation } from '@lianban/testing';
import { AppModule } from '../app.module';
import { VerificationLimiter } from './rate-limit';

/** The per-agency allowance against real PostgreSQL, drawn on by two instances of the service at once. */
describe('verification rate limit per agency', () => {
  const iso = new TestIsolation();
  let app: INestApplication;
  let ds: DataSource;

  beforeAll(async () => {
    app = await createServiceApp(AppModule.forRoot(iso.config('invoices')));
    await app.init();
    ds = app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await app?.close();
    await iso.cleanup();
  });

  const t0 = Date.parse('2026-11-24T02:00:00Z');
  const refusal = (retryAfterSeconds: number) => expect.objectContaining({ status: 429, code: 'TOO_MANY_REQUESTS', extensions: { retryAfterSeconds } });

  it('lets an agency use its allowance on any instance, refuses beyond it with the wait, and refills over time', async () => {
    // Two instances of the service, 10 a second each way: one allowance between them.
    const [a, b] = [new VerificationLimiter(ds, 600), new VerificationLimiter(ds, 600)];
    const police = randomUUID();
    await a.take(police, 500, t0);
    await b.take(police, 100, t0);
    await expect(a.take(police, 1, t0)).rejects.toEqual(refusal(1));
    await expect(b.take(police, 50, t0)).rejects.toEqual(refusal(5));
    // Another agency has its own allowance.
    await b.take(randomUUID(), 600, t0);
    // Ten seconds later a hundred more are allowed, not a hundred and one; a refusal took nothing.
    await expect(a.take(police, 101, t0 + 10_000)).rejects.toEqual(refusal(1));
    await b.take(police, 100, t0 + 10_000);
    await expect(a.take(police, 1, t0 + 10_000)).rejects.toEqual(refusal(1));
    // An instance whose clock is behind adds nothing, and takes nothing beyond what is left.
    await expect(b.take(police, 1, t0 + 5_000)).rejects.toEqual(refusal(1));
  });

  it('grants no more than the allowance to requests racing from two instances', async () => {
    const [a, b] = [new VerificationLimiter(ds, 600), new VerificationLimiter(ds, 600)];
    const agency = randomUUID();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).take(agency, 50, t0)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(12);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.status)).toEqual(Array(8).fill(429));
  });

  it('refuses a batch larger than the whole allowance, and gives back what verifications refused before any was made took', async () => {
    const limiter = new VerificationLimiter(ds, 100);
    const agency = randomUUID();
    await expect(limiter.take(agency, 101, t0)).rejects.toEqual(expect.objectContaining({ status: 429 }));
    await limiter.take(agency, 100, t0);
    await limiter.giveBack(agency, 40);
    await limiter.take(agency, 40, t0);
    await expect(limiter.take(agency, 1, t0)).rejects.toEqual(expect.objectContaining({ status: 429 }));
    // Allowances reset by an operator (the rows deleted) start full again.
    await ds.query(`DELETE FROM verification_allowance WHERE agency_id = $1`, [agency]);
    await limiter.take(agency, 100, t0);
  });
});
