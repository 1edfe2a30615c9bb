// Per-request cancellation without an AbortSignal until something asks for one (docs/decisions/0011-lazy-cancellation.md).
// Creating an AbortController and adding an `abort` listener cost several µs each on Node 20 (EventTarget
// machinery); a plain request made four of them. A Cancellation is an EventEmitter, which undici accepts as a
// request `signal` directly, so the hot path (client gone → attempt → upstream request) never builds one.
import { EventEmitter } from 'node:events';

/** What a cancellation check needs: a real AbortSignal or a Cancellation. */
export interface AbortState {
  readonly aborted: boolean;
  readonly reason: unknown;
}

export class Cancellation extends EventEmitter implements AbortState {
  aborted = false;
  reason: unknown = undefined;
  private ctl: AbortController | undefined;

  constructor() {
    super();
    // One listener per attempt (and per hedge lane) on a request's cancellation: more than EventEmitter's default
    // 10 is normal for a long retry chain, not a leak.
    this.setMaxListeners(0);
  }

  /** A real AbortSignal that follows this cancellation, created on first read (for APIs that want one). */
  get signal(): AbortSignal {
    if (!this.ctl) {
      this.ctl = new AbortController();
      if (this.aborted) this.ctl.abort(this.reason);
    }
    return this.ctl.signal;
  }

  /** Aborts once (later calls are ignored); the default reason is the DOM `AbortError` an AbortController uses. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    this.ctl?.abort(this.reason);
    this.emit('abort', this.reason);
  }

  /** Calls `fn` with the reason when this aborts (at once if it already has). */
  onAbort(fn: (reason: unknown) => void): void {
    if (this.aborted) fn(this.reason);
    else this.once('abort', fn);
  }

  /** A cancellation that aborts with `parent` (keeping its reason), and can also be aborted on its own. */
  static following(parent: Cancellation | AbortSignal): Cancellation {
    const c = new Cancellation();
    if (parent instanceof Cancellation) parent.onAbort((reason) => c.abort(reason));
    else if (parent.aborted) c.abort(parent.reason);
    else parent.addEventListener('abort', () => c.abort(parent.reason), { once: true });
    return c;
  }
}

/** The request's cancellation: its own when the gateway built it, else one following its AbortSignal. */
export function cancellationOf(holder: { cancel?: Cancellation; signal: AbortSignal }): Cancellation {
  return holder.cancel ?? Cancellation.following(holder.signal);
}
