// Retries on the same target: only `retryable` errors, full-jitter exponential backoff, `retryAfterMs` honoured
// but never past the deadline (then we give up here and let fallback move on), capped by the policy and the
// request-wide attempt cap. A Retry-After longer than the route's maxDelayMs moves on at once when another
// target is left (waiting would be slower than falling back); with no target left it is honoured.
import type { ErrorInfo } from '@switchyard/core';
import type { RetryPolicy } from '../pipeline/seams.js';
import { sleep } from './clock.js';
import { toAttemptError } from './route-errors.js';
import type { Layer } from './run-state.js';

/** Full jitter: uniform in [0, min(max, base · 2^(retryIndex-1))]. retryIndex is 1 for the first retry. */
export function backoffMs(policy: RetryPolicy, retryIndex: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryIndex - 1));
  return Math.floor(random() * ceiling);
}

/** The wait before the next try: the server's Retry-After when it gave one, else backoff. */
export function retryDelayMs(info: ErrorInfo, policy: RetryPolicy, retryIndex: number, random: () => number): number {
  return info.retryAfterMs !== undefined ? Math.max(0, info.retryAfterMs) : backoffMs(policy, retryIndex, random);
}

export const retryLayer: Layer = (next) => async (target, lane) => {
  const { run } = lane;
  const policy = run.plan.retry;
  for (let tries = 1; ; tries++) {
    try {
      return await next(target, lane);
    } catch (err) {
      const e = toAttemptError(err);
      if (e.committed || !e.info.retryable || tries >= policy.maxAttempts || run.attempts >= run.attemptCap) throw e;
      const wait = retryDelayMs(e.info, policy, tries, run.random);
      if (run.clock.now() + wait >= run.deadline) throw e;
      // The server asks for a longer pause than this route would ever back off: another target is the faster way.
      if (wait > policy.maxDelayMs && lane.queue.remaining() > 0) throw e;
      const sleptFrom = run.clock.now();
      try {
        await sleep(run.clock, wait, lane.cancel);
      } catch {
        throw e; // cancelled or deadline while waiting: the last real error stands
      } finally {
        run.waitMs += run.clock.now() - sleptFrom;
      }
      lane.kind = 'retry';
    }
  }
};
