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

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(signal.reason);
    };
    const cancel = clock.schedule(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
