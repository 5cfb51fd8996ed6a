import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts personal data at rest with AES-256-GCM (authenticated: a tampered value fails to
 * decrypt instead of yielding garbage). Stored as version byte | 12-byte IV | 16-byte tag | data.
 * The associated data binds a value to its record, so it cannot be copied onto another row.
 */
export class PiiCipher {
  private static readonly VERSION = 1;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The personal-data key must be 32 bytes');
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
