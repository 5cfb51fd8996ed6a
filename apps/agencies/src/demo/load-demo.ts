import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { AgencyKind } from '@lianban/contracts';
import { parentRegion, regionLevel } from '@lianban/authz';
import { REGIONS } from '../regions/regions.data';
import { DEMO_INSTITUTIONS, DEMO_PASSWORD, DEMO_PLACES, demoAccounts, kindsAt } from './demo-data';

/** Loads the regions and the demo data set. Idempotent: running it again changes nothing. */
export async function loadDemo(ds: DataSource): Promise<{ accounts: number }> {
  const hash = await argon2.hash(DEMO_PASSWORD);
  return ds.transaction(async (m) => {
    for (const [code, name] of REGIONS) {
      await m.query(`INSERT INTO region (code, name, level, parent_code) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING`, [code, name, regionLevel(code), parentRegion(code)]);
    }
    const agencyIds = new Map<string, string>();
    for (const place of DEMO_PLACES) {
      const byKind = new Map<AgencyKind, string>();
      for (const k of kindsAt(place)) {
        const parent = k.kind === AgencyKind.LEADING_GROUP_OFFICE ? byKind.get(AgencyKind.MEDICAL_INSURANCE) : undefined;
        const [row] = await m.query(
          `INSERT INTO agency (kind, name, region_code, parent_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
          [k.kind, k.name(place), place.regionCode, parent ?? null],
        );
        byKind.set(k.kind, row.id);
        agencyIds.set(k.name(place), row.id);
      }
      // Annex 5 of seed 002: the leading group, its office in the medical-insurance bureau, its members.
      const [body] = await m.query(
        `INSERT INTO joint_body (kind, name, region_code, office_agency_id)
         SELECT 'leading_group', $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM joint_body WHERE name = $1) RETURNING id`,
        [`${place.prefix}打击欺诈骗保专项整治行动领导小组`, place.regionCode, byKind.get(AgencyKind.LEADING_GROUP_OFFICE)],
      );
      if (body) {
        const members: [AgencyKind, 'leader' | 'deputy_leader' | 'member', string][] = [
          [AgencyKind.MEDICAL_INSURANCE, 'leader', '医疗保障局局长'],
          [AgencyKind.MEDICAL_INSURANCE, 'deputy_leader', '医疗保障局副局长'],
          [AgencyKind.PROCURATORATE, 'deputy_leader', '人民检察院副检察长'],
          [AgencyKind.POLICE, 'deputy_leader', '公安局党委委员'],
          [AgencyKind.FINANCE, 'deputy_leader', '财政局副局长'],
          [AgencyKind.HEALTH, 'deputy_leader', '卫生健康部门副主任'],
          [AgencyKind.MEDICAL_INSURANCE, 'member', '基金监管科负责人'],
          [AgencyKind.PROCURATORATE, 'member', '第一检察部主任'],
          [AgencyKind.POLICE, 'member', '刑警支队副支队长'],
          [AgencyKind.FINANCE, 'member', '社会保险管理中心主任'],
          [AgencyKind.HEALTH, 'member', '医政医管科科长'],
        ];
        for (const [kind, position, title] of members) {
          await m.query(`INSERT INTO joint_body_member (body_id, agency_id, position, title) VALUES ($1, $2, $3, $4)`, [body.id, byKind.get(kind), position, title]);
        }
      }
    }
    for (const i of DEMO_INSTITUTIONS) {
      await m.query(
        `INSERT INTO institution (code, name, kind, ownership, level, region_code) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
        [i.code, i.name, i.kind, i.ownership, i.level, i.code.slice(1, 7)],
      );
    }
    const accounts = demoAccounts();
    for (const a of accounts) {
      await m.query(
        `INSERT INTO account (kind, username, display_name, password_hash, agency_id, roles) VALUES ('officer', $1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING`,
        [a.username, a.displayName, hash, agencyIds.get(a.agency), a.roles],
      );
    }
    // One self-inspection portal account per institution, named after its code.
    for (const i of DEMO_INSTITUTIONS) {
      await m.query(
        `INSERT INTO account (kind, username, display_name, password_hash, institution_id)
         SELECT 'institution', $1, $2, $3, id FROM institution WHERE code = $4 ON CONFLICT (username) DO NOTHING`,
        [i.code.toLowerCase(), i.name, hash, i.code],
      );
    }
    return { accounts: accounts.length + DEMO_INSTITUTIONS.length };
  });
}
