import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import { ChangeAgreementRequestDto, CreateInstitutionDto, InstitutionAccountView, DESIGNATED_AGREEMENT_STATUSES, DomainError, FindDesignatedInstitutionsDto, ErrorCode, InstitutionView, LeadingGroupView, MessageContext, ruleError } from '@lianban/contracts';
import { defineAbilityFor, sqlFilter } from '@lianban/authz';
import { audit, OutboxWriter } from '@lianban/persistence';
import { AuthService } from '../auth/auth.service';
import { shanghaiDate } from '@lianban/clocks';
import { AGREEMENT_TRANSITIONS, newAgreementAllowedFrom } from './agreement';

const COLUMNS: Record<string, string> = { regionCode: 'region_code', id: 'id' };

const VIEW = `
  SELECT id, code, name, kind, ownership, level, region_code AS "regionCode",
         agreement_status AS "agreementStatus", to_char(agreement_status_since, 'YYYY-MM-DD') AS "agreementStatusSince",
         COALESCE((SELECT CASE WHEN a.disabled_at IS NULL THEN 'active' ELSE 'disabled' END FROM account a WHERE a.institution_id = institution.id LIMIT 1), 'none') AS "portalAccount"
    FROM institution`;

/**
 * A row of VIEW as readers get it: with the statuses its agreement may take next, and after a
 * fraud termination the first day a new agreement may take effect, as changeAgreement enforces it
 * (newAgreementAllowedFrom), while that day is still to come.
 */
const withNext = (row: Omit<InstitutionView, 'agreementNext' | 'newAgreementBlockedUntil'>): InstitutionView => {
  const from = row.agreementStatus === 'terminated_for_fraud' ? newAgreementAllowedFrom(row.agreementStatusSince) : null;
  return { ...row, newAgreementBlockedUntil: from && from > shanghaiDate(new Date()) ? from : null, agreementNext: AGREEMENT_TRANSITIONS[row.agreementStatus] };
};

