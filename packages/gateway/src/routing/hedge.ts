// Hedging: if no attempt has produced a first byte after the hedge delay, a second lane starts on the next
// target. The first success wins; the other lane is aborted (its upstream torn down, its attempt logged
// `cancelled`). A failure in one lane waits for the other before giving up.
import { Cancellation } from '../pipeline/cancellation.js';
import type { AttemptError, RoutePlan } from '../pipeline/seams.js';
import type { LaneWin } from './fallback.js';
import { runLane } from './fallback.js';
import type { LatencyTracker } from './latency.js';
import { hedgeLost } from './route-errors.js';
import type { Dispatch, Lane, Run, TargetQueue } from './run-state.js';

/** Delay before hedging, or undefined when the plan has no hedge or no percentile is known yet. */
export function hedgeDelayMs(plan: RoutePlan, latency: LatencyTracker, firstTargetId: string): number | undefined {
  const h = plan.hedge;
  if (!h) return undefined;
  const fromPercentile =
    h.afterPercentile !== undefined ? latency.percentile(firstTargetId, h.afterPercentile) : undefined;
  return fromPercentile ?? h.afterMs;
}

export function runHedged<T>(
  run: Run<T>,
  queue: TargetQueue,
  dispatch: Dispatch,
  delayMs: number,
): Promise<LaneWin<T>> {
  return new Promise((resolve, reject) => {
    const lanes: Cancellation[] = [];
    let pending = 0;
    let done = false;
    let primaryError: AttemptError | undefined;
    let otherError: AttemptError | undefined;

    const settle = (winner: Cancellation | undefined, fn: () => void) => {
      done = true;
      cancelTimer();
      for (const ctl of lanes) if (ctl !== winner) ctl.abort(hedgeLost());
      fn();
    };
    const start = (kind: Lane<T>['kind']) => {
      const ctl = Cancellation.following(run.cancel);
      lanes.push(ctl);
      pending++;
      runLane(dispatch, { run, cancel: ctl, kind, queue }).then(
        (win) => {
          if (!done) settle(ctl, () => resolve(win));
        },
        (err: AttemptError) => {
          pending--;
          if (kind === 'primary') primaryError = err;
          else otherError = err;
          if (done) return;
          // Bytes already reached the client, or nobody left to win: give the client the most telling error.
          if (err.committed) settle(undefined, () => reject(err));
          else if (pending === 0) settle(undefined, () => reject(primaryError ?? otherError));
        },
      );
    };

    const cancelTimer = run.clock.schedule(() => {
      if (!done && !run.firstByteSeen && !run.cancel.aborted && queue.remaining() > 0) start('hedge');
    }, delayMs);
    start('primary');
  });
}
