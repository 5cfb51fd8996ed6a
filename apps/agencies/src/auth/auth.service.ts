import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';
import { AccessClaims, Actor, AgencyKind, ChangePasswordRequestDto, DomainError, ErrorCode, FieldError, LoginRequestDto, MessageContext, OfficerRole, Principal, RefreshDto, ruleError, SessionTokens } from '@lianban/contracts';
import { audit, OutboxWriter } from '@lianban/persistence';
import { issueTemporaryPassword, revokeSessions, TemporaryPassword } from './temporary-password';

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

export interface AuthSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Failed sign-ins for one username within the window before further attempts are refused. */
  maxFailures: number;
  failureWindowMinutes: number;
  /** How long a temporary password (a new account's, or one an administrator reset) works. */
  temporaryPasswordHours: number;
}

interface AccountRow {
  id: string;
  kind: 'officer' | 'institution';
  username: string;
  display_name: string;
  password_hash: string;
  disabled_at: Date | null;
  roles: OfficerRole[];
  agency_id: string | null;
  agency_kind: AgencyKind | null;
  agency_name: string | null;
  institution_id: string | null;
  institution_name: string | null;
  region_code: string | null;
  password_change_required: boolean;
  password_expired: boolean;
}

const ACCOUNT_SELECT = `
  SELECT a.id, a.kind, a.username, a.display_name, a.password_hash, a.disabled_at, a.roles,
         a.agency_id, ag.kind AS agency_kind, ag.name AS agency_name,
         a.institution_id, i.name AS institution_name,
         COALESCE(ag.region_code, i.region_code) AS region_code,
         a.password_change_required, COALESCE(a.password_expires_at < now(), false) AS password_expired
    FROM account a
    LEFT JOIN agency ag ON ag.id = a.agency_id
    LEFT JOIN institution i ON i.id = a.institution_id`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** An attempt at an account's password (signing in, or changing it), as it is counted and audited. */
interface PasswordAttempt {
  username: string;
  actor: Actor;
  action: 'session.create' | 'account.change_password';
  target: string;
  ip?: string;
}

/** How long the refresh token a rotation replaced may still come back once (its answer was lost). */
export const REFRESH_GRACE_SECONDS = 30;

/** Sign-in, token refresh with rotation, sign-out, session checks, and passwords: chosen, or temporary ones given. */
@Injectable()
export class AuthService {
  /** Verified against when the username is unknown, so both failures take the same time. */
  private readonly dummyHash = argon2.hash(randomUUID());

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jwt: JwtService,
    private readonly outbox: OutboxWriter,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async login(dto: LoginRequestDto): Promise<SessionTokens> {
    const attempt: PasswordAttempt = { username: dto.username, actor: { kind: 'anonymous', id: dto.username }, action: 'session.create', target: dto.username, ip: dto.clientIp };
    const attemptId = await this.takeAttempt(attempt, 'failed sign-ins');
    const [row] = (await this.ds.query(`${ACCOUNT_SELECT} WHERE a.username = $1`, [dto.username])) as AccountRow[];
    const passwordOk = await argon2.verify(row?.password_hash ?? (await this.dummyHash), dto.password);
    if (!row || !passwordOk) {
      await this.refused(attempt, 'bad_credentials');
      throw new DomainError(401, 'INVALID_CREDENTIALS', 'Wrong username or password.');
    }
    // The password was right: the attempt counts against nobody, whatever else stops the sign-in.
    await this.giveBack(attemptId);
    if (row.disabled_at) {
      await this.refused(attempt, 'disabled');
      throw new DomainError(403, 'ACCOUNT_DISABLED', 'This account has been disabled; ask your agency’s administrator.');
    }
    if (row.password_expired) {
      await this.refused(attempt, 'temporary_password_expired');
      throw new DomainError(401, 'TEMPORARY_PASSWORD_EXPIRED', 'This temporary password has expired; ask your agency’s administrator for a new one.');
    }
    return this.ds.transaction(async (m) => {
      const sessionId = randomUUID();
      const refreshToken = `${sessionId}.${randomBytes(32).toString('base64url')}`;
      await m.query(`INSERT INTO session (id, account_id, refresh_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`, [
        sessionId,
        row.id,
        sha256(refreshToken),
        this.settings.refreshTokenTtlSeconds,
      ]);
      await m.query(`DELETE FROM login_failure WHERE username = $1`, [dto.username]);
      const principal = this.principal(row, sessionId);
      await audit(m, { actor: principal, action: 'session.create', target: row.id, outcome: 'succeeded', detail: { ip: dto.clientIp } });
      return this.tokens(principal, refreshToken);
    });
  }

