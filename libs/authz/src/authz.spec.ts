import { subject } from '@casl/ability';
import { Actor, AgencyKind, OfficerRole, UNSENT_TRANSFER_STATES } from '@lianban/contracts';
import { defineAbilityFor } from './ability';
import { parentRegion, regionLevel, regionPrefix, regionReaches } from './region';
import { sqlFilter } from './sql';

const officer = (agencyKind: AgencyKind, regionCode: string, roles = [OfficerRole.OFFICER]): Actor => ({ kind: 'officer', id: 'o', agencyId: 'ag-1', agencyKind, regionCode, roles });

describe('jurisdiction by GB/T 2260 code', () => {
  it.each([
    ['620000', 'province', '62', null],
    ['620700', 'city', '6207', '620000'],
    ['620702', 'district', '620702', '620700'],
  ])('%s is a %s reaching codes starting %s, under %s', (code, level, prefix, parent) => {
    expect(regionLevel(code)).toBe(level);
    expect(regionPrefix(code)).toBe(prefix);
    expect(parentRegion(code)).toBe(parent);
  });

  it.each([
    ['620700', '620723', true],
    ['620700', '370102', false],
    ['620702', '620702', true],
    ['620702', '620723', false],
    ['620702', '620700', false],
  ])('%s reaches %s: %s', (actor, target, expected) => {
    expect(regionReaches(actor, target)).toBe(expected);
  });

  it('refuses a code that is not six digits', () => {
    expect(() => regionLevel('62070')).toThrow('GB/T 2260');
  });
});

describe('ability rules', () => {
  it('lets a district officer read agencies of its district and those above it, not another district’s', () => {
    const ability = defineAbilityFor(officer(AgencyKind.POLICE, '620702'));
    expect(ability.can('read', subject('Agency', { regionCode: '620702' }))).toBe(true);
    expect(ability.can('read', subject('Agency', { regionCode: '620723' }))).toBe(false);
    expect(ability.can('read', subject('Agency', { regionCode: '620700' }))).toBe(true);
    expect(ability.can('read', subject('Agency', { regionCode: '620000' }))).toBe(true);
    expect(ability.can('read', subject('Agency', { regionCode: '610000' }))).toBe(false);
    // The leading-group office above is named, but its members and work stay its region's.
    expect(ability.can('read', subject('LeadingGroup', { regionCode: '620700' }))).toBe(false);
  });

  it('lets only an admin open, change and disable officers’ accounts, and only in its own agency', () => {
    const head = defineAbilityFor(officer(AgencyKind.MEDICAL_INSURANCE, '620700', [OfficerRole.HEAD]));
    const admin = defineAbilityFor(officer(AgencyKind.MEDICAL_INSURANCE, '620700', [OfficerRole.ADMIN]));
    for (const action of ['create', 'update', 'disable'] as const) {
      expect(head.can(action, subject('Officer', { agencyId: 'ag-1' }))).toBe(false);
      expect(admin.can(action, subject('Officer', { agencyId: 'ag-1' }))).toBe(true);
      expect(admin.can(action, subject('Officer', { agencyId: 'ag-2' }))).toBe(false);
    }
  });

  it('lets only an agency’s administrator change its contacts, and no other agency’s', () => {
    const admin = defineAbilityFor(officer(AgencyKind.MEDICAL_INSURANCE, '620700', [OfficerRole.ADMIN]));
    expect(admin.can('update', subject('Agency', { id: 'ag-1', regionCode: '620700' }))).toBe(true);
    expect(admin.can('update', subject('Agency', { id: 'ag-2', regionCode: '620700' }))).toBe(false);
    for (const roles of [[OfficerRole.HEAD], [OfficerRole.OFFICER, OfficerRole.LEGAL_REVIEWER]]) {
      expect(defineAbilityFor(officer(AgencyKind.MEDICAL_INSURANCE, '620700', roles)).can('update', subject('Agency', { id: 'ag-1', regionCode: '620700' }))).toBe(false);
    }
  });

  it('shows finance and the court no institution register', () => {
    for (const kind of [AgencyKind.FINANCE, AgencyKind.COURT]) {
      expect(defineAbilityFor(officer(kind, '620700')).can('read', subject('Institution', { regionCode: '620702' }))).toBe(false);
    }
  });

  it('lets an institution read itself and nothing else', () => {
    const ability = defineAbilityFor({ kind: 'institution', id: 'acc', institutionId: 'inst-1' });
    expect(ability.can('read', subject('Institution', { id: 'inst-1' }))).toBe(true);
    expect(ability.can('read', subject('Institution', { id: 'inst-2' }))).toBe(false);
    expect(ability.can('read', 'Agency')).toBe(false);
  });

  it('gives an anonymous caller nothing', () => {
    expect(defineAbilityFor({ kind: 'anonymous', id: 'x' }).can('read', 'Region')).toBe(false);
  });
});

