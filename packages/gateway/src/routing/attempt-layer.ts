// The innermost dispatch: one upstream try. Gives the attempt its context (signal, deadline, firstByte),
// enforces the first-byte timeout and the deadline, logs the outcome and feeds the latency tracker.
// Hot path: one Cancellation (no AbortSignal unless someone reads `signal`), one listener and one timer per
// attempt, and methods rather than per-call closures (AbortSignals and closures are the measurable costs here).
import { Cancellation } from '../pipeline/cancellation.js';
import type { AttemptContext, AttemptLog, RouteTarget } from '../pipeline/seams.js';
import { deadlineExceeded, firstByteTimeout, toAbortReason, toAttemptError } from './route-errors.js';
import type { Dispatch, Lane, Run } from './run-state.js';

class AttemptState<T> implements AttemptContext {
  readonly cancel = new Cancellation();
  readonly attemptNumber: number;
  readonly kind: AttemptContext['kind'];
  readonly deadline: number;
  private readonly run: Run<T>;
  private readonly start: number;
  private readonly firstByteDue: number;
  private readonly entry: AttemptLog;
  private settled = false;
  private firstByteAt: number | undefined;
  private cancelTimer: () => void;

  constructor(
    readonly target: RouteTarget,
    lane: Lane<T>,
  ) {
    this.run = lane.run;
    this.attemptNumber = ++this.run.attempts;
    this.kind = lane.kind;
    this.deadline = this.run.deadline;
    this.start = this.run.clock.now();
    this.entry = { targetId: target.id, kind: lane.kind, outcome: 'ok', durationMs: 0 };
    this.firstByteDue = this.start + this.run.plan.timeouts.firstByteMs;
    this.cancelTimer =
      this.firstByteDue < this.deadline ? this.arm(this.firstByteDue, true) : this.arm(this.deadline, false);
    // Stays attached after success: a client disconnect must still tear down the winner's upstream stream.
    const parent = lane.cancel;
    if (parent.aborted) this.abort(parent.reason);
    else parent.once('abort', (reason: unknown) => this.abort(reason));
  }

  /** An AbortSignal for the attempt, created on first read (the gateway's own attempts use `cancel`). */
  get signal(): AbortSignal {
    return this.cancel.signal;
  }

  /** Arrow so the pipeline may pass `ctx.firstByte` around unbound. */
  firstByte = (): void => {
    if (this.firstByteAt !== undefined || this.settled) return;
    this.firstByteAt = this.run.clock.now();
    this.run.firstByteSeen = true;
    if (this.firstByteDue < this.deadline) {
      this.cancelTimer();
      this.cancelTimer = this.arm(this.deadline, false);
    }
  };

  succeeded(): void {
    this.firstByte();
    this.finish('ok');
    const now = this.run.clock.now();
    this.run.latency.record(this.target.id, (this.firstByteAt ?? now) - this.start, now);
  }

  failed(err: unknown) {
    const e = toAttemptError(err, this.cancel);
    this.finish('error', e.info);
    // A timeout is a latency sample too (a lower bound): least-latency must not keep ranking a hanging target
    // as "never measured, try it first".
    if (e.info.errorClass === 'timeout') {
      const now = this.run.clock.now();
      this.run.latency.record(this.target.id, now - this.start, now);
    }
    return e;
  }

  /** Logged the moment we abort, so a hedge loser is in the log before the winner's result is returned. */
  private abort(reason: unknown): void {
    if (this.cancel.aborted) return;
    this.cancel.abort(reason);
    const r = toAbortReason(reason);
    this.finish(r.outcome, r.info);
  }

  private arm(at: number, firstByte: boolean): () => void {
    const ms = this.run.plan.timeouts.firstByteMs;
    return this.run.clock.schedule(
      () => this.abort(firstByte ? firstByteTimeout(ms) : deadlineExceeded()),
      at - this.run.clock.now(),
    );
  }

  private finish(outcome: AttemptLog['outcome'], error?: AttemptLog['error']): void {
    if (this.settled) return;
    this.settled = true;
    this.cancelTimer();
    this.entry.outcome = outcome;
    if (error) this.entry.error = error;
    this.entry.durationMs = this.run.clock.now() - this.start;
    this.run.log.push(this.entry);
  }
}

export const attemptCore: Dispatch = async (target, lane) => {
  const state = new AttemptState(target, lane);
  try {
    const value = await lane.run.attempt(target, state);
    if (state.cancel.aborted) throw state.cancel.reason; // resolved after we gave up on it: not a result
    state.succeeded();
    return value;
  } catch (err) {
    throw state.failed(err);
  }
};
