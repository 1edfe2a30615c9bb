// The admin API's spend series (one row per bucket and group) → columns for a uPlot chart, plus totals.
import { nanosToChartUsd, usdToNanos } from './money.js';

export interface SeriesRow {
  bucket: string;
  requests: number;
  errors: number;
  cost_usd: string;
  [group: string]: string | number;
}

export interface ChartData {
  /** bucket starts, epoch seconds */
  x: number[];
  groups: string[];
  /** one column per group, USD (floats for drawing) */
  y: number[][];
}

/** Every bucket from `from` to `to` (so days without calls draw as 0), groups sorted by total cost. */
export function toChart(rows: SeriesRow[], groupKey: string, from: number, to: number, bucketMs: number): ChartData {
  const x: number[] = [];
  for (let t = Math.floor(from / bucketMs) * bucketMs; t < to && x.length < 1000; t += bucketMs) x.push(t / 1000);
  const index = new Map(x.map((t, i) => [t, i]));
  const totals = new Map<string, bigint>();
  for (const r of rows) {
    const g = String(r[groupKey] ?? '') || '(none)';
    totals.set(g, (totals.get(g) ?? 0n) + usdToNanos(r.cost_usd));
  }
  const groups = [...totals.keys()].sort((a, b) => {
    const d = (totals.get(b) ?? 0n) - (totals.get(a) ?? 0n);
    return d > 0n ? 1 : d < 0n ? -1 : a.localeCompare(b);
  });
  const cols = new Map(groups.map((g) => [g, new Array<bigint>(x.length).fill(0n)]));
  for (const r of rows) {
    const i = index.get(Date.parse(r.bucket) / 1000);
    const col = cols.get(String(r[groupKey] ?? '') || '(none)');
    if (i !== undefined && col) col[i] = (col[i] ?? 0n) + usdToNanos(r.cost_usd);
  }
  return { x, groups, y: groups.map((g) => (cols.get(g) ?? []).map(nanosToChartUsd)) };
}

export interface Totals {
  costNanos: bigint;
  calls: number;
  errors: number;
}

/** Cost, calls and errors of the rows whose bucket starts at or after `since` (epoch ms). */
export function totalsSince(rows: SeriesRow[], since: number): Totals {
  const t: Totals = { costNanos: 0n, calls: 0, errors: 0 };
  for (const r of rows) {
    if (Date.parse(r.bucket) < since) continue;
    t.costNanos += usdToNanos(r.cost_usd);
    t.calls += r.requests;
    t.errors += r.errors;
  }
  return t;
}
