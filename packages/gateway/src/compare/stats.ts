// Small pure statistics for reports: nearest-rank percentiles and means over what was measured.

/** Nearest-rank percentile (p in 0..100) of the values; undefined for an empty list. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

export function sumBig(values: readonly bigint[]): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}

/** bigint mean, rounded half up (money per prompt stays integer nano-USD). */
export function meanBig(values: readonly bigint[]): bigint | undefined {
  if (values.length === 0) return undefined;
  const n = BigInt(values.length);
  return (sumBig(values) * 2n + n) / (2n * n);
}

export const round = (n: number | undefined, digits = 1): number | undefined =>
  n === undefined ? undefined : Math.round(n * 10 ** digits) / 10 ** digits;
