import { shanghaiDate } from '@lianban/clocks';

/**
 * A record's number as officers cite it: kind prefix, region, the year in Shanghai when it was
 * made (a case filed at 07:00 on 1 January is of the new year), and the sequence, e.g.
 * `AJ620702-2027-000042`.
 */
export function recordNumber(prefix: 'XS' | 'YS' | 'AJ', regionCode: string, sequence: number | string, at: Date): string {
  return `${prefix}${regionCode}-${shanghaiDate(at).slice(0, 4)}-${String(sequence).padStart(6, '0')}`;
}
