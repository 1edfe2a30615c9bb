// Routing policy defaults, as data. Behaviour lives in the small layers; the numbers live here.
import type { ErrorClass, ErrorInfo } from '@switchyard/core';

/**
 * Breakers and latency stats are kept for at most this many target ids: `<provider>/<model>` names come from
 * clients, so the maps must not grow without bound (oldest entries are dropped first).
 */
export const MAX_TRACKED_TARGETS = 4_096;

/** No request may make more upstream attempts than this, whatever the route says. */
export const HARD_ATTEMPT_CAP = 10;

export interface BreakerConfig {
  /** Open after this many failures in a row. */
  consecutiveFailures: number;
  /** Or when the failure rate over the rolling window reaches `errorRate` with at least `minRequests`. */
  windowMs: number;
  minRequests: number;
  errorRate: number;
  /** Open → half-open after this long. */
  coolDownMs: number;
  /** Concurrent probes allowed while half-open. */
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER: BreakerConfig = {
  consecutiveFailures: 5,
  windowMs: 30_000,
  minRequests: 20,
  errorRate: 0.5,
  coolDownMs: 5_000,
  halfOpenProbes: 1,
};

/**
 * Only these count against a target's breaker: upstream trouble, not client cancels or the client's bad input.
 * Not `rate_limited` either: a 429 is the provider pacing us, handled by the rate-limit layer (rate-limits.ts).
 */
export const BREAKER_FAILURE_CLASSES: ReadonlySet<ErrorClass> = new Set<ErrorClass>([
  'quota_exhausted',
  'overloaded',
  'timeout',
  'connection',
  'upstream_5xx',
  'stream_interrupted',
  'invalid_response',
  'unknown',
]);

export interface LatencyConfig {
  /** EWMA smoothing factor for each new sample. */
  alpha: number;
  /** Recent first-byte samples kept per target (for hedge percentiles). */
  window: number;
  /** least-latency: probability of trying a random other target first. */
  exploreRate: number;
  /** least-latency: a target with no sample for this long is treated as unknown (explored first). */
  staleAfterMs: number;
  /** Hedging by percentile needs at least this many samples; below it no percentile hedge fires. */
  minSamplesForPercentile: number;
}

export const DEFAULT_LATENCY: LatencyConfig = {
  alpha: 0.3,
  window: 128,
  exploreRate: 0.05,
  staleAfterMs: 60_000,
  minSamplesForPercentile: 10,
};

/** Move on to the next target? Asks the error, plus the route's extra classes. */
export function fallbackAllowed(info: ErrorInfo, fallbackOn: readonly string[]): boolean {
  return info.fallbackEligible || fallbackOn.includes(info.errorClass);
}
