// Rate limits are not outages. A 429 that says when to come back (Retry-After, retry-after-ms, Gemini RetryInfo)
// marks its target rate-limited until then: routing skips it while another target can serve, and when none can
// the client gets the 429 at once with a `retry-after` (no upstream call, no sleeping the request). The breaker
// never counts a 429 (see BREAKER_FAILURE_CLASSES), so a 429 burst cannot turn into 503s.
import { AttemptError } from '../pipeline/seams.js';
import { evictOldest } from './breaker.js';
import { toAttemptError } from './route-errors.js';
import type { Layer } from './run-state.js';

export interface RateLimitSnapshot {
  targetId: string;
  /** epoch ms when the target may be called again */
  until: number;
}

export class RateLimitRegistry {
  private readonly until = new Map<string, number>();

  mark(targetId: string, until: number): void {
    this.until.delete(targetId); // re-insert: eviction drops the oldest mark first
    evictOldest(this.until);
    this.until.set(targetId, until);
  }

  /** ms until the target may be called again; 0 when it is not rate-limited. */
  waitMs(targetId: string, now: number): number {
    const until = this.until.get(targetId);
    if (until === undefined) return 0;
    if (until <= now) {
      this.until.delete(targetId);
      return 0;
    }
    return until - now;
  }

  snapshot(now: number): RateLimitSnapshot[] {
    const out: RateLimitSnapshot[] = [];
    for (const [targetId, until] of this.until) if (until > now) out.push({ targetId, until });
    return out;
  }
}

/** Thrown instead of calling a rate-limited target: falls back, or reaches the client as a 429 with retry-after. */
export class RateLimitedSkip extends AttemptError {
  constructor(targetId: string, waitMs: number) {
    super({
      errorClass: 'rate_limited',
      retryable: false,
      fallbackEligible: true,
      status: 429,
      retryAfterMs: waitMs,
      message: `${targetId} is rate-limited for another ${Math.ceil(waitMs / 1000)} s`,
    });
  }
}

export const rateLimitLayer: Layer = (next) => async (target, lane) => {
  const { run } = lane;
  const limits = run.rateLimits;
  const wait = limits.waitMs(target.id, run.clock.now());
  if (wait > 0) {
    run.log.push({ targetId: target.id, kind: 'skipped', outcome: 'skipped', durationMs: 0 });
    throw new RateLimitedSkip(target.id, wait);
  }
  try {
    return await next(target, lane);
  } catch (err) {
    const e = toAttemptError(err);
    const after = e.info.retryAfterMs;
    if (e.info.errorClass === 'rate_limited' && !e.committed && after !== undefined && after > 0)
      limits.mark(target.id, run.clock.now() + after);
    throw e;
  }
};
