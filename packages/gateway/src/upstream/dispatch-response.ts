// An upstream response read straight from undici's dispatch handler: no Readable stream in between. `request()`
// wraps each body in a Readable (stream state, a `readable` event and a nextTick per chunk, an async iterator over
// it); here a chunk goes from the socket parser to a waiting reader in one promise resolution. Cancellation,
// timeouts and errors keep `request()`'s behaviour: the same signal rule (its reason, else RequestAbortedError),
// undici's own headers/body timeouts, and an abort after the headers fails the body's reader with the reason.
import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, errors } from 'undici';
import type { Cancellation } from '../pipeline/cancellation.js';

/** Above this much unread data the socket is paused until the reader catches up (a Readable's default, 64 KiB). */
const HIGH_WATER_BYTES = 64 * 1024;

type Controller = Dispatcher.DispatchController;

/** The body of a dispatched response: iterable once, or read whole (`readAll` / `text`). */
export class DispatchBody {
  private chunks: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failed: Error | undefined;
  private wake: (() => void) | undefined;
  /** Set by `readAll`: everything is kept (up to its cap), never paused. */
  private collecting = false;

  constructor(private readonly ctl: Controller) {}

  // ---- fed by the handler

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.chunks.push(chunk);
    this.queued += chunk.length;
    if (!this.collecting && this.queued >= HIGH_WATER_BYTES) this.ctl.pause();
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  fail(err: Error): void {
    if (this.ended) return;
    this.failed ??= err;
    this.chunks = [];
    this.queued = 0;
    this.notify();
  }

  // ---- read by the pipeline

  /** The whole body, or `undefined` (request aborted, connection closed) once it passes `max` bytes. */
  async readAll(max: number): Promise<Buffer | undefined> {
    this.collecting = true;
    if (this.ctl.paused) this.ctl.resume();
    for (;;) {
      if (this.failed) throw this.failed;
      if (this.queued > max) {
        this.destroy();
        return undefined;
      }
      if (this.ended) return this.take();
      await this.changed();
    }
  }

  async text(): Promise<string> {
    return ((await this.readAll(Number.POSITIVE_INFINITY)) ?? Buffer.alloc(0)).toString('utf8');
  }

  /** Nothing more is wanted: an unfinished body closes its connection (undici's dump does after 128 KiB read). */
  async dump(): Promise<void> {
    this.destroy();
  }

  /** Ends the body early: a reader then throws `err`, and the connection is not reused. */
  destroy(err?: Error): void {
    if (this.ended || this.failed) return;
    const reason = err ?? new errors.RequestAbortedError();
    this.fail(reason);
    this.ctl.abort(reason);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void> {
    try {
      for (;;) {
        if (this.failed) throw this.failed;
        if (this.queued > 0) {
          const chunk = this.take();
          if (this.ctl.paused) this.ctl.resume();
          yield chunk;
        } else if (this.ended) return;
        else await this.changed();
      }
    } finally {
      // The reader stopped early (break, return, its own error): close the request, as a Readable's iterator does.
      this.destroy();
    }
  }

  private take(): Buffer {
    const out = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.queued);
    this.chunks = [];
    this.queued = 0;
    return out;
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

export interface DispatchedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: DispatchBody;
}

type AbortSource = Cancellation | AbortSignal;

/**
 * undici dispatch handler resolving with the response at its headers. `signal` aborts it, with the signal's reason
 * (else RequestAbortedError), before the request is sent, while it waits for headers, or while its body is read.
 */
export class ResponseHandler implements Dispatcher.DispatchHandler {
  private ctl: Controller | undefined;
  private body: DispatchBody | undefined;
  private reason: Error | undefined;
  private onAbort: (() => void) | undefined;

  constructor(
    private resolve: (res: DispatchedResponse) => void,
    private reject: (err: unknown) => void,
    private signal: AbortSource | undefined,
  ) {
    if (!signal) return;
    if (signal.aborted) this.reason = abortReason(signal);
    else {
      this.onAbort = () => this.abort(abortReason(signal));
      if (isCancellation(signal)) signal.once('abort', this.onAbort);
      else signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  onRequestStart(controller: Controller): void {
    this.ctl = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx informational: the real answer follows
    dropRawHeaders(controller);
    this.body = new DispatchBody(controller);
    this.resolve({ status: statusCode, headers, body: this.body });
  }

  onResponseData(_controller: Controller, chunk: Buffer): void {
    this.body?.push(chunk);
  }

  onResponseEnd(): void {
    this.unlisten();
    this.body?.end();
    this.release();
  }

  onResponseError(_controller: Controller, err: Error): void {
    this.unlisten();
    if (this.body) this.body.fail(err);
    else this.reject(err);
    this.release();
  }

  /**
   * The exchange is over: let go of the request's objects. undici can keep a finished Request (and so this handler)
   * reachable for a while, and the young generation's collector counts every reference from the old generation as
   * live, even from an object already dead there: through the promise and the cancellation this handler would
   * carry the whole request into the old generation with it (measured: ~10 KB promoted per call, scavenges ~4x
   * longer; dispatch-response.test.ts pins what a finished exchange still holds).
   */
  private release(): void {
    this.body = undefined;
    this.signal = undefined;
    this.onAbort = undefined;
    this.resolve = noop;
    this.reject = noop;
  }

  private abort(reason: Error): void {
    this.reason = reason;
    if (this.body) this.body.destroy(reason);
    else this.ctl?.abort(reason); // not yet started: aborted in onRequestStart
  }

  private unlisten(): void {
    const { signal, onAbort } = this;
    if (!signal || !onAbort) return;
    if (isCancellation(signal)) signal.removeListener('abort', onAbort);
    else signal.removeEventListener('abort', onAbort);
  }
}

const noop = () => {};

/**
 * undici's controller keeps the raw header buffers (views into the socket's read buffer) for the life of the
 * request; the parsed `headers` are all the gateway reads. Dropped, so a retained request does not retain them:
 * with them kept, the gateway promoted 0.9 MB per scavenge at c=1, without them 0.2 MB (a bare proxy: 0.16 MB).
 */
function dropRawHeaders(controller: Controller): void {
  const c = controller as { rawHeaders?: unknown };
  if (c.rawHeaders !== undefined) c.rawHeaders = undefined;
}

function isCancellation(s: AbortSource): s is Cancellation {
  return typeof (s as Cancellation).once === 'function';
}

/** undici's own rule: the signal's reason, whatever it is, else a RequestAbortedError. */
function abortReason(signal: AbortSource): Error {
  return (signal.reason ?? new errors.RequestAbortedError()) as Error;
}
