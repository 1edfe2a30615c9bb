// Per-target latency memory: an EWMA of first-byte latency (least-latency, cheapest tie-break) and a ring of
// recent samples (hedge percentiles). Bounded memory per target.
import { evictOldest } from './breaker.js';
import type { LatencyConfig } from './policy.js';

export interface LatencyStat {
  targetId: string;
  ewmaMs: number;
  samples: number;
  p50Ms: number;
  p95Ms: number;
  lastSampleAt: number;
}

interface Entry {
  ewma: number;
  ring: number[];
  next: number;
  count: number;
  lastAt: number;
}

export class LatencyTracker {
  private readonly byId = new Map<string, Entry>();

  constructor(private readonly cfg: LatencyConfig) {}

  record(targetId: string, ms: number, at: number): void {
    const e = this.byId.get(targetId);
    if (!e) {
      evictOldest(this.byId);
      this.byId.set(targetId, { ewma: ms, ring: [ms], next: 1 % this.cfg.window, count: 1, lastAt: at });
      return;
    }
    e.ewma += this.cfg.alpha * (ms - e.ewma);
    e.ring[e.next] = ms;
    e.next = (e.next + 1) % this.cfg.window;
    e.count++;
    e.lastAt = at;
  }

  /** EWMA, or undefined when never seen or stale (so strategies explore it). */
  ewma(targetId: string, now: number): number | undefined {
    const e = this.byId.get(targetId);
    if (!e || now - e.lastAt > this.cfg.staleAfterMs) return undefined;
    return e.ewma;
  }

  /** p-th percentile of recent samples, or undefined with too few samples. */
  percentile(targetId: string, p: number): number | undefined {
    const e = this.byId.get(targetId);
    if (!e || e.ring.length < this.cfg.minSamplesForPercentile) return undefined;
    return percentileOf(e.ring, p);
  }

  stats(): LatencyStat[] {
    return [...this.byId].map(([targetId, e]) => ({
      targetId,
      ewmaMs: e.ewma,
      samples: e.count,
      p50Ms: percentileOf(e.ring, 50),
      p95Ms: percentileOf(e.ring, 95),
      lastSampleAt: e.lastAt,
    }));
  }
}

/** Nearest-rank percentile. */
export function percentileOf(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
