// Exact sub-millisecond percentiles from per-response timings (autocannon's own histogram is whole ms).
import type { Latency } from '../types.js';

/** Nearest-rank percentile of an ascending-sorted array; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0] as number;
  if (p >= 100) return sorted[sorted.length - 1] as number;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

export function summarize(samplesMs: ArrayLike<number>): Latency {
  const sorted = Float64Array.from(samplesMs).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50_ms: round3(percentileSorted(sorted, 50)),
    p90_ms: round3(percentileSorted(sorted, 90)),
    p99_ms: round3(percentileSorted(sorted, 99)),
    mean_ms: round3(sorted.length === 0 ? Number.NaN : sum / sorted.length),
    count: sorted.length,
  };
}

/** Three decimals = microsecond resolution for values in ms. */
export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * RSS growth per unit of x from the lower envelope: drop the first `skipShare` (start-up growth), split the rest
 * into `windows` slices, fit a line through each slice's minimum. GC sawtooth moves the peaks, a leak the troughs.
 */
export function envelopeSlope(points: readonly { x: number; y: number }[], windows = 5, skipShare = 0.3): number {
  const rest = points.slice(Math.floor(points.length * skipShare));
  const size = Math.floor(rest.length / windows);
  if (size < 1) return slope(rest);
  const mins: { x: number; y: number }[] = [];
  for (let w = 0; w < windows; w++) {
    const slice = rest.slice(w * size, (w + 1) * size);
    let min = slice[0] as { x: number; y: number };
    for (const p of slice) if (p.y < min.y) min = p;
    mins.push(min);
  }
  return slope(mins);
}