/** The register of designated institutions (定点医药机构) and their service agreements. */
@Injectable()
export class InstitutionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly auth: AuthService,
  ) {}

  async list(ctx: MessageContext): Promise<InstitutionView[]> {
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Institution', COLUMNS);
    if (!filter) return [];
    return (await this.ds.query(`${VIEW} WHERE ${filter.sql} ORDER BY code`, filter.params)).map(withNext);
  }

  /**
   * The designated institutions (DESIGNATED_AGREEMENT_STATUSES: those that file self-inspection
   * ledgers) of these kinds in a region, a city's districts included: whom a campaign concerns.
   * The platform's services only.
   */
  async designated(dto: FindDesignatedInstitutionsDto, ctx: MessageContext): Promise<string[]> {
    if (ctx.actor.kind !== 'system') throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only the platform’s services look institutions up by region.');
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM institution
        WHERE kind = ANY($2) AND agreement_status = ANY($3)
          AND (region_code = $1 OR region_code IN (SELECT code FROM region WHERE parent_code = $1))
        ORDER BY code`,
      [dto.regionCode, dto.kinds, DESIGNATED_AGREEMENT_STATUSES],
    );
    return rows.map((r) => r.id);
  }

  async get(id: string, ctx: MessageContext, m: EntityManager = this.ds.manager): Promise<InstitutionView> {
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Institution', COLUMNS, 2);
    const [row] = filter ? await m.query(`${VIEW} WHERE id = $1 AND ${filter.sql}`, [id, ...filter.params]) : [];
    if (!row) throw DomainError.notFound('The institution');
    return withNext(row);
  }

  async create(dto: CreateInstitutionDto, ctx: MessageContext): Promise<InstitutionView> {
    const regionCode = dto.code.slice(1, 7);
    if (!defineAbilityFor(ctx.actor).can('create', subject('Institution', { regionCode }))) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only the medical insurance bureau may register institutions, and only in its own jurisdiction.');
    }
    return this.ds.transaction(async (m) => {
      const [region] = await m.query(`SELECT code FROM region WHERE code = $1`, [regionCode]);
      if (!region) throw new DomainError(400, 'UNKNOWN_REGION', `The code names region ${regionCode}, which is not in the region register.`);
      const [clash] = await m.query(`SELECT 1 FROM institution WHERE code = $1`, [dto.code]);
      if (clash) throw new DomainError(409, 'DUPLICATE_INSTITUTION_CODE', `An institution with code ${dto.code} is already registered.`);
      const [{ id }] = await m.query(`INSERT INTO institution (code, name, kind, ownership, level, region_code) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [
        dto.code,
        dto.name,
        dto.kind,
        dto.ownership,
        dto.level,
        regionCode,
      ]);
      await audit(m, { actor: ctx.actor, action: 'institution.create', target: id, outcome: 'succeeded', detail: { code: dto.code } });
      await this.outbox.append(m, { type: 'institution.registered', payload: { institutionId: id, code: dto.code, regionCode } }, ctx);
      return this.get(id, ctx, m);
    });
  }

  async changeAgreement(dto: ChangeAgreementRequestDto, ctx: MessageContext): Promise<InstitutionView> {
    const ability = defineAbilityFor(ctx.actor);
    return this.ds.transaction(async (m) => {
      const [row] = await m.query(
        `SELECT id, region_code AS "regionCode", agreement_status AS status, to_char(agreement_status_since, 'YYYY-MM-DD') AS since FROM institution WHERE id = $1 FOR UPDATE`,
        [dto.id],
      );
      if (!row || !ability.can('read', subject('Institution', row))) throw DomainError.notFound('The institution');
      if (!ability.can('update', subject('Institution', row))) {
        throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only the medical insurance bureau of the institution’s jurisdiction may change its agreement.');
      }
      const allowed = AGREEMENT_TRANSITIONS[row.status as keyof typeof AGREEMENT_TRANSITIONS];
      if (!allowed.includes(dto.status)) {
        throw new DomainError(409, ErrorCode.ILLEGAL_TRANSITION, `An agreement that is ${row.status} cannot become ${dto.status}.`, { current: row.status, allowed });
      }
      // A change is recorded when it takes effect: one dated later would apply at once (and could
      // put an agreement back in force before a fraud termination's three years are over).
      const today = shanghaiDate(new Date());
      if (dto.effectiveDate > today) {
        throw DomainError.validation([ruleError('effectiveDate', 'effectiveInFuture', `effectiveDate cannot be after today (${today}): record the change on the day it takes effect`, { today })]);
      }
      if (dto.effectiveDate < row.since) {
        throw DomainError.validation([ruleError('effectiveDate', 'effectiveBeforeCurrent', `effectiveDate cannot be before the current status took effect (${row.since})`, { since: row.since })]);
      }
      if (row.status === 'terminated_for_fraud' && dto.status === 'active') {
        const from = newAgreementAllowedFrom(row.since);
        if (dto.effectiveDate < from) {
          throw new DomainError(409, 'AGREEMENT_BLOCKED', `The agreement was terminated for fraud on ${row.since}; no new agreement may take effect before ${from}.`, { blockedUntil: from });
        }
      }
      await m.query(`UPDATE institution SET agreement_status = $2, agreement_status_since = $3 WHERE id = $1`, [dto.id, dto.status, dto.effectiveDate]);
      await audit(m, { actor: ctx.actor, action: 'institution.change_agreement', target: dto.id, outcome: 'succeeded', detail: { from: row.status, to: dto.status, effectiveDate: dto.effectiveDate, reason: dto.reason } });
      await this.outbox.append(m, { type: 'institution.agreement_changed', payload: { institutionId: dto.id, from: row.status, to: dto.status, effectiveDate: dto.effectiveDate } }, ctx);
      return this.get(dto.id, ctx, m);
    });
  }

  /**
   * The institution's self-inspection portal account (its username is its code in lower case),
   * opened on first use, with a new temporary password the institution changes at its first
   * sign-in: the bureau of the institution's jurisdiction hands it over, and issues a new one when
   * it is lost (the account's sessions end). An account that was disabled stays disabled.
   */
  async issueAccount(id: string, ctx: MessageContext): Promise<InstitutionAccountView> {
    const ability = defineAbilityFor(ctx.actor);
    return this.ds.transaction(async (m) => {
      const [row] = await m.query(`SELECT id, code, name, region_code AS "regionCode" FROM institution WHERE id = $1 FOR UPDATE`, [id]);
      if (!row || !ability.can('read', subject('Institution', row))) throw DomainError.notFound('The institution');
      if (!ability.can('update', subject('Institution', row))) {
        await audit(this.ds.manager, { actor: ctx.actor, action: 'institution.issue_account', target: id, outcome: 'refused' });
        throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only the medical insurance bureau of the institution’s jurisdiction may issue its portal account.');
      }
      const username = row.code.toLowerCase();
      await m.query(
        `INSERT INTO account (kind, username, display_name, password_hash, institution_id) VALUES ('institution', $1, $2, '!', $3) ON CONFLICT (username) DO NOTHING`,
        [username, row.name, id],
      );
      const [account] = await m.query(`SELECT id, institution_id AS "institutionId", disabled_at IS NOT NULL AS disabled FROM account WHERE username = $1 FOR UPDATE`, [username]);
      if (account.institutionId !== id) throw new DomainError(409, 'USERNAME_TAKEN', `The username ${username} belongs to another account; ask an operator.`);
      if (account.disabled) throw new DomainError(409, 'ACCOUNT_DISABLED', 'The institution’s portal account is disabled; it cannot be given a new password.');
      const credentials = await this.auth.setTemporaryPassword(m, account.id, 'password_reset');
      await audit(m, { actor: ctx.actor, action: 'institution.issue_account', target: id, outcome: 'succeeded', detail: { accountId: account.id, username, expiresAt: credentials.expiresAt } });
      return { username, ...credentials };
    });
  }

  /** Leading groups (领导小组) of the caller's jurisdiction with their member agencies (seed 002, Annex 5). */
  async leadingGroups(ctx: MessageContext): Promise<LeadingGroupView[]> {
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'LeadingGroup', { regionCode: 'b.region_code' });
    if (!filter) return [];
    return this.ds.query(
      `SELECT b.id, b.name, b.region_code AS "regionCode", b.office_agency_id AS "officeAgencyId",
              COALESCE(json_agg(json_build_object('agencyId', m.agency_id, 'agencyName', a.name, 'position', m.position, 'title', m.title)
                       ORDER BY array_position(ARRAY['leader','deputy_leader','member'], m.position), a.name) FILTER (WHERE m.body_id IS NOT NULL), '[]') AS members
         FROM joint_body b
         LEFT JOIN joint_body_member m ON m.body_id = b.id
         LEFT JOIN agency a ON a.id = m.agency_id
        WHERE b.kind = 'leading_group' AND ${filter.sql}
        GROUP BY b.id ORDER BY b.region_code`,
      filter.params,
    );
  }
}
