/**
 * Jurisdiction by GB/T 2260 code: a province (xx0000) reaches every code of the province, a city
 * (xxxx00) its districts and counties, a district or county only itself.
 */
export const REGION_CODE = /^[1-9]\d{5}$/;

export type RegionLevel = 'province' | 'city' | 'district';

export function regionLevel(code: string): RegionLevel {
  if (!REGION_CODE.test(code)) throw new Error(`"${code}" is not a GB/T 2260 code`);
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'district';
}

/** The code prefix every region within reach of `code` starts with. */
export function regionPrefix(code: string): string {
  switch (regionLevel(code)) {
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    default:
      return code;
  }
}

export function regionReaches(actorRegion: string, target: string): boolean {
  return target.startsWith(regionPrefix(actorRegion));
}

/** The parent of a code in the tree (district → city → province), or null for a province. */
export function parentRegion(code: string): string | null {
  switch (regionLevel(code)) {
    case 'province':
      return null;
    case 'city':
      return `${code.slice(0, 2)}0000`;
    default:
      return `${code.slice(0, 4)}00`;
  }
}

/** The code itself and every code above it: a district, its city, its province. */
export function regionAndAncestors(code: string): string[] {
  const up = parentRegion(code);
  return up ? [code, ...regionAndAncestors(up)] : [code];
}
