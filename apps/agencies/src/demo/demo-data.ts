import { AgencyKind, OfficerRole } from '@lianban/contracts';

/** The demo data set `npm start` loads: Zhangye's agencies at city level and in two districts. */
export const DEMO_PASSWORD = 'Lianban@2026';

export interface DemoPlace {
  slug: string;
  regionCode: string;
  /** How agency names start here, e.g. 张掖市 / 甘州区. */
  prefix: string;
}

export const DEMO_PLACES: DemoPlace[] = [
  { slug: 'zhangye', regionCode: '620700', prefix: '张掖市' },
  { slug: 'ganzhou', regionCode: '620702', prefix: '甘州区' },
  { slug: 'linze', regionCode: '620723', prefix: '临泽县' },
];

/** The five agencies of seed 002, then court, market regulation and the leading-group office. */
export const DEMO_KINDS: { kind: AgencyKind; slug: string; name: (p: DemoPlace) => string; onlyAt?: string[] }[] = [
  { kind: AgencyKind.MEDICAL_INSURANCE, slug: 'mi', name: (p) => `${p.prefix}医疗保障局` },
  { kind: AgencyKind.PROCURATORATE, slug: 'procuratorate', name: (p) => `${p.prefix}人民检察院` },
  { kind: AgencyKind.POLICE, slug: 'police', name: (p) => (p.slug === 'ganzhou' ? '张掖市公安局甘州分局' : `${p.prefix}公安局`) },
  { kind: AgencyKind.FINANCE, slug: 'finance', name: (p) => `${p.prefix}财政局` },
  { kind: AgencyKind.HEALTH, slug: 'health', name: (p) => (p.slug === 'zhangye' ? '张掖市卫生健康委员会' : `${p.prefix}卫生健康局`) },
  { kind: AgencyKind.COURT, slug: 'court', name: (p) => (p.slug === 'zhangye' ? '张掖市中级人民法院' : `${p.prefix}人民法院`) },
  { kind: AgencyKind.MARKET, slug: 'market', name: (p) => `${p.prefix}市场监督管理局` },
  { kind: AgencyKind.LEADING_GROUP_OFFICE, slug: 'lgo', name: (p) => `${p.prefix}打击欺诈骗保专项整治行动领导小组办公室` },
  /** Discipline inspection receives clues of corruption (R19); the demo has it at city level. */
  { kind: AgencyKind.DISCIPLINE, slug: 'discipline', name: (p) => `${p.prefix}纪委监委`, onlyAt: ['zhangye'] },
];

/** The agencies of one place. */
export function kindsAt(place: DemoPlace) {
  return DEMO_KINDS.filter((k) => !k.onlyAt || k.onlyAt.includes(place.slug));
}

export interface DemoAccount {
  username: string;
  displayName: string;
  agency: string;
  roles: OfficerRole[];
}

const ROLE_NAMES: Record<string, string> = { officer: '经办人', head: '负责人', complaint_handler: '举报受理', legal_reviewer: '法制审核', admin: '管理员' };

export function demoAccounts(): DemoAccount[] {
  const accounts: DemoAccount[] = [];
  for (const place of DEMO_PLACES) {
    for (const k of kindsAt(place)) {
      // [username suffix, roles]; medical insurance has a second officer, since a transfer to police is written by two.
      const seats: [string, OfficerRole[]][] = [
        ['officer', [OfficerRole.OFFICER]],
        ['head', [OfficerRole.HEAD]],
      ];
      if (k.kind === AgencyKind.MEDICAL_INSURANCE) {
        seats.push(['officer2', [OfficerRole.OFFICER]], ['complaint-handler', [OfficerRole.COMPLAINT_HANDLER]], ['legal-reviewer', [OfficerRole.LEGAL_REVIEWER]], ['admin', [OfficerRole.ADMIN]]);
      }
      for (const [suffix, roles] of seats) {
        const n = suffix.endsWith('2') ? '2' : '';
        accounts.push({ username: `${place.slug}-${k.slug}-${suffix}`, displayName: `${k.name(place)}${ROLE_NAMES[roles[0]]}${n}`, agency: k.name(place), roles });
      }
    }
  }
  return accounts;
}

export interface DemoInstitution {
  code: string;
  name: string;
  kind: 'hospital' | 'pharmacy';
  ownership: 'public' | 'private';
  level: '3' | '2' | '1_or_below';
}

/** Twelve designated institutions (names are illustrative). */
export const DEMO_INSTITUTIONS: DemoInstitution[] = [
  { code: 'H62070200001', name: '张掖市人民医院', kind: 'hospital', ownership: 'public', level: '3' },
  { code: 'H62070200002', name: '张掖市中医医院', kind: 'hospital', ownership: 'public', level: '3' },
  { code: 'H62070200003', name: '甘州区人民医院', kind: 'hospital', ownership: 'public', level: '2' },
  { code: 'H62070200004', name: '张掖康泰医院（示例民营）', kind: 'hospital', ownership: 'private', level: '2' },
  { code: 'H62070200005', name: '甘州区仁和骨科医院（示例民营）', kind: 'hospital', ownership: 'private', level: '1_or_below' },
  { code: 'H62070200006', name: '甘州区百姓大药房（示例）', kind: 'pharmacy', ownership: 'private', level: '1_or_below' },
  { code: 'H62070200007', name: '甘州区惠民药店（示例）', kind: 'pharmacy', ownership: 'private', level: '1_or_below' },
  { code: 'H62072300001', name: '临泽县人民医院', kind: 'hospital', ownership: 'public', level: '2' },
  { code: 'H62072300002', name: '临泽县中医医院', kind: 'hospital', ownership: 'public', level: '2' },
  { code: 'H62072300003', name: '临泽县沙河镇卫生院', kind: 'hospital', ownership: 'public', level: '1_or_below' },
  { code: 'H62072300004', name: '临泽县康源大药房（示例）', kind: 'pharmacy', ownership: 'private', level: '1_or_below' },
  { code: 'H62072300005', name: '临泽县济生堂药店（示例）', kind: 'pharmacy', ownership: 'private', level: '1_or_below' },
];