  /**
   * Renews the tokens and rotates the refresh token. A refresh token presented after it was
   * rotated away means someone kept a copy, and ends the session, with one exception: the token
   * the last rotation replaced, presented once within REFRESH_GRACE_SECONDS of it, is a client
   * that never received the answer (a page reloaded while its refresh was under way); it gets a
   * new pair, and the token it never received stops working.
   */
  async refresh(dto: RefreshDto): Promise<SessionTokens> {
    const sessionId = dto.refreshToken.split('.')[0];
    if (!/^[0-9a-f-]{36}$/.test(sessionId)) throw this.invalidRefresh();
    return this.ds.transaction(async (m) => {
      const [session] = await m.query(
        `SELECT id, account_id, refresh_hash, previous_refresh_hash, refreshed_at > now() - make_interval(secs => $2) AS in_grace, expires_at < now() AS expired, revoked_at
           FROM session WHERE id = $1 FOR UPDATE`,
        [sessionId, REFRESH_GRACE_SECONDS],
      );
      if (!session || session.revoked_at || session.expired) throw this.invalidRefresh();
      const presented = Buffer.from(sha256(dto.refreshToken), 'hex');
      const matches = (hash: string | null) => !!hash && timingSafeEqual(presented, Buffer.from(hash, 'hex'));
      const current = matches(session.refresh_hash);
      const lostAnswer = !current && session.in_grace && matches(session.previous_refresh_hash);
      if (!current && !lostAnswer) {
        // An old refresh token came back: someone kept a copy. End the session for everyone.
        await this.revoke(m, sessionId, 'refresh_token_reused');
        await audit(m, { actor: { kind: 'anonymous', id: sessionId }, action: 'session.refresh', target: sessionId, outcome: 'refused', detail: { reason: 'reused' } });
        return null;
      }
      const [row] = (await m.query(`${ACCOUNT_SELECT} WHERE a.id = $1`, [session.account_id])) as AccountRow[];
      if (row.disabled_at) throw this.invalidRefresh();
      const refreshToken = `${sessionId}.${randomBytes(32).toString('base64url')}`;
      // After a lost answer the replaced token has had its one second chance: it is not kept.
      await m.query(`UPDATE session SET refresh_hash = $2, previous_refresh_hash = $3, refreshed_at = now() WHERE id = $1`, [sessionId, sha256(refreshToken), current ? session.refresh_hash : null]);
      if (lostAnswer) await audit(m, { actor: { kind: 'anonymous', id: sessionId }, action: 'session.refresh', target: sessionId, outcome: 'succeeded', detail: { reason: 'answer_lost', graceSeconds: REFRESH_GRACE_SECONDS } });
      return this.tokens(this.principal(row, sessionId), refreshToken);
    }).then((tokens) => {
      if (!tokens) throw this.invalidRefresh();
      return tokens;
    });
  }

  async logout(ctx: MessageContext): Promise<{ revoked: boolean }> {
    const sessionId = ctx.actor.sessionId;
    if (!sessionId) throw new DomainError(401, ErrorCode.UNAUTHENTICATED, 'Sign in first.');
    await this.ds.transaction(async (m) => {
      await this.revoke(m, sessionId, 'logout');
      await audit(m, { actor: ctx.actor, action: 'session.revoke', target: sessionId, outcome: 'succeeded' });
    });
    return { revoked: true };
  }

  /** Is the session still open and its account enabled? Asked by the gateway on every request. */
  async verify(sessionId: string): Promise<{ valid: true }> {
    const [ok] = await this.ds.query(
      `SELECT 1 FROM session s JOIN account a ON a.id = s.account_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND a.disabled_at IS NULL`,
      [sessionId],
    );
    if (!ok) throw new DomainError(401, 'SESSION_ENDED', 'Your session has ended; sign in again.');
    return { valid: true };
  }

