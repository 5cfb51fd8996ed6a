import { randomInt } from 'node:crypto';
import * as argon2 from 'argon2';
import { EntityManager } from 'typeorm';

/** How long a temporary password works: long enough to reach its holder over a weekend. */
export const TEMPORARY_PASSWORD_HOURS = 72;

/** Letters and digits that cannot be mistaken for one another when read out or copied by hand. */
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '23456789';

/**
 * A temporary password: three groups of four characters (about 70 bits), with upper- and
 * lower-case letters and digits, so that it meets the rules of a chosen one.
 */
export function temporaryPassword(): string {
  const alphabet = UPPER + LOWER + DIGITS;
  for (;;) {
    const text = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
    if ([UPPER, LOWER, DIGITS].every((set) => [...text].some((ch) => set.includes(ch)))) return text.match(/.{4}/g)!.join('-');
  }
}

export interface TemporaryPassword {
  temporaryPassword: string;
  expiresAt: string;
}

/**
 * Gives an account a new temporary password, in the caller's transaction: it works for `hours`,
 * its holder must choose their own at the first sign-in, the account's sessions end and its
 * failed sign-ins are forgotten (a locked-out officer can sign in again). Said once, to whoever
 * asked for it: an agency's administrator, the medical insurance bureau, or the operator's
 * directory tool.
 */
export async function issueTemporaryPassword(m: EntityManager, accountId: string, reason: string, hours = TEMPORARY_PASSWORD_HOURS): Promise<TemporaryPassword> {
  const password = temporaryPassword();
  // An UPDATE … RETURNING answers [rows, count] through TypeORM's query().
  const [[row]]: [{ username: string; expiresAt: Date }[], number] = await m.query(
    `UPDATE account SET password_hash = $2, password_change_required = true, password_expires_at = now() + make_interval(hours => $3)
      WHERE id = $1 RETURNING username, password_expires_at AS "expiresAt"`,
    [accountId, await argon2.hash(password), hours],
  );
  await m.query(`DELETE FROM login_failure WHERE username = $1`, [row.username]);
  await revokeSessions(m, accountId, reason);
  return { temporaryPassword: password, expiresAt: row.expiresAt.toISOString() };
}

/** Ends every open session of an account. */
export async function revokeSessions(m: EntityManager, accountId: string, reason: string): Promise<void> {
  await m.query(`UPDATE session SET revoked_at = now(), revoked_reason = $2 WHERE account_id = $1 AND revoked_at IS NULL`, [accountId, reason]);
}
