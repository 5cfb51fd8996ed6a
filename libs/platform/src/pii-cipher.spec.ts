import { createHash, randomBytes } from 'node:crypto';
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

  it('indexes a value blindly: equal for the same value and field, different for another field, another key, or under the plain hash', () => {
    const id = '620702198805051111';
    expect(cipher.blindIndex(id, 'clue.subject')).toEqual(cipher.blindIndex(id, 'clue.subject'));
    expect(cipher.blindIndex(id, 'clue.subject')).not.toEqual(cipher.blindIndex('620702198805051112', 'clue.subject'));
    expect(cipher.blindIndex(id, 'clue.subject')).not.toEqual(cipher.blindIndex(id, 'case.party'));
    expect(new PiiCipher(randomBytes(32)).blindIndex(id, 'clue.subject')).not.toEqual(cipher.blindIndex(id, 'clue.subject'));
    expect(cipher.blindIndex(id, 'clue.subject')).not.toEqual(createHash('sm3').update(id).digest());
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new PiiCipher(randomBytes(16))).toThrow('32 bytes');
  });
});
