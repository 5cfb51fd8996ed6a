import { subject } from '@casl/ability';
import { Actor, AgencyKind, OfficerRole } from '@lianban/contracts';
import { defineAbilityFor } from './ability';
import { sqlFilter } from './sql';

const officer = (agencyKind: AgencyKind, regionCode: string): Actor => ({ kind: 'officer', id: 'o', agencyId: 'ag-1', agencyKind, regionCode, roles: [OfficerRole.OFFICER] });
const institution = (institutionId: string, regionCode: string): Actor => ({ kind: 'institution', id: 'acct', institutionId, regionCode });

const cityMi = officer(AgencyKind.MEDICAL_INSURANCE, '620700');
const ganzhouMi = officer(AgencyKind.MEDICAL_INSURANCE, '620702');
const linzeMi = officer(AgencyKind.MEDICAL_INSURANCE, '620723');
const cityLgo = officer(AgencyKind.LEADING_GROUP_OFFICE, '620700');
const ganzhouPolice = officer(AgencyKind.POLICE, '620702');
const cityFinance = officer(AgencyKind.FINANCE, '620700');
const hospital = institution('inst-1', '620702');

/** A ledger of institution inst-1 in Ganzhou (620702). */
const ledger = subject('Ledger', { regionCode: '620702', institutionId: 'inst-1' });

describe('self-inspection campaigns and ledgers: who may', () => {
  it.each<[string, Actor, boolean, boolean, boolean]>([
    // who, read, review, update (fill in)
    ['the institution itself', hospital, true, false, true],
    ['another institution', institution('inst-2', '620702'), false, false, false],
    ['the district bureau over it', ganzhouMi, true, true, false],
    ['the city bureau over its districts', cityMi, true, true, false],
    ['another district’s bureau', linzeMi, false, false, false],
    ['the city leading-group office (reads only)', cityLgo, true, false, false],
    ['the district police', ganzhouPolice, false, false, false],
    ['city finance', cityFinance, false, false, false],
  ])('%s: read %s, review %s, update %s', (_who, actor, read, review, update) => {
    const ability = defineAbilityFor(actor);
    expect([ability.can('read', ledger), ability.can('review', ledger), ability.can('update', ledger)]).toEqual([read, review, update]);
  });

  it.each<[string, Actor, string, boolean, boolean]>([
    // who, campaign region, read, create
    ['the city bureau, its own city', cityMi, '620700', true, true],
    ['the city bureau, one of its districts', cityMi, '620723', true, true],
    ['a district bureau, the city campaign over it', ganzhouMi, '620700', true, false],
    ['a district bureau, another district', ganzhouMi, '620723', false, false],
    ['the city office', cityLgo, '620700', true, true],
    ['an institution, the city campaign over it', hospital, '620700', true, false],
    ['an institution, another district', hospital, '620723', false, false],
    ['the police', ganzhouPolice, '620702', false, false],
  ])('%s (campaign of %s): read %s, create %s', (_who, actor, regionCode, read, create) => {
    const ability = defineAbilityFor(actor);
    const campaign = subject('Campaign', { regionCode });
    expect([ability.can('read', campaign), ability.can('create', campaign)]).toEqual([read, create]);
  });

  it('filters ledger lists in SQL: an institution its own, a bureau its region, the police nothing', () => {
    const cols = { regionCode: 'region_code', institutionId: 'institution_id' };
    expect(sqlFilter(defineAbilityFor(hospital), 'read', 'Ledger', cols)).toEqual({ sql: '((institution_id = $1))', params: ['inst-1'] });
    expect(sqlFilter(defineAbilityFor(cityMi), 'read', 'Ledger', cols)).toEqual({ sql: '((region_code LIKE $1))', params: ['6207%'] });
    expect(sqlFilter(defineAbilityFor(ganzhouPolice), 'read', 'Ledger', cols)).toBeNull();
  });

  it('filters campaign lists in SQL: within reach, or a region that covers the caller', () => {
    expect(sqlFilter(defineAbilityFor(ganzhouMi), 'read', 'Campaign', { regionCode: 'region_code' })).toEqual({
      sql: '((region_code = ANY($1)) OR (region_code LIKE $2))',
      params: [['620702', '620700', '620000'], '620702%'],
    });
  });
});
