import { VerificationLimiter } from './rate-limit';

describe('verification rate limit per agency', () => {
  it('lets an agency use its allowance, refuses beyond it with the wait, and refills over time', () => {
    const limiter = new VerificationLimiter(600); // 10 a second
    const t0 = 1_000_000;
    limiter.take('police', 500, t0);
    limiter.take('police', 100, t0);
    expect(() => limiter.take('police', 1, t0)).toThrow(expect.objectContaining({ status: 429, code: 'TOO_MANY_REQUESTS', extensions: { retryAfterSeconds: 1 } }));
    // Another agency has its own allowance.
    limiter.take('health', 600, t0);
    // Ten seconds later a hundred more are allowed, not a hundred and one.
    limiter.take('police', 100, t0 + 10_000);
    expect(() => limiter.take('police', 1, t0 + 10_000)).toThrow();
  });

  it('refuses a batch larger than the whole allowance', () => {
    expect(() => new VerificationLimiter(100).take('x', 101)).toThrow(expect.objectContaining({ status: 429 }));
  });
});
