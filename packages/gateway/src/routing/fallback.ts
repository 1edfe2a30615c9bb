// A lane walks the ordered targets: on a failure that allows fallback (and before anything was committed to the
// client) it takes the next target from the shared queue. Hedge lanes share the queue, so no target runs twice.
import type { RouteTarget } from '../pipeline/seams.js';
import { AttemptError } from '../pipeline/seams.js';
import { fallbackAllowed } from './policy.js';
import { BreakerOpenError, deadlineExceeded, noTargets, toAbortReason, toAttemptError } from './route-errors.js';
import type { Dispatch, Lane } from './run-state.js';

export interface LaneWin<T> {
  value: T;
  target: RouteTarget;
}

/** Rejects with the AttemptError the client should see (skips only when nothing real was tried). */
export async function runLane<T>(dispatch: Dispatch, lane: Lane<T>): Promise<LaneWin<T>> {
  const { run, queue } = lane;
  let last: AttemptError | undefined;
  let skipped: AttemptError | undefined;
  for (let target = queue.next(); target; target = queue.next()) {
    if (lane.cancel.aborted) break;
    if (run.attempts >= run.attemptCap) break;
    if (run.clock.now() >= run.deadline) {
      last ??= toAttemptError(deadlineExceeded());
      break;
    }
    try {
      return { value: await dispatch(target, lane), target };
    } catch (err) {
      const e = toAttemptError(err);
      if (e instanceof BreakerOpenError) skipped = e;
      else last = e;
      if (e.committed || !fallbackAllowed(e.info, run.plan.fallbackOn)) throw e;
      lane.kind = 'fallback';
    }
  }
  if (last) throw last;
  if (lane.cancel.aborted) throw toAttemptError(toAbortReason(lane.cancel.reason), lane.cancel);
  throw skipped ?? new AttemptError(noTargets(run.plan.name));
}
