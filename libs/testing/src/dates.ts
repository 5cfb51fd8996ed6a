/** A date in Asia/Shanghai (YYYY-MM-DD), `days` from today there: the dates officers type. */
export function shanghaiDay(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
