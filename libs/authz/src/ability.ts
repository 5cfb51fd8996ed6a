import { AbilityBuilder, createMongoAbility, MongoAbility, MongoQuery } from '@casl/ability';
import { Actor, AgencyKind, OfficerRole } from '@lianban/contracts';
import { regionPrefix } from './region';

/**
 * The one permission model of the platform (CASL). Every service builds the ability of the
 * caller from the Actor on the message and checks it on every command and query; queries are
 * filtered in SQL from the same rules (see sql.ts). docs/permissions.md states it as a table.
 */
export type Action = 'read' | 'create' | 'update' | 'manage' | 'disable';

export type SubjectName = 'Region' | 'Agency' | 'Officer' | 'Institution' | 'AuditLog' | 'LeadingGroup';

/** The fields rules look at; records are checked with these names. */
export interface Scoped {
  regionCode?: string;
  agencyId?: string;
  institutionId?: string;
  id?: string;
}

export type AppAbility = MongoAbility<[Action, SubjectName | (Scoped & { __typename?: SubjectName })]>;

/** Condition: the record's region is within the actor's jurisdiction. */
function withinRegion(actor: Actor): MongoQuery<Scoped> {
  return actor.regionCode ? { regionCode: { $regex: `^${regionPrefix(actor.regionCode)}` } } : { regionCode: { $in: [] } };
}

export function defineAbilityFor(actor: Actor): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const roles = new Set(actor.roles ?? []);

  if (actor.kind === 'officer' && actor.agencyKind) {
    can('read', 'Region');
    can('read', ['Agency', 'LeadingGroup'], withinRegion(actor));
    can('read', 'Officer', { agencyId: actor.agencyId });
    if (roles.has(OfficerRole.ADMIN)) {
      can(['update', 'disable'], 'Officer', { agencyId: actor.agencyId });
      can('read', 'AuditLog', { agencyId: actor.agencyId });
    }
    switch (actor.agencyKind) {
      case AgencyKind.MEDICAL_INSURANCE:
        can('read', 'Institution', withinRegion(actor));
        can(['create', 'update'], 'Institution', withinRegion(actor));
        break;
      case AgencyKind.HEALTH:
      case AgencyKind.MARKET:
      case AgencyKind.POLICE:
      case AgencyKind.PROCURATORATE:
        can('read', 'Institution', withinRegion(actor));
        break;
      case AgencyKind.LEADING_GROUP_OFFICE:
        // Reads everything in its region across agencies; decides nothing on their behalf.
        can('read', ['Institution', 'Officer'], withinRegion(actor));
        break;
      default:
        // Finance and the court see no institution register: finance verifies invoices only.
        break;
    }
  }

  if (actor.kind === 'institution' && actor.institutionId) {
    can('read', 'Institution', { id: actor.institutionId });
  }

  return build();
}
