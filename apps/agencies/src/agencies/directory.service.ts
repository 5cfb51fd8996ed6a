import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import { AgencyContactsDto, AgencyKind, AgencyView, CreateOfficerDto, DomainError, ErrorCode, MessageContext, NewOfficerCredentialsView, OfficerNameView, OfficerRole, OfficerView, RegionView, TemporaryPasswordView } from '@lianban/contracts';
import { defineAbilityFor, sqlFilter } from '@lianban/authz';
import { audit, OutboxWriter } from '@lianban/persistence';
import { AuthService } from '../auth/auth.service';

const AGENCY_COLUMNS = `id, kind, name, region_code AS "regionCode", parent_id AS "parentId", contact_phone AS "contactPhone", contact_address AS "contactAddress"`;

/** Regions, agencies and officers, each list filtered in SQL by the caller's permissions. */
@Injectable()
export class DirectoryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly auth: AuthService,
  ) {}

  async regions(ctx: MessageContext): Promise<RegionView[]> {
    if (!defineAbilityFor(ctx.actor).can('read', 'Region')) throw new DomainError(403, ErrorCode.FORBIDDEN, 'Sign in to see the regions.');
    return this.ds.query(`SELECT code, name, level, parent_code AS "parentCode" FROM region ORDER BY code`);
  }

  async agencies(ctx: MessageContext): Promise<AgencyView[]> {
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Agency', { regionCode: 'region_code' });
    if (!filter) return [];
    return this.ds.query(`SELECT ${AGENCY_COLUMNS} FROM agency WHERE ${filter.sql} ORDER BY region_code, kind, name`, filter.params);
  }

  /** One agency; an agency outside the caller's reach is "not found", never "forbidden". */
  async agency(id: string, ctx: MessageContext): Promise<AgencyView> {
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Agency', { regionCode: 'region_code' }, 2);
    const [row] = filter ? await this.ds.query(`SELECT ${AGENCY_COLUMNS} FROM agency WHERE id = $1 AND ${filter.sql}`, [id, ...filter.params]) : [];
    if (!row) throw DomainError.notFound('The agency');
    return row;
  }

  /**
   * Changes how other agencies reach the agency (its telephone, its address): its own
   * administrator only. A field left out stays; `null` removes it. Nothing changes, and nothing is
   * recorded, when the contacts are already as given.
   */
  async updateContacts(id: string, dto: AgencyContactsDto, ctx: MessageContext): Promise<AgencyView> {
    return this.ds.transaction(async (m) => {
      const ability = defineAbilityFor(ctx.actor);
      const [row]: AgencyView[] = await m.query(`SELECT ${AGENCY_COLUMNS} FROM agency WHERE id = $1 FOR UPDATE`, [id]);
      if (!row || !ability.can('read', subject('Agency', row))) throw DomainError.notFound('The agency');
      if (!ability.can('update', subject('Agency', row))) {
        // Outside the transaction, which the refusal rolls back.
        await audit(this.ds.manager, { actor: ctx.actor, action: 'agency.update_contacts', target: id, outcome: 'refused' });
        throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only an administrator of the agency may change its contacts.');
      }
      const previous = { contactPhone: row.contactPhone, contactAddress: row.contactAddress };
      const contacts = { contactPhone: dto.contactPhone === undefined ? row.contactPhone : dto.contactPhone, contactAddress: dto.contactAddress === undefined ? row.contactAddress : dto.contactAddress };
      if (contacts.contactPhone === previous.contactPhone && contacts.contactAddress === previous.contactAddress) return row;
      const [[updated]]: [AgencyView[], number] = await m.query(`UPDATE agency SET contact_phone = $2, contact_address = $3 WHERE id = $1 RETURNING ${AGENCY_COLUMNS}`, [id, contacts.contactPhone, contacts.contactAddress]);
      await audit(m, { actor: ctx.actor, action: 'agency.update_contacts', target: id, outcome: 'succeeded', detail: { previous, contacts } });
      await this.outbox.append(m, { type: 'agency.contacts_changed', payload: { agencyId: id, ...contacts } }, ctx);
      return updated;
    });
  }

  /** A directory entry without a permission filter: names and kinds of agencies are not secret. */
  async resolve(id: string): Promise<AgencyView> {
    const [row] = await this.ds.query(`SELECT ${AGENCY_COLUMNS} FROM agency WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('The agency');
    return row;
  }

  async find(kind: AgencyKind, regionCode: string): Promise<AgencyView | null> {
    const [row] = await this.ds.query(`SELECT ${AGENCY_COLUMNS} FROM agency WHERE kind = $1 AND region_code = $2 ORDER BY created_at LIMIT 1`, [kind, regionCode]);
    return row ?? null;
  }

  /** The ids of an agency's active officers holding a role; for the platform's services only (whom to notify). */
  async withRole(agencyId: string, role: OfficerRole, ctx: MessageContext): Promise<string[]> {
    if (ctx.actor.kind !== 'system') throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only the platform’s services look officers up by role.');
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM account WHERE kind = 'officer' AND agency_id = $1 AND $2 = ANY(roles) AND disabled_at IS NULL ORDER BY id`,
      [agencyId, role],
    );
    return rows.map((r) => r.id);
  }

  async officers(ctx: MessageContext): Promise<OfficerView[]> {
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Officer', { agencyId: 'a.agency_id', regionCode: 'ag.region_code' });
    if (!filter) return [];
    return this.ds.query(
      `SELECT a.id, a.username, a.display_name AS "displayName", a.agency_id AS "agencyId", a.roles, a.disabled_at IS NOT NULL AS disabled
         FROM account a JOIN agency ag ON ag.id = a.agency_id
        WHERE a.kind = 'officer' AND ${filter.sql} ORDER BY a.username`,
      filter.params,
    );
  }

  /**
   * The names of the officers of every agency the caller may read in the directory (its
   * jurisdiction and the agencies above it): the agencies it works with on transfers, cases and
   * assigned clues, so a step signed by one of
   * their officers is shown with the officer's name. Disabled accounts are kept (they signed past
   * steps). Nothing but the name and the agency: officers' accounts stay their agency's business.
   */
  async officerNames(ctx: MessageContext): Promise<OfficerNameView[]> {
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Agency', { regionCode: 'ag.region_code' });
    if (!filter) return [];
    return this.ds.query(
      `SELECT a.id, a.display_name AS "displayName", a.agency_id AS "agencyId"
         FROM account a JOIN agency ag ON ag.id = a.agency_id
        WHERE a.kind = 'officer' AND ${filter.sql} ORDER BY a.agency_id, a.display_name`,
      filter.params,
    );
  }

  /**
   * Disables an officer's account and ends its sessions at once. Only the agency's admin may, and
   * not the agency's last active administrator.
   */
  async disableOfficer(id: string, ctx: MessageContext): Promise<OfficerView> {
    return this.ds.transaction(async (m) => {
      const row = await this.officerToChange(m, id, ctx, { may: 'disable', action: 'officer.disable', refusal: 'Only an administrator of the officer’s own agency may disable the account.' });
      if (!row.disabled) {
        if (row.roles.includes(OfficerRole.ADMIN)) await this.keepAnAdministrator(m, row);
        await m.query(`UPDATE account SET disabled_at = now() WHERE id = $1`, [id]);
        await this.auth.revokeAll(m, id, 'account_disabled');
        await audit(m, { actor: ctx.actor, action: 'officer.disable', target: id, outcome: 'succeeded' });
        await this.outbox.append(m, { type: 'officer.disabled', payload: { officerId: id, agencyId: row.agencyId } }, ctx);
      }
      return this.officerView(m, id);
    });
  }

  /**
   * Lets a disabled officer of the caller's agency back in (the agency's admin only), with a new
   * temporary password said once in the answer: whoever held the account before must not find
   * the old password working again, and the officer chooses their own at the next sign-in. The
   * roles are those the account had; an account already enabled is refused, so that enabling
   * never stands in for a password reset.
   */
  async enableOfficer(id: string, ctx: MessageContext): Promise<NewOfficerCredentialsView> {
    return this.ds.transaction(async (m) => {
      const row = await this.officerToChange(m, id, ctx, { may: 'update', action: 'officer.enable', refusal: 'Only an administrator of the officer’s own agency may enable the account again.' });
      if (!row.disabled) throw new DomainError(409, 'OFFICER_ENABLED', 'The account is not disabled; to give the officer a new password, reset it.');
      await m.query(`UPDATE account SET disabled_at = NULL WHERE id = $1`, [id]);
      const credentials = await this.auth.setTemporaryPassword(m, id, 'account_enabled');
      await audit(m, { actor: ctx.actor, action: 'officer.enable', target: id, outcome: 'succeeded', detail: { roles: row.roles, expiresAt: credentials.expiresAt } });
      await this.outbox.append(m, { type: 'officer.enabled', payload: { officerId: id, agencyId: row.agencyId, roles: row.roles } }, ctx);
      return { officer: await this.officerView(m, id), ...credentials };
    });
  }

  /**
   * Corrects how an officer's name is written (a typo, a name changed at the registry). Only the
   * agency's admin may, for active and disabled accounts alike: the steps an officer signed are
   * shown under the account's current name, so the audit row keeps the name before. The officer's
   * sessions go on (a name grants nothing); their own console shows it from the next sign-in.
   * The same name again changes and records nothing.
   */
  async renameOfficer(id: string, displayName: string, ctx: MessageContext): Promise<OfficerView> {
    const name = displayName.trim();
    return this.ds.transaction(async (m) => {
      const row = await this.officerToChange(m, id, ctx, { may: 'update', action: 'officer.rename', refusal: 'Only an administrator of the officer’s own agency may correct the officer’s name.' });
      if (row.displayName !== name) {
        await m.query(`UPDATE account SET display_name = $2 WHERE id = $1`, [id, name]);
        await audit(m, { actor: ctx.actor, action: 'officer.rename', target: id, outcome: 'succeeded', detail: { previous: row.displayName, displayName: name } });
        await this.outbox.append(m, { type: 'officer.renamed', payload: { officerId: id, agencyId: row.agencyId, displayName: name, previous: row.displayName } }, ctx);
      }
      return this.officerView(m, id);
    });
  }

  /**
   * Gives an officer of the caller's agency their roles, replacing the old ones. Only the agency's
   * admin may. The officer's sessions end, so that a role taken away stops at once (the roles
   * travel in the access token) and one given counts from the next sign-in. The agency keeps at
   * least one active administrator.
   */
  async setOfficerRoles(id: string, roles: OfficerRole[], ctx: MessageContext): Promise<OfficerView> {
    const next = inRoleOrder(roles);
    return this.ds.transaction(async (m) => {
      const row = await this.officerToChange(m, id, ctx, { may: 'update', action: 'officer.set_roles', refusal: 'Only an administrator of the officer’s own agency may change the officer’s roles.' });
      if (row.disabled) throw new DomainError(409, 'OFFICER_DISABLED', 'The account is disabled; its roles cannot be changed.');
      const previous = inRoleOrder(row.roles);
      if (previous.join() !== next.join()) {
        if (previous.includes(OfficerRole.ADMIN) && !next.includes(OfficerRole.ADMIN)) await this.keepAnAdministrator(m, row);
        await m.query(`UPDATE account SET roles = $2 WHERE id = $1`, [id, next]);
        await this.auth.revokeAll(m, id, 'roles_changed');
        await audit(m, { actor: ctx.actor, action: 'officer.set_roles', target: id, outcome: 'succeeded', detail: { previous, roles: next } });
        await this.outbox.append(m, { type: 'officer.roles_changed', payload: { officerId: id, agencyId: row.agencyId, roles: next, previous } }, ctx);
      }
      return this.officerView(m, id);
    });
  }

  /**
   * Opens an account for a new officer of the caller's own agency (its administrator only), with
   * the roles given and a temporary password, said once in the answer: the officer chooses their
   * own at the first sign-in. A username already taken, by any account, is refused.
   */
  async createOfficer(dto: CreateOfficerDto, ctx: MessageContext): Promise<NewOfficerCredentialsView> {
    const agencyId = ctx.actor.kind === 'officer' ? ctx.actor.agencyId : undefined;
    if (!agencyId || !defineAbilityFor(ctx.actor).can('create', subject('Officer', { agencyId }))) {
      await audit(this.ds.manager, { actor: ctx.actor, action: 'officer.create', target: dto.username, outcome: 'refused' });
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only an administrator of an agency may open accounts for its officers.');
    }
    const roles = inRoleOrder(dto.roles);
    return this.ds.transaction(async (m) => {
      // The password is set just below; until the transaction commits nobody can sign in with this one.
      const [created]: { id: string }[] = await m.query(
        `INSERT INTO account (kind, username, display_name, password_hash, agency_id, roles) VALUES ('officer', $1, $2, '!', $3, $4)
         ON CONFLICT (username) DO NOTHING RETURNING id`,
        [dto.username, dto.displayName.trim(), agencyId, roles],
      );
      if (!created) throw new DomainError(409, 'USERNAME_TAKEN', `The username ${dto.username} is already taken; choose another.`);
      const credentials = await this.auth.setTemporaryPassword(m, created.id, 'account_created');
      await audit(m, { actor: ctx.actor, action: 'officer.create', target: created.id, outcome: 'succeeded', detail: { username: dto.username, roles } });
      await this.outbox.append(m, { type: 'officer.created', payload: { officerId: created.id, agencyId, roles } }, ctx);
      return { officer: await this.officerView(m, created.id), ...credentials };
    });
  }

  /**
   * Gives an officer of the caller's agency a new temporary password (forgotten, or locked out
   * after failed sign-ins); the officer's sessions end. The agency's administrator only.
   */
  async resetOfficerPassword(id: string, ctx: MessageContext): Promise<TemporaryPasswordView> {
    return this.ds.transaction(async (m) => {
      const row = await this.officerToChange(m, id, ctx, { may: 'update', action: 'officer.reset_password', refusal: 'Only an administrator of the officer’s own agency may reset the officer’s password.' });
      if (row.disabled) throw new DomainError(409, 'OFFICER_DISABLED', 'The account is disabled; its password cannot be reset.');
      const credentials = await this.auth.setTemporaryPassword(m, id, 'password_reset');
      await audit(m, { actor: ctx.actor, action: 'officer.reset_password', target: id, outcome: 'succeeded', detail: { expiresAt: credentials.expiresAt } });
      await this.outbox.append(m, { type: 'officer.password_reset', payload: { officerId: id, agencyId: row.agencyId } }, ctx);
      return credentials;
    });
  }

  /**
   * The officer account an administrator is about to change, locked. Changes to one agency's
   * accounts take turns (a transaction lock on the agency, taken before the row's), so two
   * administrators cannot each take the other's admin role away at once and leave none. An
   * account outside the caller's reach is "not found"; one the caller may see but not change is
   * refused, and the refusal audited.
   */
  private async officerToChange(m: EntityManager, id: string, ctx: MessageContext, change: { may: 'disable' | 'update'; action: string; refusal: string }): Promise<OfficerRow> {
    const ability = defineAbilityFor(ctx.actor);
    const [found]: { agencyId: string }[] = await m.query(`SELECT agency_id AS "agencyId" FROM account WHERE id = $1 AND kind = 'officer'`, [id]);
    if (found) await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('officer-accounts:' || $1, 0))`, [found.agencyId]);
    const [row]: OfficerRow[] = found
      ? await m.query(
          `SELECT a.id, a.agency_id AS "agencyId", ag.region_code AS "regionCode", a.display_name AS "displayName", a.roles, a.disabled_at IS NOT NULL AS disabled
             FROM account a JOIN agency ag ON ag.id = a.agency_id WHERE a.id = $1 FOR UPDATE OF a`,
          [id],
        )
      : [];
    if (!row || !ability.can('read', subject('Officer', row))) throw DomainError.notFound('The officer');
    if (!ability.can(change.may, subject('Officer', row))) {
      // Outside the transaction, which the refusal rolls back.
      await audit(this.ds.manager, { actor: ctx.actor, action: change.action, target: id, outcome: 'refused' });
      throw new DomainError(403, ErrorCode.FORBIDDEN, change.refusal);
    }
    return row;
  }

  /** Refuses a change that would leave the officer's agency without an active administrator. */
  private async keepAnAdministrator(m: EntityManager, row: OfficerRow): Promise<void> {
    const [other] = await m.query(
      `SELECT 1 FROM account WHERE kind = 'officer' AND agency_id = $1 AND id <> $2 AND $3 = ANY(roles) AND disabled_at IS NULL LIMIT 1`,
      [row.agencyId, row.id, OfficerRole.ADMIN],
    );
    if (!other) throw new DomainError(409, 'LAST_ADMINISTRATOR', 'This is the agency’s last active administrator; give another officer of the agency the admin role first.');
  }

  private async officerView(m: EntityManager, id: string): Promise<OfficerView> {
    const [view] = await m.query(
      `SELECT id, username, display_name AS "displayName", agency_id AS "agencyId", roles, disabled_at IS NOT NULL AS disabled FROM account WHERE id = $1`,
      [id],
    );
    return view;
  }
}

/** Roles in the order OfficerRole lists them, so that two sets compare and are stored alike. */
const inRoleOrder = (roles: readonly OfficerRole[]): OfficerRole[] => Object.values(OfficerRole).filter((r) => roles.includes(r));

/** An officer account as an administrator's change reads it. */
type OfficerRow = { id: string; agencyId: string; regionCode: string; displayName: string; roles: OfficerRole[]; disabled: boolean };
