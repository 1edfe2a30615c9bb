// Skips a target whose breaker is open (logged `skipped`, no time spent) and feeds every outcome back to it.
import type { ErrorInfo } from '@switchyard/core';
import type { Verdict } from './breaker.js';
import { BREAKER_FAILURE_CLASSES } from './policy.js';
import { BreakerOpenError, toAttemptError } from './route-errors.js';
import type { Layer } from './run-state.js';

export function verdictOf(error: ErrorInfo | undefined): Verdict {
  if (!error) return 'success';
  return BREAKER_FAILURE_CLASSES.has(error.errorClass) ? 'failure' : 'ignored';
}

export const breakerLayer: Layer = (next) => async (target, lane) => {
  const { breakers, clock, log } = lane.run;
  const permit = breakers.acquire(target.id, clock.now());
  if (permit === 'deny') {
    log.push({ targetId: target.id, kind: 'skipped', outcome: 'skipped', durationMs: 0 });
    throw new BreakerOpenError(target.id, breakers.retryInMs(target.id, clock.now()));
  }
  try {
    const value = await next(target, lane);
    breakers.record(target.id, 'success', clock.now(), permit);
    return value;
  } catch (err) {
    const e = toAttemptError(err);
    breakers.record(target.id, verdictOf(e.info), clock.now(), permit);
    throw e;
  }
};
