import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource } from 'typeorm';
import { AgencyKind, AgencyView, DomainError, ErrorCode, MessageContext, OfficerNameView, OfficerRole, OfficerView, RegionView } from '@lianban/contracts';
import { defineAbilityFor, sqlFilter } from '@lianban/authz';
import { audit, OutboxWriter } from '@lianban/persistence';
import { AuthService } from '../auth/auth.service';

const AGENCY_COLUMNS = `id, kind, name, region_code AS "regionCode", parent_id AS "parentId", contact_phone AS "contactPhone"`;

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
   * jurisdiction): the agencies it works with on transfers and cases, so a step signed by one of
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

  /** Disables an officer's account and ends its sessions at once. Only the agency's admin may. */
  async disableOfficer(id: string, ctx: MessageContext): Promise<OfficerView> {
    const ability = defineAbilityFor(ctx.actor);
    return this.ds.transaction(async (m) => {
      const [row] = await m.query(
        `SELECT a.id, a.agency_id AS "agencyId", ag.region_code AS "regionCode", a.disabled_at FROM account a JOIN agency ag ON ag.id = a.agency_id WHERE a.id = $1 AND a.kind = 'officer' FOR UPDATE OF a`,
        [id],
      );
      if (!row || !ability.can('read', subject('Officer', row))) throw DomainError.notFound('The officer');
      if (!ability.can('disable', subject('Officer', row))) {
        await audit(m, { actor: ctx.actor, action: 'officer.disable', target: id, outcome: 'refused' });
        throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only an administrator of the officer’s own agency may disable the account.');
      }
      if (!row.disabled_at) {
        await m.query(`UPDATE account SET disabled_at = now() WHERE id = $1`, [id]);
        await this.auth.revokeAll(m, id, 'account_disabled');
        await audit(m, { actor: ctx.actor, action: 'officer.disable', target: id, outcome: 'succeeded' });
        await this.outbox.append(m, { type: 'officer.disabled', payload: { officerId: id, agencyId: row.agencyId } }, ctx);
      }
      const [view] = await m.query(
        `SELECT id, username, display_name AS "displayName", agency_id AS "agencyId", roles, disabled_at IS NOT NULL AS disabled FROM account WHERE id = $1`,
        [id],
      );
      return view;
    });
  }
}
