/**
 * Money in the console: the API speaks integer fen (分), officers type and read yuan (元). Every
 * conversion goes by the digits, never through floating point.
 */

/** Yuan as typed: up to twelve digits, at most two decimals. */
export const YUAN = /^\d{1,12}(\.\d{1,2})?$/;

/** The same with an optional minus sign, for a correcting (negative) entry. */
export const SIGNED_YUAN = /^-?\d{1,12}(\.\d{1,2})?$/;

/** Yuan as typed ("1234.5", "-0.07") to integer fen (123450, -7), by the digits. */
export function yuanToFen(v: string): number {
  const s = v.trim();
  const negative = s.startsWith('-');
  const [whole, cents = ''] = (negative ? s.slice(1) : s).split('.');
  const fen = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
  return negative && fen ? -fen : fen;
}

/** Integer fen as yuan for an input ("1234.50", "-0.07"). */
export function fenToYuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Integer fen for reading: "¥1,234.50", "-¥0.07"; "—" when there is none. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}¥${Math.trunc(abs / 100).toLocaleString('zh-CN')}.${String(abs % 100).padStart(2, '0')}`;
}
