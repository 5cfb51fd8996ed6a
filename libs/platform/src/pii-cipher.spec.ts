import { randomBytes } from 'node:crypto';
import { PiiCipher } from './pii-cipher';

describe('personal data at rest', () => {
  const cipher = new PiiCipher(randomBytes(32));

  it('round-trips a reporter’s identity and never stores it in the clear', () => {
    const sealed = cipher.encrypt('{"name":"王某","phone":"13800000000"}', 'clue:1');
    expect(sealed.toString('utf8')).not.toContain('13800000000');
    expect(cipher.decrypt(sealed, 'clue:1')).toBe('{"name":"王某","phone":"13800000000"}');
  });

  it('refuses a value moved to another record', () => {
    const sealed = cipher.encrypt('secret', 'clue:1');
    expect(() => cipher.decrypt(sealed, 'clue:2')).toThrow();
  });

  it('refuses a tampered value', () => {
    const sealed = cipher.encrypt('secret', 'clue:1');
    sealed[sealed.length - 1] ^= 1;
    expect(() => cipher.decrypt(sealed, 'clue:1')).toThrow();
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new PiiCipher(randomBytes(16))).toThrow('32 bytes');
  });
});
