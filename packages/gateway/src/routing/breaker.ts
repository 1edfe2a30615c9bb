// One circuit breaker per target id: closed → open (N consecutive failures, or error rate over a rolling window
// with a minimum volume) → half-open after a cool-down (limited probes) → closed on a probe success.

import type { BreakerConfig } from './policy.js';
import { MAX_TRACKED_TARGETS } from './policy.js';

export type BreakerState = 'closed' | 'half-open' | 'open';

/** Metric encoding: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_CODE: Record<BreakerState, 0 | 1 | 2> = { closed: 0, 'half-open': 1, open: 2 };

export interface BreakerSnapshot {
  targetId: string;
  state: BreakerState;
  stateCode: 0 | 1 | 2;
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
  /** epoch ms when it last opened */
  openedAt?: number;
}

const BUCKETS = 10;

interface Breaker {
  state: BreakerState;
  consecutive: number;
  openedAt: number;
  probes: number;
  /** Rolling window as BUCKETS time slices: [sliceIndex, requests, failures]. */
  slices: Array<[number, number, number]>;
}

export type Verdict = 'success' | 'failure' | 'ignored';
export type Permit = 'pass' | 'probe' | 'deny';

export class BreakerRegistry {
  private readonly byId = new Map<string, Breaker>();
  private readonly sliceMs: number;

  constructor(
    private readonly cfg: BreakerConfig,
    private readonly onChange: (targetId: string, state: BreakerState) => void = () => {},
  ) {
    this.sliceMs = Math.max(1, cfg.windowMs / BUCKETS);
  }

  /** May we call this target now? `probe` takes one of the half-open slots; pass it back to `record`. */
  acquire(targetId: string, now: number): Permit {
    const b = this.byId.get(targetId);
    if (!b || b.state === 'closed') return 'pass';
    if (b.state === 'open') {
      if (now - b.openedAt < this.cfg.coolDownMs) return 'deny';
      this.move(targetId, b, 'half-open');
      b.probes = 0;
    }
    if (b.probes >= this.cfg.halfOpenProbes) return 'deny';
    b.probes++;
    return 'probe';
  }

  /** Outcome of a call. `permit` is what `acquire` returned (`pass` for late reports of committed streams). */
  record(targetId: string, verdict: Verdict, now: number, permit: Permit = 'pass'): void {
    const b = this.get(targetId);
    if (permit === 'probe' && b.state === 'half-open') b.probes = Math.max(0, b.probes - 1);
    if (b.state === 'open' && permit !== 'probe') return; // late news while open changes nothing
    if (verdict === 'ignored') return;
    const slice = this.slice(b, now);
    slice[1]++;
    if (verdict === 'success') {
      b.consecutive = 0;
      if (b.state === 'half-open') this.close(targetId, b);
      return;
    }
    slice[2]++;
    b.consecutive++;
    if (b.state === 'half-open' || (b.state === 'closed' && this.shouldTrip(b, now))) {
      b.openedAt = now;
      this.move(targetId, b, 'open');
    }
  }

  /** ms until an open breaker lets a probe through (half-open and busy: one cool-down). */
  retryInMs(targetId: string, now: number): number {
    const b = this.byId.get(targetId);
    if (!b || b.state === 'closed') return 0;
    if (b.state === 'open') return Math.max(0, this.cfg.coolDownMs - (now - b.openedAt));
    return this.cfg.coolDownMs;
  }

  snapshot(now: number): BreakerSnapshot[] {
    return [...this.byId].map(([targetId, b]) => {
      const [requests, failures] = this.windowTotals(b, now);
      const state = b.state === 'open' && now - b.openedAt >= this.cfg.coolDownMs ? 'half-open' : b.state;
      return {
        targetId,
        state,
        stateCode: BREAKER_STATE_CODE[state],
        consecutiveFailures: b.consecutive,
        windowRequests: requests,
        windowFailures: failures,
        ...(b.state === 'closed' ? {} : { openedAt: b.openedAt }),
      };
    });
  }

  private shouldTrip(b: Breaker, now: number): boolean {
    if (b.consecutive >= this.cfg.consecutiveFailures) return true;
    const [requests, failures] = this.windowTotals(b, now);
    return requests >= this.cfg.minRequests && failures / requests >= this.cfg.errorRate;
  }

  private windowTotals(b: Breaker, now: number): [number, number] {
    const oldest = Math.floor(now / this.sliceMs) - BUCKETS + 1;
    let requests = 0;
    let failures = 0;
    for (const s of b.slices) {
      if (s && s[0] >= oldest) {
        requests += s[1];
        failures += s[2];
      }
    }
    return [requests, failures];
  }

  private slice(b: Breaker, now: number): [number, number, number] {
    const idx = Math.floor(now / this.sliceMs);
    const pos = idx % BUCKETS;
    let s = b.slices[pos];
    if (!s || s[0] !== idx) {
      s = [idx, 0, 0];
      b.slices[pos] = s;
    }
    return s;
  }

  private close(targetId: string, b: Breaker): void {
    b.slices = [];
    b.consecutive = 0;
    this.move(targetId, b, 'closed');
  }

  private move(targetId: string, b: Breaker, state: BreakerState): void {
    b.state = state;
    this.onChange(targetId, state);
  }

  private get(targetId: string): Breaker {
    let b = this.byId.get(targetId);
    if (!b) {
      b = { state: 'closed', consecutive: 0, openedAt: 0, probes: 0, slices: [] };
      evictOldest(this.byId);
      this.byId.set(targetId, b);
    }
    return b;
  }
}

/** Keeps a per-target map under MAX_TRACKED_TARGETS by dropping its oldest entry. */
export function evictOldest(map: Map<string, unknown>): void {
  if (map.size < MAX_TRACKED_TARGETS) return;
  const oldest = map.keys().next();
  if (!oldest.done) map.delete(oldest.value);
}
