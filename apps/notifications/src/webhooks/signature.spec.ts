import { sign, verifySignature } from './signature';

describe('webhook signatures', () => {
  const body = '{"id":1,"kind":"transfer.sent"}';
  it('verifies with the subscriber’s secret', () => {
    expect(verifySignature('s3cret', body, sign('s3cret', body))).toBe(true);
  });
  it('refuses another secret, a changed body and an old timestamp', () => {
    const header = sign('s3cret', body, 1_000_000);
    expect(verifySignature('other', body, sign('s3cret', body))).toBe(false);
    expect(verifySignature('s3cret', `${body} `, sign('s3cret', body))).toBe(false);
    expect(verifySignature('s3cret', body, header, 300, 1_000_000 + 301)).toBe(false);
    expect(verifySignature('s3cret', body, header, 300, 1_000_000 + 299)).toBe(true);
  });
  it('refuses a malformed header', () => {
    expect(verifySignature('s3cret', body, 'v1=abc')).toBe(false);
  });
});
