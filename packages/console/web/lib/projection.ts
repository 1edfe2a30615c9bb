// Burn rate and the projected month-end spend, in integer nano-USD, from month-to-date spend (UTC months, as
// the ledger's periods).
const DAY_MS = 86_400_000;
/** Projections from less than this much of the month would swing wildly: treat the elapsed time as at least 1 h. */
const MIN_ELAPSED_MS = 3_600_000;

export function monthBounds(now: number): { start: number; end: number } {
  const d = new Date(now);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { start, end };
}

export const dayStart = (now: number) => Math.floor(now / DAY_MS) * DAY_MS;

export interface Projection {
  /** average spend per day so far this month */
  burnPerDayNanos: bigint;
  /** month-to-date spend continued at that rate to the month's end */
  projectedNanos: bigint;
}

export function projectMonth(monthToDateNanos: bigint, now: number): Projection {
  const { start, end } = monthBounds(now);
  const elapsed = BigInt(Math.max(now - start, MIN_ELAPSED_MS));
  return {
    burnPerDayNanos: (monthToDateNanos * BigInt(DAY_MS)) / elapsed,
    projectedNanos: (monthToDateNanos * BigInt(end - start)) / elapsed,
  };
}

/** Error rate as a percentage string with one decimal, or `—` without calls. */
export function errorRate(calls: number, errors: number): string {
  if (calls === 0) return '—';
  return `${((errors * 100) / calls).toFixed(1)} %`;
}
