// instrument() for `@aws-sdk/client-bedrock-runtime`: the client's `send` records the commands `bedrockCall`
// knows (Converse, ConverseStream, Anthropic InvokeModel); every other command passes through untouched. The SDK
// is never imported.
import { type BedrockCall, bedrockCall } from './bedrock-commands.js';
import { CallTracker, serverOf } from './call-tracker.js';
import type { ResolvedOptions } from './instrument-options.js';
import { observeAwsMetadata } from './observe-converse.js';
import { proxyWith } from './proxy-with.js';
import { wrapIterator } from './wrap-iterator.js';

type AnyFn = (...args: unknown[]) => unknown;
type Obj = Record<string | symbol, unknown>;
type Server = { serverAddress?: string; serverPort?: number };

/**
 * The endpoint's host, resolved once per client: an explicit `endpoint` (a provider function in SDK v3), else
 * the regional `bedrock-runtime.{region}.amazonaws.com`. Async in the SDK, so it lands in `server` a few
 * microtasks after instrument(); calls copy it when their response arrives.
 */
function resolveServer(config: Obj | undefined): Server {
  const server: Server = {};
  const call = (f: unknown) => (typeof f === 'function' ? Promise.resolve((f as AnyFn)()) : Promise.resolve(f));
  (config?.endpoint !== undefined
    ? call(config.endpoint).then((ep) => {
        const e = ep as { hostname?: unknown; port?: unknown; protocol?: unknown } | undefined;
        if (typeof e?.hostname !== 'string') return;
        server.serverAddress = e.hostname;
        server.serverPort = typeof e.port === 'number' ? e.port : e.protocol === 'http:' ? 80 : 443;
      })
    : call(config?.region).then((region) => {
        if (typeof region === 'string' && region !== '')
          Object.assign(server, serverOf(`https://bedrock-runtime.${region}.amazonaws.com`));
      })
  ).catch(() => {});
  return server;
}

function abortSignalOf(options: unknown): AbortSignal | undefined {
  const signal = (options as { abortSignal?: unknown } | undefined)?.abortSignal;
  return signal && typeof (signal as AbortSignal).aborted === 'boolean' ? (signal as AbortSignal) : undefined;
}

/** A streaming output: its event stream replaced by one that yields the same events and completes the record. */
function wrapEventStream(out: unknown, t: CallTracker, call: BedrockCall, options: unknown): void {
  const o = out as Obj;
  const field = call.streamField ?? 'stream';
  const stream = o?.[field] as AsyncIterable<unknown> | undefined;
  if (!stream || typeof stream[Symbol.asyncIterator] !== 'function') {
    t.ok();
    return;
  }
  const signal = abortSignalOf(options);
  o[field] = wrapIterator(
    stream,
    t,
    (event) => {
      call.observeEvent(event, t);
      return false;
    },
    () => signal?.aborted === true,
  );
}

const AGGREGATED_METHODS = ['converse', 'converseStream', 'invokeModel', 'invokeModelWithResponseStream'];

export function instrumentBedrock<T extends object>(client: T, o: ResolvedOptions): T {
  const c = client as Obj;
  const origSend = c.send as AnyFn;
  const server = resolveServer(c.config as Obj | undefined);

  const finishOutput = (out: unknown, t: CallTracker, call: BedrockCall, options: unknown): void => {
    Object.assign(call.start, server);
    try {
      if (call.streamField) {
        observeAwsMetadata(out, t);
        wrapEventStream(out, t, call, options);
      } else {
        call.observeOutput(out, t);
        t.ok();
      }
    } catch {
      t.ok();
    }
  };
  const fail = (err: unknown, t: CallTracker, call: BedrockCall): void => {
    Object.assign(call.start, server);
    observeAwsMetadata(err, t);
    t.fail(err);
  };

  // (command, options | callback, callback) is the Smithy signature.
  function send(command: unknown, optionsOrCb?: unknown, cb?: unknown): unknown {
    let call: BedrockCall | undefined;
    let t: CallTracker | undefined;
    try {
      call = bedrockCall(command);
      if (call) t = new CallTracker(call.start, o);
    } catch {
      t = undefined;
    }
    if (!t || !call) return origSend.call(client, command, optionsOrCb, cb);
    const tracker = t;
    const start = call;
    const callback = typeof optionsOrCb === 'function' ? optionsOrCb : typeof cb === 'function' ? cb : undefined;
    if (callback) {
      const options = callback === cb ? optionsOrCb : undefined;
      const observed = (err: unknown, out: unknown) => {
        if (err) fail(err, tracker, start);
        else finishOutput(out, tracker, start, options);
        return (callback as AnyFn)(err, out);
      };
      return callback === cb
        ? origSend.call(client, command, optionsOrCb, observed)
        : origSend.call(client, command, observed);
    }
    let result: unknown;
    try {
      result = origSend.call(client, command, optionsOrCb);
    } catch (err) {
      fail(err, tracker, start);
      throw err;
    }
    if (typeof (result as Promise<unknown> | undefined)?.then !== 'function') {
      tracker.ok();
      return result;
    }
    return (result as Promise<unknown>).then(
      (out) => {
        finishOutput(out, tracker, start, optionsOrCb);
        return out;
      },
      (err: unknown) => {
        fail(err, tracker, start);
        throw err;
      },
    );
  }

  const overrides: Record<string, unknown> = { send };
  // The aggregated `BedrockRuntime` client's methods call `this.send`: run the recorded ones on the Proxy.
  for (const method of AGGREGATED_METHODS) {
    const orig = c[method];
    if (typeof orig === 'function') overrides[method] = (...args: unknown[]) => Reflect.apply(orig, proxy, args);
  }
  const proxy = proxyWith(client, overrides);
  return proxy;
}