describe('SQL filters from the same rules', () => {
  it('turns a region rule into a parameterised prefix match', () => {
    expect(sqlFilter(defineAbilityFor(officer(AgencyKind.HEALTH, '620700')), 'read', 'LeadingGroup', { regionCode: 'region_code' })).toEqual({
      sql: '((region_code LIKE $1))',
      params: ['6207%'],
    });
  });

  it('numbers parameters after the caller’s own', () => {
    const filter = sqlFilter(defineAbilityFor(officer(AgencyKind.POLICE, '620702')), 'read', 'Officer', { agencyId: 'agency_id' }, 3);
    expect(filter).toEqual({ sql: '((agency_id = $3))', params: ['ag-1'] });
  });

  it('returns null when nothing may be read, so no query runs', () => {
    expect(sqlFilter(defineAbilityFor({ kind: 'institution', id: 'a', institutionId: 'i' }), 'read', 'Agency', { regionCode: 'region_code' })).toBeNull();
  });

  it('fails loudly on a rule field the caller did not map', () => {
    expect(() => sqlFilter(defineAbilityFor(officer(AgencyKind.POLICE, '620702')), 'read', 'Agency', {})).toThrow('No column for rule field "regionCode"');
  });
});

describe('administrative cases', () => {
  const kase = (f: Record<string, unknown> = {}) => subject('Case', { regionCode: '620702', agencyId: 'ag-1', linkedAgencyIds: [], ...f });

  it('lets medical insurance read cases of its jurisdiction and handle only its own', () => {
    const district = defineAbilityFor(officer(AgencyKind.MEDICAL_INSURANCE, '620702'));
    expect(district.can('read', kase())).toBe(true);
    expect(district.can('update', kase())).toBe(true);
    expect(district.can('read', kase({ regionCode: '620723', agencyId: 'ag-9' }))).toBe(false);
    const city = defineAbilityFor({ ...officer(AgencyKind.MEDICAL_INSURANCE, '620700'), agencyId: 'ag-city' });
    expect(city.can('read', kase())).toBe(true);
    expect(city.can('update', kase())).toBe(false);
  });

  it('lets police and the procuratorate read a case only where a transfer links them', () => {
    for (const kind of [AgencyKind.POLICE, AgencyKind.PROCURATORATE]) {
      const ability = defineAbilityFor({ ...officer(kind, '620702'), agencyId: 'police-1' });
      expect(ability.can('read', kase())).toBe(false);
      expect(ability.can('read', kase({ linkedAgencyIds: ['police-1'] }))).toBe(true);
      expect(ability.can('update', kase({ linkedAgencyIds: ['police-1'] }))).toBe(false);
    }
  });

  it('shows the leading-group office its region’s cases, read only, and nothing to finance, the court or institutions', () => {
    const lgo = defineAbilityFor(officer(AgencyKind.LEADING_GROUP_OFFICE, '620700'));
    expect(lgo.can('read', kase())).toBe(true);
    expect(lgo.can('update', kase())).toBe(false);
    for (const kind of [AgencyKind.FINANCE, AgencyKind.COURT, AgencyKind.HEALTH, AgencyKind.MARKET, AgencyKind.DISCIPLINE]) {
      expect(defineAbilityFor(officer(kind, '620700')).can('read', kase({ agencyId: 'ag-1' }))).toBe(false);
    }
    expect(defineAbilityFor({ kind: 'institution', id: 'a', institutionId: 'i' }).can('read', kase())).toBe(false);
  });

  it('filters case lists in SQL, a transfer link as array containment', () => {
    const filter = sqlFilter(defineAbilityFor({ ...officer(AgencyKind.POLICE, '620702'), agencyId: 'police-1' }), 'read', 'Case', { linkedAgencyIds: 'ANY:linked_agency_ids', regionCode: 'region_code', agencyId: 'agency_id' });
    expect(filter).toEqual({ sql: '(($1 = ANY(linked_agency_ids)))', params: ['police-1'] });
    expect(sqlFilter(defineAbilityFor(officer(AgencyKind.FINANCE, '620702')), 'read', 'Case', {})).toBeNull();
  });
});

describe('enforcement work by role', () => {
  const clue = subject('Clue', { regionCode: '620702' });
  it.each([
    [[OfficerRole.OFFICER], true, true, true],
    [[OfficerRole.HEAD], true, true, true],
    [[OfficerRole.COMPLAINT_HANDLER], true, false, false],
    [[OfficerRole.LEGAL_REVIEWER], false, false, false],
    [[OfficerRole.ADMIN], false, false, false],
  ])('a bureau account with roles %j takes clues in: %s, decides on them: %s, drafts transfers: %s', (roles, takesIn, decides, drafts) => {
    const ability = defineAbilityFor(officer(AgencyKind.MEDICAL_INSURANCE, '620702', roles));
    expect(ability.can('read', clue)).toBe(true);
    expect([ability.can('create', clue), ability.can('update', clue), ability.can('create', 'Transfer')]).toEqual([takesIn, decides, drafts]);
  });
});

