// Failed console logins per client address: a few tries, then a wait. Bounded memory (oldest address dropped).
export interface LimiterOptions {
  /** failures allowed per window */
  maxFailures?: number;
  windowMs?: number;
  maxAddresses?: number;
  now?: () => number;
}

export class LoginLimiter {
  private readonly seen = new Map<string, { failures: number; windowStart: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(o: LimiterOptions = {}) {
    this.maxFailures = o.maxFailures ?? 5;
    this.windowMs = o.windowMs ?? 60_000;
    this.maxAddresses = o.maxAddresses ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  /** ms to wait before the next try from `addr`, or 0 if it may try now. */
  retryAfterMs(addr: string): number {
    const e = this.seen.get(addr);
    if (!e) return 0;
    const left = e.windowStart + this.windowMs - this.now();
    if (left <= 0) {
      this.seen.delete(addr);
      return 0;
    }
    return e.failures >= this.maxFailures ? left : 0;
  }

  failed(addr: string): void {
    const now = this.now();
    const e = this.seen.get(addr);
    if (e && now < e.windowStart + this.windowMs) {
      e.failures++;
      return;
    }
    if (!e && this.seen.size >= this.maxAddresses) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(addr, { failures: 1, windowStart: now });
  }

  succeeded(addr: string): void {
    this.seen.delete(addr);
  }
}
