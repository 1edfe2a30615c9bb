// The innermost dispatch: one upstream try. Gives the attempt its context (signal, deadline, firstByte),
// enforces the first-byte timeout and the deadline, logs the outcome and feeds the latency tracker.
import type { AttemptLog } from '../pipeline/seams.js';
import { deadlineExceeded, firstByteTimeout, toAbortReason, toAttemptError } from './route-errors.js';
import type { Dispatch } from './run-state.js';
import { childController } from './run-state.js';

export const attemptCore: Dispatch = async (target, lane) => {
  const { run } = lane;
  const { clock, plan } = run;
  run.attempts++;
  const start = clock.now();
  const ctl = childController(lane.signal);
  const entry: AttemptLog = { targetId: target.id, kind: lane.kind, outcome: 'ok', durationMs: 0 };
  let settled = false;
  const finish = (outcome: AttemptLog['outcome'], error?: AttemptLog['error']) => {
    if (settled) return;
    settled = true;
    cancelTimer();
    entry.outcome = outcome;
    if (error) entry.error = error;
    entry.durationMs = clock.now() - start;
    run.log.push(entry);
  };
  // Logged the moment we abort (not when the attempt gets round to rejecting), so a hedge loser is in the log
  // before the winner's result is returned.
  ctl.signal.addEventListener(
    'abort',
    () => {
      const r = toAbortReason(ctl.signal.reason);
      finish(r.outcome, r.info);
    },
    { once: true },
  );

  let firstByteAt: number | undefined;
  const armTimer = (at: number, reason: () => Error) => clock.schedule(() => ctl.abort(reason()), at - clock.now());
  const fbAt = start + plan.timeouts.firstByteMs;
  let cancelTimer =
    fbAt < run.deadline
      ? armTimer(fbAt, () => firstByteTimeout(plan.timeouts.firstByteMs))
      : armTimer(run.deadline, deadlineExceeded);
  const firstByte = () => {
    if (firstByteAt !== undefined || settled) return;
    firstByteAt = clock.now();
    run.firstByteSeen = true;
    cancelTimer();
    cancelTimer = armTimer(run.deadline, deadlineExceeded);
  };

  try {
    const ctx = { signal: ctl.signal, attemptNumber: run.attempts, kind: lane.kind, deadline: run.deadline, firstByte };
    const value = await run.attempt(target, ctx);
    if (ctl.signal.aborted) throw ctl.signal.reason; // resolved after we gave up on it: not a result
    firstByte();
    finish('ok');
    run.latency.record(target.id, (firstByteAt ?? clock.now()) - start, clock.now());
    return value;
  } catch (err) {
    const e = toAttemptError(err, ctl.signal);
    finish('error', e.info);
    throw e;
  }
};