  /**
   * The signed-in account chooses a new password, giving the current one (so that a session left
   * open on someone else's screen cannot take the account over). A wrong current password counts
   * as a failed sign-in. The account's other sessions end; this one goes on with new tokens,
   * which no longer carry the obligation to change a temporary password.
   */
  async changePassword(dto: ChangePasswordRequestDto, ctx: MessageContext): Promise<SessionTokens> {
    const sessionId = ctx.actor.sessionId;
    const [row] = sessionId ? ((await this.ds.query(`${ACCOUNT_SELECT} WHERE a.id = $1`, [ctx.actor.id])) as AccountRow[]) : [];
    if (!row) throw new DomainError(401, ErrorCode.UNAUTHENTICATED, 'Sign in first.');
    const attempt: PasswordAttempt = { username: row.username, actor: ctx.actor, action: 'account.change_password', target: row.id, ip: dto.clientIp };
    const attemptId = await this.takeAttempt(attempt, 'wrong passwords');
    if (!(await argon2.verify(row.password_hash, dto.currentPassword))) {
      await this.refused(attempt, 'bad_credentials');
      throw DomainError.validation([ruleError('currentPassword', 'wrongCurrentPassword', 'The current password is wrong.')]);
    }
    await this.giveBack(attemptId);
    const weak = [
      dto.newPassword === dto.currentPassword && ruleError('newPassword', 'samePassword', 'The new password must differ from the current one.'),
      dto.newPassword.toLowerCase().includes(row.username.toLowerCase()) && ruleError('newPassword', 'containsUsername', 'The new password must not contain the username.'),
    ].filter((e): e is FieldError => !!e);
    if (weak.length) {
      await this.refused(attempt, 'weak_password');
      throw DomainError.validation(weak);
    }
    const hash = await argon2.hash(dto.newPassword);
    return this.ds.transaction(async (m) => {
      const [open] = await m.query(`SELECT 1 FROM session WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL AND expires_at > now() FOR UPDATE`, [sessionId, row.id]);
      if (!open) throw new DomainError(401, 'SESSION_ENDED', 'Your session has ended; sign in again.');
      await m.query(
        `UPDATE account SET password_hash = $2, password_change_required = false, password_expires_at = NULL, password_changed_at = now() WHERE id = $1`,
        [row.id, hash],
      );
      await m.query(`UPDATE session SET revoked_at = now(), revoked_reason = 'password_changed' WHERE account_id = $1 AND id <> $2 AND revoked_at IS NULL`, [row.id, sessionId]);
      await m.query(`DELETE FROM login_failure WHERE username = $1`, [row.username]);
      const refreshToken = `${sessionId}.${randomBytes(32).toString('base64url')}`;
      await m.query(`UPDATE session SET refresh_hash = $2, previous_refresh_hash = NULL, refreshed_at = now() WHERE id = $1`, [sessionId, sha256(refreshToken)]);
      await audit(m, { actor: ctx.actor, action: 'account.change_password', target: row.id, outcome: 'succeeded', detail: { ip: dto.clientIp, temporary: row.password_change_required } });
      return this.tokens(this.principal({ ...row, password_change_required: false }, sessionId!), refreshToken);
    });
  }

  /** Gives an account a new temporary password, in the caller's transaction (see issueTemporaryPassword). */
  setTemporaryPassword(m: EntityManager, accountId: string, reason: string): Promise<TemporaryPassword> {
    return issueTemporaryPassword(m, accountId, reason, this.settings.temporaryPasswordHours);
  }

  /** Ends every open session of an account (used when it is disabled). */
  revokeAll(m: EntityManager, accountId: string, reason: string): Promise<void> {
    return revokeSessions(m, accountId, reason);
  }

