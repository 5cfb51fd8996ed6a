import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts personal data at rest with AES-256-GCM (authenticated: a tampered value fails to
 * decrypt instead of yielding garbage). Stored as version byte | 12-byte IV | 16-byte tag | data.
 * The associated data binds a value to its record, so it cannot be copied onto another row.
 */
export class PiiCipher {
  private static readonly VERSION = 1;
  /** The key of blind indexes, derived from the personal-data key: never the encryption key itself. */
  private readonly indexKey: Buffer;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The personal-data key must be 32 bytes');
    this.indexKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'lianban blind index v1', 32));
  }

  /**
   * A blind index of a value (HMAC-SM3 under a key derived from the personal-data key): equal
   * values give equal indexes, so records can be matched on it, while the database alone reveals
   * nothing (an ID number's few possible values could be tried against a plain hash, not against a
   * keyed one). `purpose` separates indexes of different fields.
   */
  blindIndex(value: string, purpose: string): Buffer {
    return createHmac('sm3', this.indexKey).update(`${purpose}\u0000${value}`, 'utf8').digest();
  }

  encrypt(plain: string, associatedData: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([PiiCipher.VERSION]), iv, cipher.getAuthTag(), data]);
  }

  decrypt(sealed: Buffer, associatedData: string): string {
    if (sealed[0] !== PiiCipher.VERSION) throw new Error('Unknown personal-data encryption version');
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
  }
}
