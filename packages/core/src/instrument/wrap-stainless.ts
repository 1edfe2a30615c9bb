// openai v6 and @anthropic-ai/sdk are both Stainless SDKs: a create() returns an APIPromise whose body is
// parsed lazily by `parseResponse`. We observe that parse (and the raw response) on the returned instance
// itself, so the caller gets the very same APIPromise: .withResponse(), .asResponse(), streams all unchanged.
import { type CallStart, CallTracker } from './call-tracker.js';
import type { ResolvedOptions } from './instrument-options.js';
import { wrapIterator } from './wrap-iterator.js';

type AnyFn = (...args: unknown[]) => unknown;

interface StainlessPromise {
  responsePromise: Promise<{ response?: Response }>;
  parseResponse: (client: unknown, props: { response?: Response }) => Promise<unknown> | unknown;
  parsedPromise?: unknown;
  asResponse: () => Promise<Response>;
}

interface StainlessStream {
  iterator: () => AsyncIterator<unknown> & AsyncIterable<unknown>;
  controller?: AbortController;
}

export interface StainlessSpec {
  /** Describe the call from its params; undefined → not instrumented (passed through). */
  start(params: Record<string, unknown>): CallStart | undefined;
  observeBody(body: unknown, t: CallTracker): void;
  /** Returns true when the chunk must be hidden from the caller. */
  observeChunk(chunk: unknown, t: CallTracker, injectedUsage: boolean): boolean;
  /** Rewrite params before the call (e.g. include_usage); returns [params, injected]. */
  rewrite?(params: Record<string, unknown>, opts: ResolvedOptions): [Record<string, unknown>, boolean];
  requestIdHeader: string;
}

function isStainlessPromise(p: unknown): p is StainlessPromise {
  const o = p as Partial<StainlessPromise> | null;
  return !!o && typeof o.parseResponse === 'function' && typeof o.responsePromise?.then === 'function';
}

function isStream(x: unknown): x is StainlessStream {
  return !!x && typeof (x as StainlessStream).iterator === 'function';
}

/** A drop-in replacement for a Stainless `create` method that records one CallRecord per call. */
export function wrapStainlessCreate(orig: AnyFn, target: object, spec: StainlessSpec, opts: ResolvedOptions): AnyFn {
  // (params, options) is the Stainless signature: named arguments, no rest array or Reflect.apply per call.
  return function instrumentedCreate(params?: unknown, options?: unknown): unknown {
    let tracker: CallTracker | undefined;
    let injected = false;
    let sent = params;
    try {
      const call = params && typeof params === 'object' ? spec.start(params as Record<string, unknown>) : undefined;
      if (call) {
        tracker = new CallTracker(call, opts);
        if (spec.rewrite) {
          const [next, inj] = spec.rewrite(params as Record<string, unknown>, opts);
          injected = inj;
          if (inj) sent = next;
        }
      }
    } catch {
      tracker = undefined;
    }
    if (!tracker) return orig.call(target, params, options);

    let result: unknown;
    try {
      result = orig.call(target, sent, options);
    } catch (err) {
      tracker.fail(err);
      throw err;
    }
    try {
      if (isStainlessPromise(result)) observe(result, tracker, spec, injected);
    } catch {
      // leave the call untouched
    }
    return result;
  };
}

function observe(p: StainlessPromise, t: CallTracker, spec: StainlessSpec, injected: boolean): void {
  const parse = p.parseResponse;
  p.parseResponse = async (client, props) => {
    try {
      t.requestId = props.response?.headers.get(spec.requestIdHeader) ?? undefined;
    } catch {}
    let data: unknown;
    try {
      data = await parse.call(p, client, props);
    } catch (err) {
      t.fail(err);
      throw err;
    }
    try {
      if (isStream(data)) wrapStream(data, t, spec, injected);
      else {
        spec.observeBody(data, t);
        t.ok();
      }
    } catch {}
    return data;
  };
  // HTTP errors, connection errors, aborts before the body: the SDK rejects responsePromise.
  p.responsePromise.then(undefined, (err) => t.fail(err));
  // .asResponse() alone never parses the body: record the call when the response arrives, without usage.
  const asResponse = p.asResponse;
  p.asResponse = function (this: StainlessPromise) {
    const r = asResponse.call(this);
    if (!p.parsedPromise) {
      r.then(
        () => {
          if (!p.parsedPromise) t.ok();
        },
        () => {},
      );
    }
    return r;
  };
}

function wrapStream(stream: StainlessStream, t: CallTracker, spec: StainlessSpec, injected: boolean): void {
  const iterator = stream.iterator;
  stream.iterator = function (this: StainlessStream) {
    const inner = iterator.call(this);
    return wrapIterator(
      { [Symbol.asyncIterator]: () => inner },
      t,
      (chunk) => spec.observeChunk(chunk, t, injected),
      () => stream.controller?.signal.aborted === true,
    );
  };
}