  private async revoke(m: EntityManager, sessionId: string, reason: string): Promise<void> {
    await m.query(`UPDATE session SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
    await this.outbox.append(m, { type: 'session.revoked', payload: { sessionId, reason } });
  }

  /**
   * Refuses (429) an attempt at an account's password while it has had `maxFailures` wrong ones
   * within the window, the right password included; sign-in and a password change count together.
   */
  /**
   * Takes one of the account's password attempts before the password is checked: it counts as a
   * failure (a login_failure row) until the password proves right (giveBack). Refused with 429
   * while the failures of the window, attempts under way included, reach the limit. Counted and
   * taken under a lock per username, so that many requests at once get no more tries than one
   * after another.
   */
  private async takeAttempt(attempt: PasswordAttempt, what: string): Promise<string> {
    const taken = await this.ds.transaction(async (m): Promise<{ id: string } | { retryAfterSeconds: number }> => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('login_failure:' || $1))`, [attempt.username]);
      const { failures, retryAfterSeconds } = await this.recentFailures(attempt.username, m);
      if (failures >= this.settings.maxFailures) {
        await this.refused(attempt, 'rate_limited', m);
        return { retryAfterSeconds };
      }
      const [{ id }]: { id: string }[] = await m.query(`INSERT INTO login_failure (username, ip) VALUES ($1, $2) RETURNING id`, [attempt.username, attempt.ip ?? null]);
      return { id };
    });
    if ('id' in taken) return taken.id;
    throw new DomainError(429, ErrorCode.TOO_MANY_REQUESTS, `Too many ${what} for this account; try again in ${Math.ceil(taken.retryAfterSeconds / 60)} minutes.`, taken);
  }

  /** The password proved right: the attempt taken for it is no failure. */
  private async giveBack(attemptId: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_failure WHERE id = $1`, [attemptId]);
  }

  private async refused(attempt: PasswordAttempt, reason: string, m?: EntityManager): Promise<void> {
    const entry = { actor: attempt.actor, action: attempt.action, target: attempt.target, outcome: 'refused' as const, detail: { reason, ip: attempt.ip } };
    await (m ? audit(m, entry) : this.ds.transaction((t) => audit(t, entry)));
  }

  /**
   * The account's failed sign-ins within the window, and in how many seconds fewer than the limit
   * are left in it (when the limit-th newest of them ages out).
   */
  private async recentFailures(username: string, m: EntityManager): Promise<{ failures: number; retryAfterSeconds: number }> {
    const [row]: { failures: number; retry: number | null }[] = await m.query(
      `WITH recent AS (SELECT at FROM login_failure WHERE username = $1 AND at > now() - make_interval(mins => $2))
       SELECT (SELECT count(*)::int FROM recent) AS failures,
              (SELECT ceil(extract(epoch FROM at + make_interval(mins => $2) - now()))::int FROM recent ORDER BY at DESC OFFSET $3 - 1 LIMIT 1) AS retry`,
      [username, this.settings.failureWindowMinutes, this.settings.maxFailures],
    );
    return { failures: row.failures, retryAfterSeconds: Math.max(1, row.retry ?? 0) };
  }

  private principal(row: AccountRow, sessionId: string): Principal {
    return {
      kind: row.kind,
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      agencyId: row.agency_id ?? undefined,
      agencyKind: row.agency_kind ?? undefined,
      agencyName: row.agency_name ?? undefined,
      institutionId: row.institution_id ?? undefined,
      institutionName: row.institution_name ?? undefined,
      regionCode: row.region_code ?? undefined,
      roles: row.roles,
      sessionId,
      ...(row.password_change_required ? { passwordChangeRequired: true } : {}),
    };
  }

  private async tokens(principal: Principal, refreshToken: string): Promise<SessionTokens> {
    const claims: AccessClaims = {
      sub: principal.id,
      sid: principal.sessionId!,
      kind: principal.kind,
      agencyId: principal.agencyId,
      agencyKind: principal.agencyKind,
      regionCode: principal.regionCode,
      roles: principal.roles,
      institutionId: principal.institutionId,
      ...(principal.passwordChangeRequired ? { pwc: true as const } : {}),
    };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.settings.accessTokenTtlSeconds, jwtid: randomUUID() });
    return { tokenType: 'Bearer', accessToken, expiresIn: this.settings.accessTokenTtlSeconds, refreshToken, principal };
  }

  private invalidRefresh(): DomainError {
    return new DomainError(401, 'INVALID_REFRESH_TOKEN', 'The refresh token is invalid, expired or revoked; sign in again.');
  }
}
