import { AbilityBuilder, createMongoAbility, MongoAbility, MongoQuery } from '@casl/ability';
import { Actor, AgencyKind, DomainError, ErrorCode, OfficerRole, UNSENT_TRANSFER_STATES } from '@lianban/contracts';
import { regionAndAncestors, regionPrefix } from './region';

/**
 * The one permission model of the platform (CASL). Every service builds the ability of the
 * caller from the Actor on the message and checks it on every command and query; queries are
 * filtered in SQL from the same rules (see sql.ts). docs/permissions.md states it as a table.
 */
export type Action = 'read' | 'create' | 'update' | 'manage' | 'disable' | 'review';

export type SubjectName = 'Region' | 'Agency' | 'Officer' | 'Institution' | 'AuditLog' | 'LeadingGroup' | 'Clue' | 'Transfer' | 'ReporterIdentity' | 'Case' | 'CaseEvidence' | 'Supervision' | 'Statistics' | 'Campaign' | 'Ledger';

/** The fields rules look at; records are checked with these names. */
export interface Scoped {
  regionCode?: string;
  agencyId?: string;
  institutionId?: string;
  id?: string;
  /** Transfers: who sent, every agency that has received it, the region on each side. */
  senderAgencyId?: string;
  receiverHistory?: string[];
  senderRegionCode?: string;
  receiverRegionCode?: string;
  route?: string;
  courtAgencyId?: string;
  /** Transfers to police: the procuratorate the statutory copy goes to (at the sender's level). */
  procuratorateAgencyId?: string;
  /** Transfers: where it stands (before `sent` only the sender reads it). */
  state?: string;
  /** Transfers: a statutory deadline of it ran out and was escalated (`clock.overdue` fired). */
  escalated?: boolean;
  /** Cases: agencies a transfer from the case went to (police, the copied procuratorate). */
  linkedAgencyIds?: string[];
  /** Supervision orders: the agency whose case is supervised. */
  supervisedAgencyId?: string;
}

export type AppAbility = MongoAbility<[Action, SubjectName | (Scoped & { __typename?: SubjectName })]>;

/** Condition: the record's region is within the actor's jurisdiction. */
function withinRegion(actor: Actor, field: 'regionCode' | 'senderRegionCode' | 'receiverRegionCode' = 'regionCode'): MongoQuery<Scoped> {
  return actor.regionCode ? { [field]: { $regex: `^${regionPrefix(actor.regionCode)}` } } : { [field]: { $in: [] } };
}

/**
 * Condition: the transfer has been sent. Before that (draft, the head's approval or refusal) it is
 * the sending agency's internal business: every read rule but the sender's carries this.
 */
const SENT = { state: { $nin: [...UNSENT_TRANSFER_STATES] as string[] } };

