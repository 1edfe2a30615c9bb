import type { Cancellation } from '../pipeline/cancellation.js';

// Time is injected so every rule (backoff, deadlines, cool-downs, hedging) can be tested with a fake clock.

export interface Clock {
  /** epoch ms (fractional allowed) */
  now(): number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  // Date.now, not timeOrigin + performance.now(): deadlines start from `req.receivedAt` (wall-clock epoch ms),
  // and the monotonic clock drifts from the wall clock over days of uptime.
  now: Date.now,
  schedule(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/** Resolves after `ms`, or rejects with the cancellation's reason as soon as it aborts. */
export function sleep(clock: Clock, ms: number, cancel: Cancellation): Promise<void> {
  if (cancel.aborted) return Promise.reject(cancel.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (reason: unknown) => {
      unschedule();
      reject(reason);
    };
    const unschedule = clock.schedule(() => {
      cancel.off('abort', onAbort);
      resolve();
    }, ms);
    cancel.once('abort', onAbort);
  });
}
