// Errors the executor itself produces (deadline, first-byte timeout, cancel, open breakers), and the one
// normaliser that turns anything an attempt throws into an AttemptError.
import type { ErrorInfo } from '@switchyard/core';
import type { AbortState } from '../pipeline/cancellation.js';
import { AttemptError } from '../pipeline/seams.js';

/** Used as an AbortSignal reason so the attempt's failure is classified by why *we* aborted it. */
export class AbortReason extends Error {
  constructor(
    readonly info: ErrorInfo,
    /** `cancelled` attempts are logged as such and never count against a breaker. */
    readonly outcome: 'error' | 'cancelled',
  ) {
    super(info.message);
    this.name = 'AbortReason';
  }
}

export const firstByteTimeout = (ms: number) =>
  new AbortReason(
    { errorClass: 'timeout', retryable: true, fallbackEligible: true, message: `no first byte within ${ms} ms` },
    'error',
  );

export const deadlineExceeded = () =>
  new AbortReason(
    { errorClass: 'timeout', retryable: false, fallbackEligible: false, message: 'request deadline exceeded' },
    'error',
  );

export const hedgeLost = () =>
  new AbortReason(
    { errorClass: 'cancelled', retryable: false, fallbackEligible: false, message: 'a hedged sibling won' },
    'cancelled',
  );

export const clientCancelled = () =>
  new AbortReason(
    { errorClass: 'cancelled', retryable: false, fallbackEligible: false, message: 'client closed the request' },
    'cancelled',
  );

/** Thrown instead of calling a target whose breaker is open. Moves on to the next target. */
export class BreakerOpenError extends AttemptError {
  /** `retryInMs`: until the breaker lets a probe through; the client's `retry-after` when every target is open. */
  constructor(targetId: string, retryInMs?: number) {
    super({
      errorClass: 'overloaded',
      retryable: false,
      fallbackEligible: true,
      message: `circuit breaker open for ${targetId}`,
      ...(retryInMs !== undefined && { retryAfterMs: Math.max(1000, retryInMs) }),
    });
  }
}

export const noTargets = (route: string): ErrorInfo => ({
  errorClass: 'overloaded',
  retryable: false,
  fallbackEligible: false,
  message: `no available target for route ${route}`,
});

export function toAbortReason(reason: unknown): AbortReason {
  return reason instanceof AbortReason ? reason : clientCancelled();
}

/** Anything an attempt threw → AttemptError. If we aborted the attempt, our reason decides the class. */
export function toAttemptError(err: unknown, signal?: AbortState): AttemptError {
  if (err instanceof AttemptError && (err.committed || !signal?.aborted)) return err;
  if (signal?.aborted) return new AttemptError(toAbortReason(signal.reason).info);
  if (err instanceof AbortReason) return new AttemptError(err.info);
  const message = err instanceof Error ? err.message : String(err);
  return new AttemptError({ errorClass: 'unknown', retryable: false, fallbackEligible: false, message });
}