export function defineAbilityFor(actor: Actor): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const roles = new Set(actor.roles ?? []);

  if (actor.kind === 'officer' && actor.agencyKind) {
    can('read', 'Region');
    can('read', ['Agency', 'LeadingGroup'], withinRegion(actor));
    // The agencies above too (the city's and the province's): a district is assigned clues and
    // campaigns by them and must be able to name them.
    if (actor.regionCode) can('read', 'Agency', { regionCode: { $in: regionAndAncestors(actor.regionCode) } });
    can('read', 'Officer', { agencyId: actor.agencyId });
    if (roles.has(OfficerRole.ADMIN)) {
      can(['create', 'update', 'disable'], 'Officer', { agencyId: actor.agencyId });
      // How other agencies reach the agency (telephone, address): its own administrator keeps it.
      can('update', 'Agency', { id: actor.agencyId });
      can('read', 'AuditLog', { agencyId: actor.agencyId });
    }
    // Transfers: every agency sees what it sent, and, once sent, what was addressed or forwarded to it.
    can('read', 'Transfer', { senderAgencyId: actor.agencyId });
    can('read', 'Transfer', { receiverHistory: actor.agencyId, ...SENT });
    // Enforcement work (drafting a transfer, deciding on a clue) is an officer's or a head's: not the
    // administrator's, the tip-off desk's or the legal reviewer's, who must stay apart from it.
    const handles = roles.has(OfficerRole.OFFICER) || roles.has(OfficerRole.HEAD);
    if (actor.agencyKind !== AgencyKind.LEADING_GROUP_OFFICE && handles) can('create', 'Transfer');
    switch (actor.agencyKind) {
      case AgencyKind.MEDICAL_INSURANCE:
        can('read', 'Institution', withinRegion(actor));
        can(['create', 'update'], 'Institution', withinRegion(actor));
        // Clues are the bureau's own: it takes them in (the tip-off desk too) and its officers handle
        // them, in its jurisdiction.
        can('read', 'Clue', withinRegion(actor));
        if (handles || roles.has(OfficerRole.COMPLAINT_HANDLER)) can('create', 'Clue', withinRegion(actor));
        if (handles) can('update', 'Clue', withinRegion(actor));
        // The reporter of a tip-off: the tip-off desk of the receiving bureau only.
        if (roles.has(OfficerRole.COMPLAINT_HANDLER)) can('read', 'ReporterIdentity', { agencyId: actor.agencyId });
        // Administrative cases (docs/cases.md): read in its jurisdiction, handled by the bureau that filed them.
        can('read', ['Case', 'CaseEvidence'], withinRegion(actor));
        can('create', 'Case');
        can('update', ['Case', 'CaseEvidence'], { agencyId: actor.agencyId });
        // Supervision orders on its own cases: it sees them and files the progress reports.
        can(['read', 'update'], 'Supervision', { supervisedAgencyId: actor.agencyId });
        break;
      case AgencyKind.PROCURATORATE:
        can('read', 'Institution', withinRegion(actor));
        // The statutory copy (R6), sent to the procuratorate at the sender's level, wherever the
        // police it went to sit; it supervises the filing from it. And every transfer sent to police
        // in its region, whose filing it supervises.
        can('read', 'Transfer', { procuratorateAgencyId: actor.agencyId, ...SENT });
        can('read', 'Transfer', { route: 'mi_to_police', ...(withinRegion(actor, 'receiverRegionCode') as object), ...SENT });
        // A case only where a transfer from it reached this procuratorate (the statutory copy).
        can('read', 'Case', { linkedAgencyIds: actor.agencyId });
        break;
      case AgencyKind.COURT:
        can('read', 'Transfer', { courtAgencyId: actor.agencyId, ...SENT });
        break;
      case AgencyKind.POLICE:
        can('read', 'Institution', withinRegion(actor));
        // A case only where a transfer from it was addressed or forwarded to this police agency.
        can('read', 'Case', { linkedAgencyIds: actor.agencyId });
        break;
      case AgencyKind.HEALTH:
      case AgencyKind.MARKET:
        can('read', 'Institution', withinRegion(actor));
        break;
      case AgencyKind.LEADING_GROUP_OFFICE:
        // Reads everything in its region across agencies; decides nothing on their behalf.
        can('read', ['Institution', 'Officer', 'Clue'], withinRegion(actor));
        // Transfers once sent; before that only one whose deadline (the head's 3 days, the 24 hours
        // to send, R5) ran out and was escalated to it: following that up is its duty, drafts are not.
        can('read', 'Transfer', { ...(withinRegion(actor, 'senderRegionCode') as object), ...SENT });
        can('read', 'Transfer', { ...(withinRegion(actor, 'receiverRegionCode') as object), ...SENT });
        can('read', 'Transfer', { ...(withinRegion(actor, 'senderRegionCode') as object), escalated: true });
        // Cases of its region; it issues and closes supervision orders (督办, 挂牌督办) and reads the statistics.
        can('read', ['Case', 'Supervision', 'Statistics'], withinRegion(actor));
        can('create', 'Supervision', withinRegion(actor));
        break;
      default:
        // Finance and the court see no institution register: finance verifies invoices only.
        break;
    }
  }

  if (actor.kind === 'institution' && actor.institutionId) {
    can('read', 'Institution', { id: actor.institutionId });
  }

  campaignRules(actor, can);

  return build();
}

/**
 * Self-inspection campaigns and ledgers (docs/self-inspection.md). A campaign is read by the
 * bureaus and leading-group offices whose region it covers or who cover it, and by institutions
 * in its region (an institution account carries its institution's region); a ledger by
 * its institution, the bureaus over the institution's region (which review it) and the
 * leading-group office of the region. Nobody else sees either.
 */
function campaignRules(actor: Actor, can: AbilityBuilder<AppAbility>['can']): void {
  // The region itself, its city and its province: the campaigns that cover it.
  const ancestors = regionAndAncestors;
  if (actor.kind === 'officer' && actor.regionCode && (actor.agencyKind === AgencyKind.MEDICAL_INSURANCE || actor.agencyKind === AgencyKind.LEADING_GROUP_OFFICE)) {
    can('create', 'Campaign', withinRegion(actor));
    can('read', 'Campaign', withinRegion(actor));
    can('read', 'Campaign', { regionCode: { $in: ancestors(actor.regionCode) } });
    can('read', 'Ledger', withinRegion(actor));
    if (actor.agencyKind === AgencyKind.MEDICAL_INSURANCE) can('review', 'Ledger', withinRegion(actor));
  }
  if (actor.kind === 'institution' && actor.institutionId) {
    if (actor.regionCode) can('read', 'Campaign', { regionCode: { $in: ancestors(actor.regionCode) } });
    can(['read', 'create', 'update'], 'Ledger', { institutionId: actor.institutionId });
  }
}

/** The acting officer and their agency, or a 403 with the given reason (institutions, systems, anonymous). */
export function requireOfficer(actor: Actor, reason: string): { officerId: string; agencyId: string } {
  if (actor.kind !== 'officer' || !actor.agencyId) throw new DomainError(403, ErrorCode.FORBIDDEN, reason);
  return { officerId: actor.id, agencyId: actor.agencyId };
}