describe('transfers before they are sent', () => {
  const SENDER = 'mi-ganzhou';
  const ME = 'ag-1';
  /** A transfer from the district bureau to the caller (police station, court…), in the caller's district. */
  const transfer = (state: string, f: Record<string, unknown> = {}) =>
    subject('Transfer', { senderAgencyId: SENDER, receiverHistory: [ME], senderRegionCode: '620702', receiverRegionCode: '620702', route: 'mi_to_police', courtAgencyId: ME, state, escalated: false, ...f });
  const others = Object.values(AgencyKind);

  it.each(UNSENT_TRANSFER_STATES)('lets no agency but the sender read a transfer that is %s', (state) => {
    for (const kind of others) {
      const ability = defineAbilityFor(officer(kind, '620702'));
      expect([kind, ability.can('read', transfer(state))]).toEqual([kind, false]);
    }
    expect(defineAbilityFor({ ...officer(AgencyKind.MEDICAL_INSURANCE, '620702'), agencyId: SENDER }).can('read', transfer(state))).toBe(true);
  });

  it.each([
    [AgencyKind.POLICE, 'the police station it is addressed to'],
    [AgencyKind.PROCURATORATE, 'the procuratorate holding the statutory copy'],
    [AgencyKind.COURT, 'the court it was sent to for trial'],
    [AgencyKind.LEADING_GROUP_OFFICE, 'the leading-group office of the region'],
  ])('lets %s (%s) read it once sent', (kind) => {
    const ability = defineAbilityFor(officer(kind, '620702'));
    for (const state of ['sent', 'received', 'filed', 'judged']) expect(ability.can('read', transfer(state))).toBe(true);
  });

  it('lets the procuratorate holding the statutory copy read a transfer sent to police in another district, once sent', () => {
    // From the Ganzhou bureau (620702) to Linze police (620723): the copy goes to the Ganzhou procuratorate (ME).
    const crossRegion = (state: string) => transfer(state, { receiverHistory: ['police-linze'], receiverRegionCode: '620723', courtAgencyId: undefined, procuratorateAgencyId: ME });
    const copied = defineAbilityFor(officer(AgencyKind.PROCURATORATE, '620702'));
    expect(copied.can('read', crossRegion('sent'))).toBe(true);
    expect(copied.can('read', crossRegion('awaiting_approval'))).toBe(false);
    // Another procuratorate of the sender's district holds no copy; the one where the police sit supervises them.
    expect(defineAbilityFor({ ...officer(AgencyKind.PROCURATORATE, '620702'), agencyId: 'ag-2' }).can('read', crossRegion('sent'))).toBe(false);
    expect(defineAbilityFor({ ...officer(AgencyKind.PROCURATORATE, '620723'), agencyId: 'ag-2' }).can('read', crossRegion('sent'))).toBe(true);
    // Naming the copy holder gives no other agency kind anything.
    for (const kind of [AgencyKind.POLICE, AgencyKind.COURT, AgencyKind.HEALTH, AgencyKind.FINANCE]) expect([kind, defineAbilityFor(officer(kind, '620723')).can('read', crossRegion('sent'))]).toEqual([kind, false]);
  });

  it('shows the leading-group office an unsent transfer only once its deadline was escalated to it, and only in its region', () => {
    const escalated = transfer('awaiting_approval', { escalated: true });
    expect(defineAbilityFor(officer(AgencyKind.LEADING_GROUP_OFFICE, '620700')).can('read', escalated)).toBe(true);
    expect(defineAbilityFor(officer(AgencyKind.LEADING_GROUP_OFFICE, '620723')).can('read', escalated)).toBe(false);
    // The escalation is the office's business, not the receiver's.
    expect(defineAbilityFor(officer(AgencyKind.POLICE, '620702')).can('read', escalated)).toBe(false);
    expect(defineAbilityFor(officer(AgencyKind.PROCURATORATE, '620702')).can('read', escalated)).toBe(false);
  });

  it('filters transfer lists by the same condition in SQL', () => {
    const columns = { senderAgencyId: 'sender_agency_id', receiverHistory: 'ANY:receiver_history', state: 'state' };
    expect(sqlFilter(defineAbilityFor(officer(AgencyKind.POLICE, '620702')), 'read', 'Transfer', columns)).toEqual({
      sql: '(($1 = ANY(receiver_history) AND NOT (state = ANY($2))) OR (sender_agency_id = $3))',
      params: [ME, [...UNSENT_TRANSFER_STATES], ME],
    });
  });
});
